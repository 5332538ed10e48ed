"""The record of reads of persons' work-item figures (personal data of officials, seed 003).

Every read of a unit's figures by someone other than the persons whose figures it shows is an
event ``FiguresReadLog.ReadRecorded`` (who read, in which role, whose figures, which view), one
log per inspection and unit; a person reading only their own figures leaves no record."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any
from uuid import UUID

from assessment.domain.kernel.base import TenantAggregate

READS_NAMESPACE = uuid.UUID("c4a1e9d7-2b6f-5c3e-9a8d-0e7f1b2c3d4a")
MAX_PERSONS = 5000


def figures_log_id_for(inspection_id: UUID, unit_id: str) -> UUID:
    return uuid.uuid5(READS_NAMESPACE, f"{inspection_id}/{unit_id}")


def persons_read(reader_subject: str, persons: list[str]) -> list[str]:
    """Whose figures a read exposes to someone else: every person but the reader."""
    return sorted({p for p in persons if p != reader_subject})


class FiguresReadLog(TenantAggregate):
    TOPIC = "assessment.FiguresReadLog"

    class Event(TenantAggregate.Event):
        TOPIC = "assessment.FiguresReadLog.Event"

    class Opened(Event, TenantAggregate.Created):
        TOPIC = "assessment.FiguresReadLog.Opened"
        inspection_id: str
        unit_id: str

    class ReadRecorded(Event):
        TOPIC = "assessment.FiguresReadLog.ReadRecorded"
        reader_subject: str
        reader_role: str
        reader_unit: str | None
        persons: list[str]
        what: str

        def apply(self, aggregate: Any) -> None:
            aggregate.reads += 1

    def __init__(
        self,
        tenant: str,
        actor: dict[str, Any],
        occurred_at: datetime,
        inspection_id: str,
        unit_id: str,
    ) -> None:
        self.tenant = tenant
        self.inspection_id = UUID(inspection_id)
        self.unit_id = unit_id
        self.reads = 0

    @classmethod
    def open(
        cls,
        *,
        tenant: str,
        actor: dict[str, Any],
        occurred_at: datetime,
        inspection_id: UUID,
        unit_id: str,
    ) -> FiguresReadLog:
        return cls._create(
            cls.Opened,
            id=figures_log_id_for(inspection_id, unit_id),
            tenant=tenant,
            actor=actor,
            occurred_at=occurred_at,
            inspection_id=str(inspection_id),
            unit_id=unit_id,
        )

    def record_read(
        self, *, actor: dict[str, Any], occurred_at: datetime, persons: list[str], what: str
    ) -> bool:
        """Record the read unless it showed no one's figures but the reader's own."""
        subject = str(actor.get("subject"))
        others = persons_read(subject, persons)
        if not others:
            return False
        self._trigger(
            self.ReadRecorded,
            actor=actor,
            occurred_at=occurred_at,
            reader_subject=subject,
            reader_role=str(actor.get("role")),
            reader_unit=actor.get("acting_for"),
            persons=others[:MAX_PERSONS],
            what=what[:200],
        )
        return True
