"""The inspection aggregate: decision, plan, notice rules by mode, conflicts, findings, report."""

from __future__ import annotations

from typing import Any

import pytest
from eventsourcing.application import Application

from assessment.domain.inspection.inspection import Inspection, inspection_id_for
from assessment.domain.kernel.errors import (
    NotFound,
    StepClosed,
    StepOrderViolation,
    ValidationFailed,
)
from builders import ACTOR, at, evidence

INSPECTOR = {"subject": "snv.pho-giam-doc", "role": "inspector", "acting_for": "SNV"}
MEMBER = {"subject": "snv.chuyen-vien-1", "role": "inspector", "acting_for": "SNV"}
PERSON = "sxd.pho-giam-doc"
T0 = at("2024-03-01T08:00+07:00")


def decided(mode: str = "scheduled", **kw: Any) -> Inspection:
    args: dict[str, Any] = dict(
        tenant="tra-vinh",
        actor=ACTOR,
        occurred_at=T0,
        decision={
            "number": "125/QĐ-UBND",
            "date": "2024-02-20",
            "signer": "Lê Văn Hẳn",
            "legal_basis": "Công văn 5712/UBND-NC ngày 18/12/2023; kế hoạch kiểm tra công vụ 2024",
        },
        title="Kiểm tra công vụ năm 2024 tại Sở Xây dựng",
        mode=mode,
        head={"subject": INSPECTOR["subject"], "name": "Trần Văn B", "title": "Phó Giám đốc SNV"},
        members=[{"subject": MEMBER["subject"], "name": "Nguyễn Thị C"}],
    )
    args.update(kw)
    return Inspection.decide(**args)


def planned(mode: str = "scheduled") -> Inspection:
    insp = decided(mode, complaint_reference="Phản ánh 12/ĐDN" if mode == "complaint" else None)
    insp.plan_inspection(
        actor=INSPECTOR,
        occurred_at=T0,
        scope="Thời gian xử lý công việc từ tiếp nhận, xử lý đến tham mưu; hồ sơ ngẫu nhiên",
        period_from="2023-01-01",
        period_to="2023-12-31",
        units=["SXD", "STP"],
        persons=[
            {"subject": "sxd.giam-doc", "name": "Phạm Văn D", "position": "head", "unit_id": "SXD"},
            {"subject": PERSON, "name": "Lê Thị E", "position": "deputy", "unit_id": "SXD"},
        ],
        sample_sizes={"SXD": {"Xây dựng": 5}},
    )
    return insp


def visiting(mode: str = "scheduled") -> Inspection:
    insp = planned(mode)
    if mode == "scheduled":
        insp.send_notice(
            actor=INSPECTOR, occurred_at=T0, unit_id="SXD", reference="TB 9", visit_on="2024-03-10"
        )
    insp.start_visit(
        actor=INSPECTOR,
        occurred_at=at("2024-03-10T08:00+07:00"),
        unit_id="SXD",
        place="Trụ sở Sở Xây dựng",
    )
    return insp


def test_one_inspection_per_decision_and_tenant() -> None:
    insp = decided()
    assert insp.id == inspection_id_for("tra-vinh", "125/QĐ-UBND")
    assert insp.status == "decided" and insp.decision["signer"] == "Lê Văn Hẳn"
    assert inspection_id_for("ben-tre", "125/QĐ-UBND") != insp.id


@pytest.mark.parametrize(
    "kw",
    [
        {"mode": "surprise"},
        {"mode": "complaint"},  # no complaint named
        {"decision": {"number": "1", "date": "20/02/2024", "signer": "x", "legal_basis": "y"}},
        {"members": [{"subject": INSPECTOR["subject"], "name": "again"}]},
    ],
)
def test_bad_decisions_are_refused(kw: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed):
        decided(**kw)


def test_every_event_carries_tenant_actor_time_and_a_topic() -> None:
    insp = visiting()
    events = insp.collect_events()
    assert [type(e).__name__ for e in events] == [
        "Decided",
        "Planned",
        "NoticeSent",
        "VisitStarted",
    ]
    for e in events:
        assert e.tenant == "tra-vinh" and e.actor["subject"] and e.occurred_at.tzinfo
        assert f"assessment.Inspection.{type(e).__name__}" == type(e).TOPIC


def test_scheduled_needs_a_notice_before_the_visit() -> None:
    insp = planned()
    with pytest.raises(StepOrderViolation):
        insp.start_visit(actor=INSPECTOR, occurred_at=T0, unit_id="SXD", place="x")


def test_unannounced_gives_no_notice_until_the_visit() -> None:
    insp = planned("unannounced")
    with pytest.raises(StepOrderViolation):
        insp.send_notice(
            actor=INSPECTOR, occurred_at=T0, unit_id="SXD", reference="TB", visit_on="2024-03-10"
        )
    insp.start_visit(actor=INSPECTOR, occurred_at=T0, unit_id="SXD", place="Trụ sở")
    insp.send_notice(
        actor=INSPECTOR,
        occurred_at=T0,
        unit_id="SXD",
        reference="TB tại chỗ",
        visit_on="2024-03-01",
    )
    assert insp.notices["SXD"]["reference"] == "TB tại chỗ"


def test_the_plan_is_fixed_once_a_visit_started() -> None:
    insp = visiting()
    assert insp.status == "in_progress"
    with pytest.raises(StepClosed):
        insp.plan_inspection(
            actor=INSPECTOR,
            occurred_at=T0,
            scope="x",
            period_from="2023-01-01",
            period_to="2023-12-31",
            units=["SXD"],
            persons=[],
        )


