"""A tenant's individual-rating settings as an aggregate: each change an event with its legal
basis (the province's own implementing decision), so a rating can be explained by the
settings in force when it was decided."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any
from uuid import UUID

from assessment.domain.individual.settings import IndividualSettings
from assessment.domain.individual.values import text
from assessment.domain.kernel.base import TenantAggregate

SETTINGS_NAMESPACE = uuid.UUID("3c2b1a09-8f7e-5d6c-9b4a-0f1e2d3c4b5a")


def settings_id_for(tenant: str) -> UUID:
    return uuid.uuid5(SETTINGS_NAMESPACE, tenant)


class RatingSettings(TenantAggregate):
    TOPIC = "assessment.RatingSettings"

    class Event(TenantAggregate.Event):
        TOPIC = "assessment.RatingSettings.Event"

    class Created(Event, TenantAggregate.Created):
        TOPIC = "assessment.RatingSettings.Created"

    class Changed(Event):
        TOPIC = "assessment.RatingSettings.Changed"
        values: dict[str, Any]
        basis: str  # e.g. "QĐ 30/2023/QĐ-UBND" (Quảng Ninh [R84])

        def apply(self, aggregate: Any) -> None:
            aggregate.values = dict(self.values)
            aggregate.basis = self.basis

    def __init__(self, tenant: str, actor: dict[str, Any], occurred_at: datetime) -> None:
        self.tenant = tenant
        self.values: dict[str, Any] = {}
        self.basis = ""

    @classmethod
    def create(cls, *, tenant: str, actor: dict[str, Any], occurred_at: datetime) -> RatingSettings:
        return cls._create(
            cls.Created,
            id=settings_id_for(tenant),
            tenant=tenant,
            actor=actor,
            occurred_at=occurred_at,
        )

    @property
    def settings(self) -> IndividualSettings:
        return IndividualSettings.from_dict(self.values)

    def change(
        self, *, actor: dict[str, Any], occurred_at: datetime, values: dict[str, Any], basis: str
    ) -> IndividualSettings:
        """Validate the whole new set first (a bad value changes nothing)."""
        checked = IndividualSettings.from_dict(values)
        self._trigger(
            self.Changed,
            actor=actor,
            occurred_at=occurred_at,
            values={k: v for k, v in checked.to_dict().items() if k in values},
            basis=text(basis, "căn cứ (văn bản của tỉnh)", limit=300),
        )
        return checked
