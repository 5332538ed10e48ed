"""A tenant's working-day calendar, as an aggregate: holidays, make-up days, weekend, and what
happens to a deadline that falls on a day off (``calendar.DeadlineRule``)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any
from uuid import UUID

from assessment.domain.inspection.calendar import WorkingCalendar
from assessment.domain.kernel.base import TenantAggregate

CALENDAR_NAMESPACE = uuid.UUID("6f1a3c5e-7b9d-5e0f-8a2c-4e6a8c0e2a47")


def calendar_id_for(tenant: str) -> UUID:
    return uuid.uuid5(CALENDAR_NAMESPACE, tenant)


class TenantCalendar(TenantAggregate):
    TOPIC = "assessment.TenantCalendar"

    class Event(TenantAggregate.Event):
        TOPIC = "assessment.TenantCalendar.Event"

    class Opened(Event, TenantAggregate.Created):
        TOPIC = "assessment.TenantCalendar.Opened"
        settings: dict[str, Any]

    class Changed(Event):
        TOPIC = "assessment.TenantCalendar.Changed"
        settings: dict[str, Any]

        def apply(self, aggregate: Any) -> None:
            aggregate.settings = dict(self.settings)

    def __init__(
        self, tenant: str, actor: dict[str, Any], occurred_at: datetime, settings: dict[str, Any]
    ) -> None:
        self.tenant = tenant
        self.settings = dict(settings)

    @classmethod
    def open(
        cls, *, tenant: str, actor: dict[str, Any], occurred_at: datetime, settings: dict[str, Any]
    ) -> TenantCalendar:
        return cls._create(
            cls.Opened,
            id=calendar_id_for(tenant),
            tenant=tenant,
            actor=actor,
            occurred_at=occurred_at,
            settings=WorkingCalendar.parse(settings).to_dict(),
        )

    def change(
        self, *, actor: dict[str, Any], occurred_at: datetime, settings: dict[str, Any]
    ) -> None:
        parsed = WorkingCalendar.parse(settings).to_dict()
        if parsed != self.settings:
            self._trigger(self.Changed, actor=actor, occurred_at=occurred_at, settings=parsed)

    def calendar(self) -> WorkingCalendar:
        return WorkingCalendar.parse(self.settings)
