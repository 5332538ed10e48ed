"""Any report as of a past moment (auditors): the events that occurred up to then are replayed
into a throw-away in-memory database through every registered read model, and the report is
built from it with its statuses computed at that moment. The report says so on its face
(``replayed_from_history``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, TypeVar

from reporting.adapters.db import Tx
from reporting.read_models import registry
from shared.envelope import Envelope

T = TypeVar("T")


def replay_then(
    envelopes: Iterable[Envelope],
    tenant: str,
    moment: datetime,
    build: Callable[[Tx], T],
) -> T:
    from shared.sql import SqliteDatabase

    db = SqliteDatabase(":memory:")
    try:
        chosen = sorted(
            (
                e
                for e in envelopes
                if e.tenant == tenant and datetime.fromisoformat(e.occurred_at) <= moment
            ),
            key=lambda e: (e.aggregate_type.startswith("ballot."), e.global_position),
        )
        with db.transaction() as tx:
            registry.create_all(tx)
            registry.apply_all(tx, chosen)
        with db.transaction() as tx:
            return build(tx)
    finally:
        db.close()


def mark_replayed(
    report: dict[str, Any] | None, events: int | None = None
) -> dict[str, Any] | None:
    if report is not None:
        report["replayed_from_history"] = True
    return report
