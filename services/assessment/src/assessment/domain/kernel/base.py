"""The base of every aggregate here: tenant, actor and business time on every event."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from eventsourcing.domain import Aggregate


class TenantAggregate(Aggregate):
    """An aggregate owned by one tenant (a province). Every event names tenant and actor."""

    class Event(Aggregate.Event):
        tenant: str
        actor: dict[str, Any]
        occurred_at: datetime

    tenant: str

    def _trigger(
        self,
        event_class: type[Aggregate.Event],
        *,
        actor: dict[str, Any],
        occurred_at: datetime,
        **kwargs: Any,
    ) -> None:
        self.trigger_event(
            event_class, tenant=self.tenant, actor=actor, occurred_at=occurred_at, **kwargs
        )

    def belongs_to(self, tenant: str) -> bool:
        return self.tenant == tenant
