"""Remediation plans: from any finding, roadmap, overdue as of a day, verification by the raiser."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from eventsourcing.application import Application

from assessment.domain.kernel.errors import NotFound, StepOrderViolation, ValidationFailed
from assessment.domain.remediation.plan import RemediationPlan, remediation_plan_id_for
from assessment.domain.remediation.values import NotTheRaiser, PlanClosed, PlanStatus
from builders import at, evidence

INSPECTOR = {"subject": "snv.truong-doan", "role": "inspector", "acting_for": "SNV"}
COLLEAGUE = {"subject": "snv.thanh-vien", "role": "inspector", "acting_for": "SNV"}
OWNER = {"subject": "sxd.pho-giam-doc", "role": "unit_head", "acting_for": "SXD"}
T = at("2024-04-10T09:00+07:00")


def opened(kind: str = "inspection_finding", **kw: Any) -> RemediationPlan:
    args: dict[str, Any] = dict(
        tenant="tra-vinh",
        actor=INSPECTOR,
        occurred_at=T,
        source_kind=kind,
        source_reference="insp-1/finding-0",
        source_description="12/40 văn bản tham mưu trễ hạn",
        source_year=2024,
        raised_by=INSPECTOR,
        subject_kind="person",
        subject_id="sxd.pho-giam-doc",
        subject_unit_id="SXD",
        title="Khắc phục chậm trễ tham mưu",
        owner="sxd.pho-giam-doc",
        follow_up_officer="snv.thanh-vien",
    )
    args.update(kw)
    return RemediationPlan.open(**args)


def with_roadmap() -> tuple[RemediationPlan, str, str]:
    plan = opened()
    sol = plan.add_solution(actor=OWNER, occurred_at=T, solution="Phân công lại, theo dõi hạn")
    m1 = plan.schedule_milestone(
        actor=OWNER, occurred_at=T, title="Rà soát tồn đọng", due_on="2024-05-15", solution_id=sol
    )
    m2 = plan.schedule_milestone(
        actor=OWNER, occurred_at=T, title="Quy chế theo dõi hạn", due_on="2024-06-30"
    )
    return plan, m1, m2


@pytest.mark.parametrize(
    "kind", ["inspection_finding", "collective_limitation", "cchc_gap", "vote_low_confidence"]
)
def test_a_plan_opens_from_any_kind_of_finding_once(kind: str) -> None:
    plan = opened(kind)
    assert plan.id == remediation_plan_id_for("tra-vinh", kind, "insp-1/finding-0")
    assert plan.status is PlanStatus.OPEN and plan.source["raised_by"] == INSPECTOR


@pytest.mark.parametrize(
    "kw",
    [
        {"source_kind": "rumour"},
        {"owner": " "},
        {"raised_by": {"subject": "x"}},
        {"subject_kind": "department"},
    ],
)
def test_bad_plans_are_refused(kw: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed):
        opened(**kw)


def test_overdue_is_derived_as_of_a_day_and_moves_only_by_extension() -> None:
    plan, m1, m2 = with_roadmap()
    assert plan.overdue_milestones(date(2024, 5, 15)) == []  # due day itself: not overdue
    overdue = plan.overdue_milestones(date(2024, 5, 16))
    assert [(o["milestone_id"], o["days_overdue"]) for o in overdue] == [(m1, 1)]
    with pytest.raises(ValidationFailed):
        plan.extend(actor=OWNER, occurred_at=T, milestone_id=m1, due_on="2024-06-01", reason=" ")
    with pytest.raises(ValidationFailed):
        plan.extend(
            actor=OWNER, occurred_at=T, milestone_id=m1, due_on="2024-05-01", reason="sớm hơn"
        )
    plan.extend(
        actor=OWNER,
        occurred_at=T,
        milestone_id=m1,
        due_on="2024-06-01",
        reason="Chờ kết quả rà soát của Văn phòng UBND",
    )
    assert plan.overdue_milestones(date(2024, 5, 16)) == []
    assert plan.milestones[m1]["extensions"][0]["from"] == "2024-05-15"
    assert [o["milestone_id"] for o in plan.overdue_milestones(date(2024, 7, 1))] == [m1, m2]


def test_done_needs_evidence_then_the_raiser_verifies_and_closes() -> None:
    plan, m1, m2 = with_roadmap()
    plan.report_progress(actor=OWNER, occurred_at=T, milestone_id=m1, report="Đã rà soát 50%")
    with pytest.raises(ValidationFailed):
        plan.report_progress(actor=OWNER, occurred_at=T, milestone_id=m1, report="Xong", done=True)
    plan.report_progress(
        actor=OWNER,
        occurred_at=at("2024-05-20T10:00+07:00"),
        milestone_id=m1,
        report="Xong",
        evidence=[evidence("ra-soat.pdf")],
        done=True,
    )
    assert plan.milestones[m1]["done_on"] == "2024-05-20"
    with pytest.raises(StepOrderViolation):
        plan.verify(actor=INSPECTOR, occurred_at=T, accepted=True, remark="")
    plan.report_progress(
        actor=OWNER,
        occurred_at=T,
        milestone_id=m2,
        report="Ban hành quy chế",
        evidence=[evidence("quy-che.pdf")],
        done=True,
    )
    assert plan.status is PlanStatus.AWAITING_VERIFICATION
    with pytest.raises(NotTheRaiser):
        plan.verify(actor=OWNER, occurred_at=T, accepted=True, remark="tự xác nhận")
    with pytest.raises(ValidationFailed):
        plan.verify(actor=INSPECTOR, occurred_at=T, accepted=False, remark="")
    plan.verify(
        actor=COLLEAGUE, occurred_at=T, accepted=False, remark="Quy chế chưa có mốc báo cáo"
    )
    assert plan.status is PlanStatus.OPEN and plan.milestones[m2]["done_on"] is None
    for m in (m1, m2):
        plan.report_progress(
            actor=OWNER,
            occurred_at=T,
            milestone_id=m,
            report="Đã bổ sung",
            evidence=[evidence("bo-sung.pdf")],
            done=True,
        )
    plan.verify(
        actor=INSPECTOR, occurred_at=at("2024-07-02T08:00+07:00"), accepted=True, remark="Đạt"
    )
    assert plan.status is PlanStatus.CLOSED and plan.closed_on == "2024-07-02"
    assert plan.overdue_milestones(date(2030, 1, 1)) == []
    with pytest.raises(PlanClosed):
        plan.add_solution(actor=OWNER, occurred_at=T, solution="thêm")
    names = [type(e).__name__ for e in plan.collect_events()]
    assert names[-2:] == ["CompletionVerified", "Closed"]


def test_escalation_is_recorded_and_keeps_the_plan_going() -> None:
    plan, m1, _ = with_roadmap()
    plan.escalate(
        actor=INSPECTOR,
        occurred_at=T,
        escalated_to="Chủ tịch UBND tỉnh",
        reason="Quá hạn 2 lần không báo cáo",
    )
    assert plan.status is PlanStatus.ESCALATED
    plan.report_progress(actor=OWNER, occurred_at=T, milestone_id=m1, report="Đang làm")
    with pytest.raises(NotFound):
        plan.report_progress(actor=OWNER, occurred_at=T, milestone_id="nope", report="x")


def test_events_name_tenant_actor_and_topic_and_replay() -> None:
    plan, m1, _ = with_roadmap()
    plan.report_progress(
        actor=OWNER, occurred_at=T, milestone_id=m1, report="x", evidence=[evidence()], done=True
    )
    events = plan.collect_events()
    for e in events:
        assert e.tenant == "tra-vinh" and e.actor["subject"] and e.occurred_at.tzinfo
        assert f"assessment.RemediationPlan.{type(e).__name__}" == type(e).TOPIC
    app: Application[Any] = Application()
    plan2, _, _ = with_roadmap()
    app.save(plan2)
    again = app.repository.get(plan2.id)
    assert again.milestones == plan2.milestones and again.source == plan2.source
