"""The audit's as-of reads through the row cache, on real PostgreSQL: the same public state as
the repository's read at every version, a second read of a version without a query, ownership
and bounds checked on every read (hit or miss), a snapshot forged after the rows were kept
changing nothing, one read serving the versions after it up to its snapshot interval's end,
and no cache when it is configured off."""

from __future__ import annotations

import random
from typing import Any

import pytest

from assessment.application.kernel.context import CommandContext
from assessment.application.kernel.views import to_public_state
from assessment.bootstrap import build_application
from assessment.domain.kernel.errors import NotFound, ValidationFailed
from assessment.domain.registry.unit import unit_id_for
from integration.assessment.store_roles import CTX, Roles
from integration.assessment.test_as_of_one_query import Counted
from integration.assessment.test_tag_checks import Service, _forge_snapshot

pytestmark = pytest.mark.integration
AUDITOR = CommandContext(
    tenant=CTX.tenant, actor={"subject": "kt", "role": "auditor", "acting_for": None}
)


def test_as_of_reads_through_the_cache_answer_as_the_repository(
    service: Service, roles: Roles
) -> None:
    _, _, settings = service
    app = build_application(settings)
    try:
        cache: Any = app.as_of_cache  # type: ignore[attr-defined]
        app.register_unit(CTX, code="CACHE", name="Đơn vị 0", kind="department")
        ident = unit_id_for(CTX.tenant, "CACHE")
        for n in range(1, 30):
            app.rename_unit(CTX, ident, name=f"Đơn vị {n}")
        for v in (10, 20):
            app.take_snapshot(ident, version=v)
        query = cache.query = Counted(cache.query)
        versions = list(range(1, 31))
        random.Random(7).shuffle(versions)
        for v in versions:
            expected = to_public_state(app.repository.get(ident, version=v))
            assert app.aggregate_as_of(AUDITOR, ident, version=v) == expected, v
            calls = query.calls
            assert app.aggregate_as_of(AUDITOR, ident, version=v) == expected, v
            assert query.calls == calls, v  # the second read of a version: no query
        assert cache.hits >= len(versions)

        # kept rows answer no one else: ownership and bounds are checked on every read
        other = CommandContext(tenant="tinh-khac", actor=AUDITOR.actor)
        calls = query.calls
        with pytest.raises(NotFound):
            app.aggregate_as_of(other, ident, version=15)
        assert query.calls == calls  # a hit, refused all the same
        with pytest.raises(ValidationFailed):
            app.aggregate_as_of(AUDITOR, ident, version=31)

        # a snapshot forged after the rows were kept (a valid-looking row, another key)
        _forge_snapshot(app, roles, "CACHE", b"f" * 32, version=25)
        for v in (25, 27, 30):
            assert app.aggregate_as_of(AUDITOR, ident, version=v)["state"]["name"] == (
                f"Đơn vị {v - 1}"
            )
        cache.clear()  # and read afresh: the forged row is refused, the events decide
        for v in (25, 27, 30):
            assert app.aggregate_as_of(AUDITOR, ident, version=v)["state"]["name"] == (
                f"Đơn vị {v - 1}"
            )

        # one read fetches on to the end of its snapshot interval: stepping on asks nothing
        cache.clear()
        assert app.aggregate_as_of(AUDITOR, ident, version=11)["state"]["name"] == "Đơn vị 10"
        calls = query.calls
        for v in range(12, 31):
            assert app.aggregate_as_of(AUDITOR, ident, version=v)["state"]["name"] == (
                f"Đơn vị {v - 1}"
            )
        assert query.calls == calls
    finally:
        app.close()
    off = build_application(settings.model_copy(update={"as_of_cache_mb": 0}))
    try:
        assert getattr(off, "as_of_cache", None) is None
        assert off.aggregate_as_of(AUDITOR, ident, version=3)["state"]["name"] == "Đơn vị 2"
    finally:
        off.close()
