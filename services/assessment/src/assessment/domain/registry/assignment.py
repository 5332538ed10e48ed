"""Assignments: who may review which units, themselves events.

Two kinds (seed 001): a sector-managing agency comments on the units of its field
(``sector_management``, holder = the agency's unit id); a People's Committee member comments on
the units the chairman's assignment decision gives them (``pc_oversight``, holder = the
member's subject; e.g. Decision 1770/QĐ-UBND of 14/7/2011). One aggregate per (tenant, kind,
holder) holds every grant with its decision and validity dates.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any
from uuid import UUID

from assessment.domain.kernel.base import TenantAggregate
from assessment.domain.kernel.errors import NotFound, ValidationFailed

ASSIGNMENT_NAMESPACE = uuid.UUID("7e6d5c4b-3a29-5817-9f6e-5d4c3b2a1908")
KINDS = ("sector_management", "pc_oversight")


def assignments_id_for(tenant: str, kind: str, holder: str) -> UUID:
    return uuid.uuid5(ASSIGNMENT_NAMESPACE, f"{tenant}/{kind}/{holder}")


def _day(value: str | None, what: str) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except (TypeError, ValueError):
        raise ValidationFailed(f"{what} phải là ngày YYYY-MM-DD") from None


class Assignments(TenantAggregate):
    TOPIC = "assessment.Assignments"

    class Event(TenantAggregate.Event):
        TOPIC = "assessment.Assignments.Event"

    class Opened(Event, TenantAggregate.Created):
        TOPIC = "assessment.Assignments.Opened"
        kind: str
        holder: str

    class Granted(Event):
        TOPIC = "assessment.Assignments.Granted"
        grant_id: str
        unit_ids: list[str]
        decision_number: str
        decision_date: str
        valid_from: str
        valid_to: str | None

        def apply(self, aggregate: Any) -> None:
            aggregate.grants[self.grant_id] = {
                "unit_ids": list(self.unit_ids),
                "decision_number": self.decision_number,
                "decision_date": self.decision_date,
                "valid_from": self.valid_from,
                "valid_to": self.valid_to,
                "revoked": None,
            }

    class Revoked(Event):
        TOPIC = "assessment.Assignments.Revoked"
        grant_id: str
        effective_date: str
        reason: str

        def apply(self, aggregate: Any) -> None:
            grant = aggregate.grants[self.grant_id]
            grant["revoked"] = {"effective_date": self.effective_date, "reason": self.reason}

    def __init__(
        self, tenant: str, actor: dict[str, Any], occurred_at: datetime, kind: str, holder: str
    ) -> None:
        self.tenant = tenant
        self.kind = kind
        self.holder = holder
        self.grants: dict[str, dict[str, Any]] = {}

    @classmethod
    def open(
        cls, *, tenant: str, actor: dict[str, Any], occurred_at: datetime, kind: str, holder: str
    ) -> Assignments:
        if kind not in KINDS:
            raise ValidationFailed(
                f"loại phân công '{kind}' không hợp lệ; chọn: {', '.join(KINDS)}"
            )
        if not holder.strip():
            raise ValidationFailed("cần người/cơ quan được phân công")
        return cls._create(
            cls.Opened,
            id=assignments_id_for(tenant, kind, holder),
            tenant=tenant,
            actor=actor,
            occurred_at=occurred_at,
            kind=kind,
            holder=holder,
        )

    def grant(
        self,
        *,
        actor: dict[str, Any],
        occurred_at: datetime,
        unit_ids: list[UUID],
        decision_number: str,
        decision_date: str,
        valid_from: str,
        valid_to: str | None,
    ) -> str:
        if not unit_ids:
            raise ValidationFailed("cần ít nhất một đơn vị được phân công")
        if not decision_number.strip():
            raise ValidationFailed("cần số quyết định phân công")
        start = _day(valid_from, "valid_from")
        end = _day(valid_to, "valid_to")
        if start and end and end < start:
            raise ValidationFailed("valid_to phải sau valid_from")
        grant_id = uuid.uuid5(self.id, f"{decision_number}/{len(self.grants)}").hex
        self._trigger(
            self.Granted,
            actor=actor,
            occurred_at=occurred_at,
            grant_id=grant_id,
            unit_ids=sorted({str(u) for u in unit_ids}),
            decision_number=decision_number.strip(),
            decision_date=str(_day(decision_date, "decision_date")),
            valid_from=str(start),
            valid_to=end,
        )
        return grant_id

    def revoke(
        self,
        *,
        actor: dict[str, Any],
        occurred_at: datetime,
        grant_id: str,
        effective_date: str,
        reason: str,
    ) -> None:
        grant = self.grants.get(grant_id)
        if grant is None:
            raise NotFound(f"phân công {grant_id} không tồn tại")
        if grant["revoked"] is not None:
            return
        if not reason.strip():
            raise ValidationFailed("thu hồi phân công cần lý do")
        self._trigger(
            self.Revoked,
            actor=actor,
            occurred_at=occurred_at,
            grant_id=grant_id,
            effective_date=str(_day(effective_date, "effective_date")),
            reason=reason.strip(),
        )

    def covers(self, unit_id: UUID, year: int) -> bool:
        """True when a grant in force at some point of ``year`` names the unit."""
        first, last = date(year, 1, 1).isoformat(), date(year, 12, 31).isoformat()
        for grant in self.grants.values():
            end = grant["valid_to"]
            if grant["revoked"] is not None:
                revoked_on = grant["revoked"]["effective_date"]
                end = min(end, revoked_on) if end else revoked_on
            if (
                str(unit_id) in grant["unit_ids"]
                and grant["valid_from"] <= last
                and (end is None or end >= first)
            ):
                return True
        return False
