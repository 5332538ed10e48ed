"""Unit registry: departments, public-service units, People's Committees, and their lineage.

Since 1 July 2025 provinces merged and districts were abolished: units are renamed, merged into
others, split off and dissolved. Each such change is an event with its effective date, so a
past evaluation can name the unit as it was, and reports can follow it to its successor.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any
from uuid import UUID

from assessment.domain.kernel.base import TenantAggregate
from assessment.domain.kernel.errors import StepClosed, ValidationFailed
from assessment.domain.registry.values import UnitKind

UNIT_NAMESPACE = uuid.UUID("0b5c3f1e-8a2d-5c6b-9e47-1d2a3b4c5d6e")


def unit_id_for(tenant: str, code: str) -> UUID:
    """One unit per (tenant, code): uniqueness comes from the id itself."""
    return uuid.uuid5(UNIT_NAMESPACE, f"{tenant}/{code}")


def _check_code(code: str) -> str:
    if not code or len(code) > 64 or not all(c.isalnum() or c in "-_." for c in code):
        raise ValidationFailed("mã đơn vị chỉ gồm chữ, số, '-', '_' hoặc '.' (tối đa 64 ký tự)")
    return code


def _check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 300:
        raise ValidationFailed("tên đơn vị không được để trống (tối đa 300 ký tự)")
    return name


def _day(value: str | None, what: str) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except (TypeError, ValueError):
        raise ValidationFailed(f"{what} phải là ngày YYYY-MM-DD") from None


class Unit(TenantAggregate):
    TOPIC = "assessment.Unit"

    class Event(TenantAggregate.Event):
        TOPIC = "assessment.Unit.Event"

    class Registered(Event, TenantAggregate.Created):
        TOPIC = "assessment.Unit.Registered"
        class_version = 2
        code: str
        name: str
        kind: str
        parent_id: UUID | None
        valid_from: str | None
        split_from: str | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["valid_from"] = None
            state["split_from"] = None

    class Renamed(Event):
        TOPIC = "assessment.Unit.Renamed"
        class_version = 2
        name: str
        effective_date: str | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["effective_date"] = None

        def apply(self, aggregate: Any) -> None:
            aggregate.names.append({"name": self.name, "from": self.effective_date})
            aggregate.name = self.name

    class MergedInto(Event):
        TOPIC = "assessment.Unit.MergedInto"
        successor_id: str
        effective_date: str
        decision_number: str

        def apply(self, aggregate: Any) -> None:
            aggregate.successor_id = UUID(self.successor_id)
            aggregate.valid_to = self.effective_date

    class Dissolved(Event):
        TOPIC = "assessment.Unit.Dissolved"
        effective_date: str
        decision_number: str
        reason: str

        def apply(self, aggregate: Any) -> None:
            aggregate.valid_to = self.effective_date

    def __init__(
        self,
        tenant: str,
        actor: dict[str, Any],
        occurred_at: datetime,
        code: str,
        name: str,
        kind: str,
        parent_id: UUID | None,
        valid_from: str | None,
        split_from: str | None,
    ) -> None:
        self.tenant = tenant
        self.code = code
        self.name = name
        self.kind = UnitKind(kind)
        self.parent_id = parent_id
        self.valid_from = valid_from
        self.valid_to: str | None = None
        self.split_from = UUID(split_from) if split_from else None
        self.successor_id: UUID | None = None
        self.names: list[dict[str, Any]] = [{"name": name, "from": valid_from}]

    @classmethod
    def register(
        cls,
        *,
        tenant: str,
        actor: dict[str, Any],
        occurred_at: datetime,
        code: str,
        name: str,
        kind: str,
        parent_id: UUID | None,
        valid_from: str | None = None,
        split_from: UUID | None = None,
    ) -> Unit:
        try:
            unit_kind = UnitKind(kind)
        except ValueError:
            allowed = ", ".join(k.value for k in UnitKind)
            raise ValidationFailed(f"loại đơn vị '{kind}' không hợp lệ; chọn: {allowed}") from None
        return cls._create(
            cls.Registered,
            id=unit_id_for(tenant, _check_code(code)),
            tenant=tenant,
            actor=actor,
            occurred_at=occurred_at,
            code=code,
            name=_check_name(name),
            kind=unit_kind.value,
            parent_id=parent_id,
            valid_from=_day(valid_from, "valid_from"),
            split_from=str(split_from) if split_from else None,
        )

    @property
    def active(self) -> bool:
        return self.valid_to is None

    def _require_active(self) -> None:
        if not self.active:
            raise StepClosed(f"đơn vị '{self.code}' đã ngừng hoạt động từ {self.valid_to}")

    def rename(
        self,
        *,
        actor: dict[str, Any],
        occurred_at: datetime,
        name: str,
        effective_date: str | None = None,
    ) -> None:
        self._require_active()
        name = _check_name(name)
        if name != self.name:
            self._trigger(
                self.Renamed,
                actor=actor,
                occurred_at=occurred_at,
                name=name,
                effective_date=_day(effective_date, "effective_date"),
            )

    def merge_into(
        self,
        *,
        actor: dict[str, Any],
        occurred_at: datetime,
        successor: Unit,
        effective_date: str,
        decision_number: str,
    ) -> None:
        self._require_active()
        if successor.id == self.id:
            raise ValidationFailed("không thể sáp nhập đơn vị vào chính nó")
        if not successor.active:
            raise ValidationFailed("đơn vị tiếp nhận đã ngừng hoạt động")
        if not decision_number.strip():
            raise ValidationFailed("cần số quyết định sáp nhập")
        self._trigger(
            self.MergedInto,
            actor=actor,
            occurred_at=occurred_at,
            successor_id=str(successor.id),
            effective_date=str(_day(effective_date, "effective_date")),
            decision_number=decision_number.strip(),
        )

    def dissolve(
        self,
        *,
        actor: dict[str, Any],
        occurred_at: datetime,
        effective_date: str,
        decision_number: str,
        reason: str,
    ) -> None:
        self._require_active()
        if not decision_number.strip() or not reason.strip():
            raise ValidationFailed("giải thể cần số quyết định và lý do")
        self._trigger(
            self.Dissolved,
            actor=actor,
            occurred_at=occurred_at,
            effective_date=str(_day(effective_date, "effective_date")),
            decision_number=decision_number.strip(),
            reason=reason.strip(),
        )

    def name_on(self, day: date) -> str:
        """The name in force on ``day`` (names without a date count from the start)."""
        current = self.names[0]["name"]
        for entry in self.names:
            if entry["from"] is None or date.fromisoformat(entry["from"]) <= day:
                current = entry["name"]
        return str(current)
