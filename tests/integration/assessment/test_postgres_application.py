"""The assessment application on real PostgreSQL."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator

import pytest
from pydantic import SecretStr

from assessment.application.kernel.errors import ConcurrencyConflict
from assessment.application.service import AssessmentApplication, CommandContext
from assessment.bootstrap import build_application
from builders import thorough_groups
from helpers import MutableClock
from shared.settings import AssessmentSettings

pytestmark = pytest.mark.integration


@pytest.fixture
def app(pg_url: str, clock: MutableClock) -> Iterator[AssessmentApplication]:
    application = build_application(
        AssessmentSettings(mode="production", database_url=SecretStr(pg_url)), clock=clock
    )
    yield application
    application.close()


def ctx(unit: str = "SNV", key: str | None = None, role: str = "home_affairs") -> CommandContext:
    return CommandContext(
        tenant="dong-nai",
        actor={"subject": f"u-{unit}", "role": role, "acting_for": unit},
        idempotency_key=key,
        request_fingerprint="fp" if key else None,
    )


def test_cycle_on_postgres_and_idempotent_retry(
    app: AssessmentApplication, clock: MutableClock
) -> None:
    unit = app.register_unit(ctx(), code="SNV", name="Sở Nội vụ", kind="department")
    cycle = app.plan_cycle(ctx(), year=2013, plan_reference="KH", unit_ids=[uuid.UUID(unit["id"])])
    c, u = uuid.UUID(cycle["id"]), uuid.UUID(unit["id"])
    clock.set("2013-12-11T08:00+07:00")
    first = app.submit_self_assessment(
        ctx(key="k", role="unit_officer"),
        c,
        u,
        groups=thorough_groups(),
        proposed_level="hoan_thanh_tot",
    )
    n = app.recorder.max_notification_id()
    again = app.submit_self_assessment(
        ctx(key="k", role="unit_officer"),
        c,
        u,
        groups=thorough_groups(),
        proposed_level="hoan_thanh_tot",
    )
    assert again == first and first["late"] is True
    assert app.recorder.max_notification_id() == n
    view = app.get_unit_assessment(ctx(role="auditor"), c, u)
    assert view["self_assessment"]["late_by_seconds"] == 8 * 3600


def test_concurrent_commands_lose_no_update(app: AssessmentApplication, pg_url: str) -> None:
    unit = app.register_unit(ctx(), code="SNV", name="Sở Nội vụ", kind="department")
    cycle = app.plan_cycle(ctx(), year=2013, plan_reference="KH", unit_ids=[uuid.UUID(unit["id"])])
    c, u = uuid.UUID(cycle["id"]), uuid.UUID(unit["id"])
    for i in range(8):
        app.register_unit(ctx(), code=f"S{i}", name=f"Sở {i}", kind="department")
        app.grant_assignment(
            ctx(),
            kind="sector_management",
            holder=f"S{i}",
            unit_ids=[u],
            decision_number="45/QĐ-UBND",
            decision_date="2013-01-01",
            valid_from="2013-01-01",
        )
    # a second process-like application on the same database
    other = build_application(AssessmentSettings(mode="production", database_url=SecretStr(pg_url)))
    ok: list[str] = []
    conflicts: list[str] = []
    lock = threading.Lock()

    def review(application: AssessmentApplication, reviewer: str) -> None:
        try:
            application.submit_sector_review(
                ctx(unit=reviewer, role="sector_reviewer"),
                c,
                u,
                comment="ok",
                proposed_level="hoan_thanh",
                published=True,
            )
            with lock:
                ok.append(reviewer)
        except ConcurrencyConflict:
            with lock:
                conflicts.append(reviewer)

    threads = [
        threading.Thread(target=review, args=(app if i % 2 else other, f"S{i}")) for i in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    other.close()
    assert len(ok) + len(conflicts) == 8 and ok
    view = app.get_unit_assessment(ctx(role="auditor"), c, u)
    assert sorted(view["sector_reviews"]) == sorted(ok)
    assert view["version"] == 1 + len(ok)
