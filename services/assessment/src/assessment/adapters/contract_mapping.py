"""Stored event → public envelope. The only translator from domain events to the contract."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.persistence import Mapper, Notification

from assessment.application.kernel.views import ENVELOPE_FIELDS, jsonable
from shared.envelope import Envelope, event_id_for

# Private aggregates that never leave the service.
UNPUBLISHED_PREFIXES = ("assessment.IdempotencyRecord.",)


def is_published(topic: str) -> bool:
    return not topic.startswith(UNPUBLISHED_PREFIXES)


def to_envelope(mapper: Mapper[UUID], notification: Notification) -> Envelope:
    event: Any = mapper.to_domain_event(notification)
    topic = notification.topic
    parts = topic.split(".")
    aggregate_type = parts[1] if len(parts) >= 3 else parts[0]
    state = {k: v for k, v in event.__dict__.items() if k not in ENVELOPE_FIELDS}
    occurred_at = getattr(event, "occurred_at", None) or event.timestamp
    return Envelope(
        event_id=event_id_for(notification.originator_id, notification.originator_version),
        type=topic,
        tenant=str(getattr(event, "tenant", "")),
        aggregate_type=aggregate_type,
        aggregate_id=str(notification.originator_id),
        aggregate_version=int(notification.originator_version),
        global_position=int(notification.id),
        occurred_at=occurred_at.isoformat(),
        recorded_at=event.timestamp.isoformat(),
        actor=jsonable(getattr(event, "actor", {})),
        payload=jsonable(state),
    )
