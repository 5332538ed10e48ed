"""The as-of use case as it was at 48e7c62 (before issue 14's second pass on it), rebuilt here so
``audit_as_of.py`` can time it beside the current one in the same run.

Not a benchmark itself. Same steps as ``aggregate_as_of``'s version path then: the one query
with results in text format, eventsourcing's standard ``JSONTranscoder`` behind the same
tagging mapper, the snapshot's tag check, replay, ownership and bounds on the aggregate, and the
public state by the generic ``jsonable`` walk of that commit (copied below). No row cache. It
skips the executor's permission check (a dictionary look-up: microseconds).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from itertools import chain
from types import SimpleNamespace
from typing import Any
from uuid import UUID

from eventsourcing.persistence import JSONTranscoder

from assessment.adapters.as_of_rows import install_snapshot_and_events
from assessment.application.kernel.audit import replay
from assessment.domain.kernel.errors import NotFound, ValidationFailed

_PLAIN = frozenset({str, int, float, bool, type(None)})


def jsonable(value: Any) -> Any:  # views.jsonable at 48e7c62
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is dict:
        return {str(k): jsonable(v) for k, v in value.items()}
    if kind is list:
        return [jsonable(v) for v in value]
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


def to_public_state(aggregate: Any) -> dict[str, Any]:  # views.to_public_state at 48e7c62
    state = {k: v for k, v in aggregate.__dict__.items() if not k.startswith("_")}
    return {
        "id": str(aggregate.id),
        "type": type(aggregate).TOPIC,
        "version": aggregate.version,
        "state": jsonable(state),
    }


def before_reader(app: Any, tenant: str) -> Callable[[UUID, int], dict[str, Any]]:
    """``(id, version) -> public state`` as the use case read it at 48e7c62."""
    transcoder = JSONTranscoder()
    app.register_transcodings(transcoder)
    mapper = app.factory.mapper(transcoder=transcoder, mapper_class=type(app.mapper))
    text = SimpleNamespace(
        datastore=app.recorder.datastore, events_table_name=app.recorder.events_table_name
    )
    assert install_snapshot_and_events(text, app.snapshots.recorder, binary=False)
    query, snapshots = text.snapshot_and_events, app.snapshots

    def read(ident: UUID, version: int) -> dict[str, Any]:
        snapshot, stored = query(ident, version)
        if snapshot is not None and not snapshots.accepts(snapshot):
            raise AssertionError("the bench's snapshots are the application's own")
        first = [mapper.to_domain_event(snapshot)] if snapshot is not None else []
        aggregate = replay(None, chain(first, map(mapper.to_domain_event, stored)))
        if aggregate is None or not aggregate.belongs_to(tenant):
            raise NotFound(f"hồ sơ {ident} không tồn tại")
        if aggregate.version != version:
            raise ValidationFailed(f"phiên bản phải từ 1 đến {aggregate.version}")
        return to_public_state(aggregate)

    return read
