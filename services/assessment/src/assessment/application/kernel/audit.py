"""Audit queries over any context's aggregates: the history of one, and one "as of" a version
or a business time. Idempotency records are not history."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from itertools import chain
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from assessment.application.kernel.catalogue import query
from assessment.application.kernel.executor import Read
from assessment.application.kernel.idempotency import IdempotencyRecord
from assessment.application.kernel.views import to_public_event, to_public_state
from assessment.domain.kernel.base import TenantAggregate
from assessment.domain.kernel.errors import NotFound, ValidationFailed


def replay(aggregate: Any, events: Iterable[Any]) -> Any:
    """eventsourcing's ``project_aggregate`` without its per-event
    ``isinstance(event, CanMutateProtocol)`` assertion (a runtime-checkable Protocol: a third
    of an as-of read on Python 3.11, issue 14's profile); every stored event mutates."""
    for event in events:
        aggregate = event.mutate(aggregate)
    return aggregate


def rebuilt_at(app: Any, aggregate_id: UUID, version: int | None, *, cached: bool = False) -> Any:
    """``app.repository.get(aggregate_id, version=version)``, in one query where the store
    offers it (``snapshot_and_events``, PostgreSQL): the newest snapshot up to ``version`` and
    the events after it, mapped by the same mappers (tags checked) and replayed. A snapshot the
    store refuses (forged: no valid tag), no version, or no such query: the repository's own
    two reads, which skip to an older snapshot. Raises ``AggregateNotFoundError`` as it.

    ``cached``: through the application's ``as_of_cache`` where it has one (what recent reads
    fetched, kept: no query when it holds the rows; the snapshot's tag checked all the same)."""
    one_query = getattr(app.recorder, "snapshot_and_events", None)
    snapshots = getattr(app, "snapshots", None)
    if one_query is None or version is None or snapshots is None:
        return app.repository.get(aggregate_id, version=version, projector_func=replay)
    cache = getattr(app, "as_of_cache", None) if cached else None
    snapshot, stored = (cache.get if cache is not None else one_query)(aggregate_id, version)
    if snapshot is not None and not snapshots.accepts(snapshot):
        return app.repository.get(aggregate_id, version=version, projector_func=replay)
    first = [snapshots.mapper.to_domain_event(snapshot)] if snapshot is not None else []
    aggregate = replay(None, chain(first, map(app.events.mapper.to_domain_event, stored)))
    if aggregate is None:
        raise AggregateNotFoundError(f"Aggregate {aggregate_id!r} version {version!r} not found.")
    return aggregate


def _owned_at(read: Read, aggregate_id: UUID, version: int | None) -> Any:
    """One read (snapshot + the events after it) instead of four: ownership and bounds are
    checked on the aggregate itself. Asked past its last version, the repository gives the
    last version, which is how a too-high version is recognised."""
    missing = NotFound(f"hồ sơ {aggregate_id} không tồn tại")
    try:
        aggregate: Any = rebuilt_at(read.app, aggregate_id, version, cached=True)
    except AggregateNotFoundError:
        raise missing from None
    if (
        not isinstance(aggregate, TenantAggregate)
        or isinstance(aggregate, IdempotencyRecord)  # idempotency records are not history
        or not aggregate.belongs_to(read.tenant)
    ):
        raise missing
    if version is not None and aggregate.version != version:
        raise ValidationFailed(f"phiên bản phải từ 1 đến {aggregate.version}")
    return aggregate


def _owned_events(read: Read, aggregate_id: UUID) -> list[Any]:
    events = list(read.app.events.get(aggregate_id))
    if not events or getattr(events[0], "tenant", None) != read.tenant:
        raise NotFound(f"hồ sơ {aggregate_id} không tồn tại")
    if type(events[0]).__name__ == "Recorded":  # idempotency records are not history
        raise NotFound(f"hồ sơ {aggregate_id} không tồn tại")
    return events


@query("read_audit")
def aggregate_history(read: Read, aggregate_id: UUID) -> list[dict[str, Any]]:
    """Every event of one aggregate: what, when (business and store time), who."""
    return [to_public_event(e) for e in _owned_events(read, aggregate_id)]


@query("read_audit")
def aggregate_as_of(
    read: Read,
    aggregate_id: UUID,
    *,
    version: int | None = None,
    at: datetime | None = None,
) -> dict[str, Any]:
    """The aggregate at a version, or as it stood at a business time (``occurred_at``)."""
    if at is None and (version is None or version >= 1):
        return to_public_state(_owned_at(read, aggregate_id, version))
    events = read.app.events
    first = list(events.get(aggregate_id, limit=1))
    if (
        not first
        or getattr(first[0], "tenant", None) != read.tenant
        or type(first[0]).__name__ == "Recorded"
    ):
        raise NotFound(f"hồ sơ {aggregate_id} không tồn tại")
    if at is not None:  # business time: the last event that had occurred by then
        history: list[Any] = list(events.get(aggregate_id))
        known = [e for e in history if e.occurred_at <= at]
        if not known:
            raise NotFound(f"hồ sơ {aggregate_id} chưa tồn tại vào thời điểm {at}")
        version = known[-1].originator_version
    if version is not None:
        last = next(iter(events.get(aggregate_id, desc=True, limit=1)))
        if not 1 <= version <= last.originator_version:
            raise ValidationFailed(f"phiên bản phải từ 1 đến {last.originator_version}")
    aggregate: Any = rebuilt_at(read.app, aggregate_id, version, cached=True)
    return to_public_state(aggregate)