def test_plan_persons_must_belong_to_planned_units() -> None:
    insp = decided()
    with pytest.raises(ValidationFailed):
        insp.plan_inspection(
            actor=INSPECTOR,
            occurred_at=T0,
            scope="x",
            period_from="2023-01-01",
            period_to="2023-12-31",
            units=["SXD"],
            persons=[{"subject": "a", "name": "A", "position": "deputy", "unit_id": "STP"}],
        )


def test_a_member_standing_aside_records_nothing_on_that_unit() -> None:
    insp = visiting()
    insp.declare_conflict(
        actor=MEMBER,
        occurred_at=T0,
        member=MEMBER["subject"],
        unit_id="SXD",
        description="Vợ là kế toán của Sở Xây dựng",
        stands_aside=True,
    )
    with pytest.raises(ValidationFailed):
        insp.record_finding(
            actor=MEMBER,
            occurred_at=T0,
            unit_id="SXD",
            person=PERSON,
            kind="late_handling",
            severity="moderate",
            description="x",
        )
    with pytest.raises(ValidationFailed):
        insp.declare_conflict(
            actor=MEMBER,
            occurred_at=T0,
            member="stranger",
            unit_id="SXD",
            description="x",
            stands_aside=False,
        )


def test_findings_explanations_conclusion_and_report() -> None:
    insp = visiting()
    with pytest.raises(StepOrderViolation):
        insp.record_finding(
            actor=INSPECTOR,
            occurred_at=T0,
            unit_id="STP",
            person=None,
            kind="other",
            severity="minor",
            description="chưa đến",
        )
    mid = insp.record_minutes(
        actor=INSPECTOR,
        occurred_at=T0,
        unit_id="SXD",
        held_on="2024-03-10",
        place="Trụ sở",
        participants=["Đoàn kiểm tra", "Lãnh đạo Sở Xây dựng"],
        content="Biên bản làm việc",
        signed_by=["Trần Văn B", "Phạm Văn D"],
    )
    fid = insp.record_finding(
        actor=INSPECTOR,
        occurred_at=T0,
        unit_id="SXD",
        person=PERSON,
        kind="late_handling",
        severity="moderate",
        description="12/40 văn bản tham mưu trễ hạn, trung bình 4 ngày",
        evidence=[evidence("bien-ban.pdf")],
        item_ids=["12/UBND-KT", "13/TU"],
        file_ids=["12/UBND-KT"],
    )
    assert insp.minutes[mid]["signed_by"] == ["Trần Văn B", "Phạm Văn D"]
    assert [f["finding_id"] for f in insp.findings_on(PERSON)] == [fid]
    with pytest.raises(ValidationFailed):
        insp.record_finding(
            actor=INSPECTOR,
            occurred_at=T0,
            unit_id="SXD",
            person="not.planned",
            kind="other",
            severity="minor",
            description="x",
        )
    insp.explain(
        actor={"subject": PERSON, "role": "unit_head", "acting_for": "SXD"},
        occurred_at=T0,
        finding_id=fid,
        explanation="Do thiếu biên chế trong quý II",
    )
    with pytest.raises(StepClosed):
        insp.explain(actor=INSPECTOR, occurred_at=T0, finding_id=fid, explanation="again")
    with pytest.raises(StepOrderViolation):
        insp.report_to_chairman(
            actor=INSPECTOR,
            occurred_at=T0,
            report_number="BC 1",
            reported_on="2024-04-01",
            summary="x",
        )
    with pytest.raises(NotFound):
        insp.conclude(
            actor=INSPECTOR,
            occurred_at=T0,
            conclusions="x",
            proposals=[{"kind": "rating_input", "text": "x", "finding_ids": ["nope"]}],
        )
    insp.conclude(
        actor=INSPECTOR,
        occurred_at=T0,
        conclusions="Sở Xây dựng cơ bản thực hiện tốt; còn chậm",
        proposals=[
            {
                "kind": "rating_input",
                "subject": PERSON,
                "text": "Xem xét khi xếp loại cuối năm",
                "finding_ids": [fid],
            },
            {"kind": "remediation", "subject": "SXD", "text": "Xây dựng kế hoạch khắc phục"},
        ],
    )
    with pytest.raises(StepClosed):
        insp.record_finding(
            actor=INSPECTOR,
            occurred_at=T0,
            unit_id="SXD",
            person=None,
            kind="other",
            severity="minor",
            description="late",
        )
    insp.report_to_chairman(
        actor=INSPECTOR,
        occurred_at=T0,
        report_number="45/BC-SNV",
        reported_on="2024-04-05",
        summary="Báo cáo kết quả kiểm tra công vụ",
    )
    assert insp.status == "reported" and insp.report is not None
    assert insp.report["recipient"] == "Chủ tịch UBND tỉnh"


def test_state_survives_a_round_trip_through_an_event_store() -> None:
    insp = visiting()
    fid = insp.record_finding(
        actor=INSPECTOR,
        occurred_at=T0,
        unit_id="SXD",
        person=PERSON,
        kind="passing_on",
        severity="serious",
        description="đùn đẩy",
        evidence=[evidence()],
    )
    app: Application[Any] = Application()
    app.save(insp)
    again = app.repository.get(insp.id)
    assert again.findings == insp.findings and again.plan == insp.plan
    assert again.findings[fid]["kind"] == "passing_on"
    # state never aliases the stored event: mutating it leaves a fresh replay unchanged
    again.findings[fid]["evidence"].clear()
    assert app.repository.get(insp.id).findings[fid]["evidence"]
