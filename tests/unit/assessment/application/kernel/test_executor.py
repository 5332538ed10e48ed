"""Use cases on the in-memory store: idempotency, tenancy, optimistic concurrency."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from eventsourcing.persistence import IntegrityError

from assessment.application.kernel.errors import ConcurrencyConflict, IdempotencyKeyReused
from assessment.application.service import AssessmentApplication, CommandContext
from assessment.domain.kernel.errors import AlreadyExists, NotFound
from builders import thorough_groups
from helpers import MutableClock


@pytest.fixture
def app(clock: MutableClock) -> Iterator[AssessmentApplication]:
    application = AssessmentApplication(
        env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock=clock
    )
    yield application
    application.close()


def ctx(
    tenant: str = "dong-nai",
    key: str | None = None,
    fp: str | None = None,
    unit: str = "SNV",
    role: str = "home_affairs",
    subject: str = "u1",
) -> CommandContext:
    return CommandContext(
        tenant=tenant,
        actor={"subject": subject, "role": role, "acting_for": unit},
        idempotency_key=key,
        request_fingerprint=fp,
    )


def setup_cycle(app: AssessmentApplication) -> tuple[str, str]:
    unit = app.register_unit(ctx(), code="SNV", name="Sở Nội vụ", kind="department")
    cycle = app.plan_cycle(
        ctx(), year=2013, plan_reference="KH 2013", unit_ids=[__import__("uuid").UUID(unit["id"])]
    )
    return cycle["id"], unit["id"]


def count(app: AssessmentApplication) -> int:
    return app.recorder.max_notification_id() or 0


def test_same_idempotency_key_gives_the_same_answer_and_no_second_event(
    app: AssessmentApplication,
) -> None:
    first = app.register_unit(ctx(key="k-1", fp="A"), code="SYT", name="Sở Y tế", kind="department")
    n = count(app)
    again = app.register_unit(ctx(key="k-1", fp="A"), code="SYT", name="Sở Y tế", kind="department")
    assert again == first
    assert count(app) == n


def test_idempotency_key_reused_for_another_request_is_refused(app: AssessmentApplication) -> None:
    app.register_unit(ctx(key="k-2", fp="A"), code="SYT", name="Sở Y tế", kind="department")
    n = count(app)
    with pytest.raises(IdempotencyKeyReused):
        app.register_unit(
            ctx(key="k-2", fp="B"), code="STC", name="Sở Tài chính", kind="department"
        )
    assert count(app) == n


def test_idempotency_keys_are_per_tenant(app: AssessmentApplication) -> None:
    a = app.register_unit(ctx(key="same", fp="A"), code="SYT", name="Sở Y tế", kind="department")
    b = app.register_unit(
        ctx(tenant="quang-tri", key="same", fp="A"), code="SYT", name="Sở Y tế", kind="department"
    )
    assert a["id"] != b["id"]


def test_unit_codes_are_unique_per_tenant(app: AssessmentApplication) -> None:
    app.register_unit(ctx(), code="SYT", name="Sở Y tế", kind="department")
    with pytest.raises(AlreadyExists):
        app.register_unit(ctx(), code="SYT", name="Sở Y tế 2", kind="department")


def test_another_tenant_sees_not_found(app: AssessmentApplication) -> None:
    cycle_id, unit_id = setup_cycle(app)
    import uuid

    with pytest.raises(NotFound):
        app.get_unit_assessment(ctx(tenant="quang-tri"), uuid.UUID(cycle_id), uuid.UUID(unit_id))
    n = count(app)
    with pytest.raises(NotFound):
        app.submit_self_assessment(
            ctx(tenant="quang-tri", role="unit_officer"),
            uuid.UUID(cycle_id),
            uuid.UUID(unit_id),
            groups=thorough_groups(),
            proposed_level="hoan_thanh",
        )
    assert count(app) == n


def test_a_failed_command_stores_nothing(app: AssessmentApplication) -> None:
    import uuid

    cycle_id, unit_id = setup_cycle(app)
    n = count(app)
    with pytest.raises(Exception):
        app.submit_self_assessment(
            ctx(),
            uuid.UUID(cycle_id),
            uuid.UUID(unit_id),
            groups={"tham_muu": {"results": "x"}},
            proposed_level="hoan_thanh",
        )
    assert count(app) == n


def test_conflict_is_retried_once_on_fresh_state(
    app: AssessmentApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_save = app.save
    calls = {"n": 0}

    def flaky_save(*objs: object, **kw: object) -> object:
        calls["n"] += 1
        if calls["n"] == 1:
            raise IntegrityError("simulated concurrent write")
        return real_save(*objs, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(app, "save", flaky_save)
    result = app.register_unit(ctx(), code="SYT", name="Sở Y tế", kind="department")
    assert calls["n"] == 2 and result["version"] == 1


def test_conflict_twice_becomes_a_409(
    app: AssessmentApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    def always_conflict(*objs: object, **kw: object) -> object:
        raise IntegrityError("simulated")

    monkeypatch.setattr(app, "save", always_conflict)
    with pytest.raises(ConcurrencyConflict):
        app.register_unit(ctx(), code="SYT", name="Sở Y tế", kind="department")


def test_full_cycle_through_the_application(
    app: AssessmentApplication, clock: MutableClock
) -> None:
    import uuid

    cycle_id, unit_id = setup_cycle(app)
    c, u = uuid.UUID(cycle_id), uuid.UUID(unit_id)
    clock.set("2013-11-12T10:00+07:00")
    app.register_unit(ctx(), code="SYT", name="Sở Y tế", kind="department")
    app.grant_assignment(
        ctx(),
        kind="sector_management",
        holder="SYT",
        unit_ids=[u],
        decision_number="45/QĐ-UBND",
        decision_date="2013-01-15",
        valid_from="2013-01-15",
    )
    app.grant_assignment(
        ctx(role="chairman"),
        kind="pc_oversight",
        holder="pct.a",
        unit_ids=[u],
        decision_number="1770/QĐ-UBND",
        decision_date="2011-07-14",
        valid_from="2011-07-14",
    )
    res = app.submit_sector_review(
        ctx(unit="SYT", role="sector_reviewer"),
        c,
        u,
        comment="Tốt",
        proposed_level="hoan_thanh_tot",
        published=True,
    )
    assert res["late"] is True and res["late_by_seconds"] == 34 * 3600
    clock.set("2013-12-01T10:00+07:00")
    app.submit_self_assessment(
        ctx(role="unit_officer"),
        c,
        u,
        groups=thorough_groups(),
        proposed_level="hoan_thanh_xuat_sac",
    )
    app.submit_member_review(
        ctx(role="pc_member", subject="pct.a", unit="UBND-TINH"),
        c,
        u,
        assignment_reference="QĐ 1770/QĐ-UBND",
        comment="Được",
        proposed_level="hoan_thanh_tot",
    )
    clock.set("2013-12-30T10:00+07:00")
    app.consolidate(ctx(), c, u, summary="Tổng hợp", proposed_level="hoan_thanh_tot")
    clock.set("2014-01-05T10:00+07:00")
    app.review_by_caucus(ctx(role="party_caucus"), c, u, comment="Đồng ý", proposed_level=None)
    clock.set("2014-01-09T10:00+07:00")  # a decision is never dated in the future
    app.recognise(
        ctx(role="chairman"),
        c,
        u,
        decision_number="1/QĐ-UBND",
        decision_date="2014-01-09",
        signer="Chủ tịch",
        level="hoan_thanh_tot",
    )
    app.publish(ctx(), c, u, channel="Cổng TTĐT")
    view = app.get_unit_assessment(ctx(role="auditor"), c, u)
    assert view["current_level"] == "hoan_thanh_tot"
    assert view["publication"]["channel"] == "Cổng TTĐT"
    assert view["sector_reviews"]["SYT"]["late_by_seconds"] == 34 * 3600
