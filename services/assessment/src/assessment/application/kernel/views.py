"""Public views of stored facts: JSON-able values, history entries, aggregate states."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

# Library fields that are not part of the public payload.
ENVELOPE_FIELDS = {
    "originator_id",
    "originator_version",
    "timestamp",
    "tenant",
    "actor",
    "occurred_at",
    "originator_topic",
}


_PLAIN = frozenset({str, int, float, bool, type(None)})


def jsonable(value: Any) -> Any:
    # the exact plain types and containers first (most of a state: an as-of read walks
    # ~1,400 values), then the general rules below, unchanged (subclasses such as StrEnum too).
    # Inside a container a plain item is taken as it is, without a call (``jsonable(v) is v``
    # for a plain ``v``, ``str(k) is k`` for a ``str`` key): most of a state's values are
    # plain leaves, and the call per leaf was most of the walk.
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is dict:
        return {
            (k if type(k) is str else str(k)): (v if type(v) in _PLAIN else jsonable(v))
            for k, v in value.items()
        }
    if kind is list:
        return [v if type(v) in _PLAIN else jsonable(v) for v in value]
    return _general(value)


def _general(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "value") and not isinstance(value, str | int | float | bool):
        return value.value
    return value


def to_public_event(event: Any) -> dict[str, Any]:
    """A domain event for the history view (same payload rules as the envelope)."""
    return {
        "type": type(event).TOPIC,
        "version": event.originator_version,
        "occurred_at": jsonable(getattr(event, "occurred_at", event.timestamp)),
        "recorded_at": jsonable(event.timestamp),
        "actor": jsonable(getattr(event, "actor", {})),
        "payload": jsonable({k: v for k, v in event.__dict__.items() if k not in ENVELOPE_FIELDS}),
    }


def to_public_state(aggregate: Any) -> dict[str, Any]:
    state = {k: v for k, v in aggregate.__dict__.items() if not k.startswith("_")}
    return {
        "id": str(aggregate.id),
        "type": type(aggregate).TOPIC,
        "version": aggregate.version,
        "state": jsonable(state),
    }
