"""The as-of read in one query (``snapshot_and_events``) rebuilds what the repository rebuilds,
on real PostgreSQL (issue 14, item 4): at every version, in random order, past the end, with a
forged snapshot in the way (refused: the repository's path skips it), and for a missing id."""

from __future__ import annotations

import random
import uuid
from typing import Any

import pytest
from eventsourcing.application import AggregateNotFoundError

from assessment.application.kernel.audit import rebuilt_at
from assessment.application.kernel.context import CommandContext
from assessment.application.kernel.views import to_public_state
from assessment.bootstrap import build_application
from assessment.domain.kernel.errors import NotFound, ValidationFailed
from assessment.domain.registry.unit import unit_id_for
from integration.assessment.store_roles import CTX, Roles
from integration.assessment.test_tag_checks import Service, _forge_snapshot

pytestmark = pytest.mark.integration


class Counted:
    def __init__(self, function: Any) -> None:
        self.function, self.calls = function, 0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        return self.function(*args, **kwargs)


def _state(aggregate: Any) -> tuple[Any, ...]:
    return (type(aggregate), vars(aggregate), to_public_state(aggregate))


def test_one_query_equals_the_repository_at_random_versions(service: Service, roles: Roles) -> None:
    _, _, settings = service
    app = build_application(settings)
    try:
        assert app.snapshots is not None
        recorder: Any = app.recorder
        assert callable(getattr(recorder, "snapshot_and_events", None))
        app.register_unit(CTX, code="ASOF", name="Đơn vị thời điểm 0", kind="department")
        ident = unit_id_for(CTX.tenant, "ASOF")
        for n in range(1, 43):
            app.rename_unit(CTX, ident, name=f"Đơn vị thời điểm {n}")
        last: int = app.repository.get(ident).version
        assert last == 43
        for v in range(5, last, 5):  # units are not snapshotted by interval: taken here
            app.take_snapshot(ident, version=v)
        taken = [s.originator_version for s in app.snapshots.get(ident)]
        assert taken == list(range(5, 43, 5)), taken  # replay starts from a snapshot

        one = recorder.snapshot_and_events = Counted(recorder.snapshot_and_events)
        two = recorder.select_events = Counted(recorder.select_events)
        versions = [*list(range(1, last + 1)), last + 7]
        random.Random(14).shuffle(versions)
        for v in versions:
            before = two.calls
            new = rebuilt_at(app, ident, v)
            assert two.calls == before  # no snapshot query, no events query
            old: Any = app.repository.get(ident, version=v)
            assert _state(new) == _state(old), v
            assert new.version == min(v, last)
        assert one.calls == len(versions)

        # a forged snapshot (no valid tag) at version 43: refused, rebuilt from the events
        _forge_snapshot(app, roles, "ASOF", b"f" * 32)
        for v in (43, 50):
            new = rebuilt_at(app, ident, v)
            assert new.name == "Đơn vị thời điểm 42"
            assert _state(new) == _state(app.repository.get(ident, version=v))
        assert rebuilt_at(app, ident, 42).name == "Đơn vị thời điểm 41"

        with pytest.raises(AggregateNotFoundError):
            rebuilt_at(app, uuid.uuid4(), 3)
        with pytest.raises(AggregateNotFoundError):
            app.repository.get(uuid.uuid4(), version=3)
    finally:
        app.close()


def test_the_audit_use_case_answers_as_before(service: Service) -> None:
    """``aggregate_as_of`` (the route's use case) through the one query: the same public state
    as the repository's read, and the same refusals (too high a version, another tenant)."""
    app, _, _ = service
    ident = unit_id_for(CTX.tenant, "U1")
    app.rename_unit(CTX, ident, name="Đơn vị một, tên mới")
    auditor = CommandContext(
        tenant=CTX.tenant, actor={"subject": "kt", "role": "auditor", "acting_for": None}
    )
    for v in (1, 2):
        got = app.aggregate_as_of(auditor, ident, version=v)
        assert got == to_public_state(app.repository.get(ident, version=v))
    with pytest.raises(ValidationFailed):
        app.aggregate_as_of(auditor, ident, version=3)
    other = CommandContext(tenant="tinh-khac", actor=auditor.actor)
    with pytest.raises(NotFound):
        app.aggregate_as_of(other, ident, version=1)
