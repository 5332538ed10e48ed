"""Unit registry: departments, public-service units and lower People's Committees."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any
from uuid import UUID

from assessment.domain.base import TenantAggregate
from assessment.domain.errors import ValidationFailed
from assessment.domain.values import UnitKind

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


class Unit(TenantAggregate):
    TOPIC = "assessment.Unit"

    class Event(TenantAggregate.Event):
        TOPIC = "assessment.Unit.Event"

    class Registered(Event, TenantAggregate.Created):
        TOPIC = "assessment.Unit.Registered"
        code: str
        name: str
        kind: str
        parent_id: UUID | None

    class Renamed(Event):
        TOPIC = "assessment.Unit.Renamed"
        name: str

        def apply(self, aggregate: Any) -> None:
            aggregate.name = self.name

    def __init__(
        self,
        tenant: str,
        actor: dict[str, Any],
        occurred_at: datetime,
        code: str,
        name: str,
        kind: str,
        parent_id: UUID | None,
    ) -> None:
        self.tenant = tenant
        self.code = code
        self.name = name
        self.kind = UnitKind(kind)
        self.parent_id = parent_id

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
        )

    def rename(self, *, actor: dict[str, Any], occurred_at: datetime, name: str) -> None:
        name = _check_name(name)
        if name != self.name:
            self._trigger(self.Renamed, actor=actor, occurred_at=occurred_at, name=name)
