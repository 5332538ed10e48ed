"""Drafts, withdrawals and supplements on the aggregate: the rules of ``exchanges``, their
events' topics, and state restored from a snapshot."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from eventsourcing.utils import get_topic

from assessment.application.service import CommandContext
from assessment.bootstrap import build_application
from assessment.domain.collective.unit_assessment import UnitAssessment, unit_assessment_id_for
from assessment.domain.kernel.errors import StepClosed, ValidationFailed
from builders import thorough_groups
from shared.settings import AssessmentSettings

ACTOR = {"subject": "snv.vanthu", "role": "unit_officer", "acting_for": "SNV"}
T0 = datetime(2013, 12, 1, 2, 0, tzinfo=UTC)
CODES = ["tham_muu", "nhiem_vu", "ky_luat"]


def opened() -> UnitAssessment:
    return UnitAssessment.open(
        tenant="t",
        actor=ACTOR,
        occurred_at=T0,
        cycle_id=uuid.uuid4(),
        unit_id=uuid.uuid4(),
        year=2013,
    )


def submitted() -> UnitAssessment:
    ua = opened()
    ua.submit_self_assessment(
        actor=ACTOR,
        occurred_at=T0,
        deadline=None,
        group_codes=CODES,
        groups=thorough_groups(),
        proposed_level="hoan_thanh_tot",
    )
    return ua


def test_a_draft_is_checked_loosely_but_only_for_the_plans_groups() -> None:
    ua = opened()
    ua.save_self_assessment_draft(
        actor=ACTOR,
        occurred_at=T0,
        group_codes=CODES,
        groups={"ky_luat": {}},
        proposed_level=None,
    )
    assert ua.draft is not None and ua.draft["groups"]["ky_luat"]["results"] == ""
    with pytest.raises(ValidationFailed, match="không có trong kế hoạch"):
        ua.save_self_assessment_draft(
            actor=ACTOR,
            occurred_at=T0,
            group_codes=CODES,
            groups={"khac": {}},
            proposed_level=None,
        )
    with pytest.raises(ValidationFailed):
        ua.save_self_assessment_draft(
            actor=ACTOR, occurred_at=T0, group_codes=CODES, groups={}, proposed_level="tot"
        )


def test_withdrawal_just_before_the_deadline_is_accepted_and_just_after_refused() -> None:
    deadline = T0 + timedelta(days=1)
    late = submitted()
    with pytest.raises(StepClosed):
        late.withdraw_self_assessment(
            actor=ACTOR,
            occurred_at=deadline + timedelta(seconds=1),
            deadline=deadline,
            reason=None,
        )
    ua = submitted()
    ua.withdraw_self_assessment(actor=ACTOR, occurred_at=deadline, deadline=deadline, reason="")
    assert ua.self_assessment is None and len(ua.withdrawals) == 1
    events = ua.collect_events()
    assert get_topic(type(events[-1])) == "assessment.UnitAssessment.SelfAssessmentWithdrawn"
    assert isinstance(events[-1], UnitAssessment.Event)


def test_requests_get_distinct_ids_and_close_after_recognition() -> None:
    ua = submitted()
    first = ua.request_supplement(actor=ACTOR, occurred_at=T0, reason="A", due_date="2013-12-05")
    second = ua.request_supplement(actor=ACTOR, occurred_at=T0, reason="B", due_date="2013-12-05")
    assert first != second and len(ua.open_supplements()) == 2
    ua.recognition = {"level": "hoan_thanh"}
    with pytest.raises(StepClosed):
        ua.request_supplement(actor=ACTOR, occurred_at=T0, reason="C", due_date="2013-12-05")


def test_exchanges_survive_snapshots(tmp_path: Path) -> None:
    ctx = CommandContext(
        tenant="t", actor={"subject": "s", "role": "home_affairs", "acting_for": None}
    )
    unit_ctx = CommandContext(tenant="t", actor={**ACTOR, "acting_for": "U"})
    app = build_application(
        AssessmentSettings(sqlite_path=tmp_path / "a.sqlite", snapshot_interval=2)
    )
    unit = uuid.UUID(app.register_unit(ctx, code="U", name="Đơn vị", kind="department")["id"])
    cycle = uuid.UUID(app.plan_cycle(ctx, year=2099, plan_reference="KH", unit_ids=[unit])["id"])
    app.save_self_assessment_draft(unit_ctx, cycle, unit, groups={"ky_luat": {"results": "x"}})
    app.submit_self_assessment(
        unit_ctx, cycle, unit, groups=thorough_groups(), proposed_level="hoan_thanh_tot"
    )
    asked = app.ask_for_supplement(ctx, cycle, unit, reason="Bổ sung", due_date="2099-12-01")
    app.answer_supplement(unit_ctx, cycle, unit, uuid.UUID(asked["request_id"]), text="Đây")
    app.withdraw_self_assessment(unit_ctx, cycle, unit, reason="Sửa")
    assert app.snapshots is not None and list(
        app.snapshots.get(unit_assessment_id_for(cycle, unit))
    )
    state = app.get_unit_assessment(ctx, cycle, unit)
    app.close()
    again = build_application(AssessmentSettings(sqlite_path=tmp_path / "a.sqlite"))
    again.repository.snapshot_store = None
    assert again.get_unit_assessment(ctx, cycle, unit) == state
    again.close()
    assert state["supplements"][0]["answer"]["text"] == "Đây"
    assert state["withdrawals"][0]["reason"] == "Sửa"
