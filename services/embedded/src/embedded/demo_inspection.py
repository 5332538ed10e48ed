"""The inspection demo (seed 003, seed 002): the public-service inspection of Sở Y tế in 2013
by the provincial team — two findings (one on the director, one on the unit), the director's
explanation, the conclusion and report to the chairman — and a remediation plan for each: the
director's still open with its milestone overdue, the unit's verified and closed. The facts are
constructed for the demo; the dates fit the 2013 cycle."""

from __future__ import annotations

from uuid import UUID

from assessment.application.service import AssessmentApplication
from assessment.domain.registry.unit import unit_id_for
from embedded.demo import HOME_AFFAIRS, TENANT, clock_at, ctx, evidence

TEAM = ctx("thanhtra", "inspector", "UBND-TINH")
HEAD = ctx("syt.thutruong", "unit_head", "SYT")
TITLE = "Kiểm tra công vụ năm 2013 tại Sở Y tế"


def load_inspection_demo(app: AssessmentApplication) -> dict[str, str]:
    """Called once, by ``load_demo`` (which is itself idempotent)."""
    syt = unit_id_for(TENANT, "SYT")
    with clock_at(app, "2013-10-15T09:00:00+07:00"):
        insp = UUID(
            app.decide_inspection(
                HOME_AFFAIRS,
                decision={
                    "number": "2150/QĐ-UBND",
                    "date": "2013-10-15",
                    "signer": "Đinh Quốc Thái",
                    "legal_basis": "Kế hoạch kiểm tra công vụ năm 2013 của UBND tỉnh",
                },
                title=TITLE,
                mode="scheduled",
                head={"subject": TEAM.actor["subject"], "name": "Bùi Thanh Tra"},
            )["id"]
        )
        app.plan_inspection(
            TEAM,
            insp,
            scope="Việc giải quyết thủ tục hành chính và chấp hành kỷ luật, kỷ cương hành chính",
            period_from="2013-01-01",
            period_to="2013-12-31",
            units=[syt],
            persons=[
                {
                    "subject": HEAD.actor["subject"],
                    "name": "Lê Văn Trưởng",
                    "position": "head",
                    "unit_id": syt,
                }
            ],
        )
        app.send_notice(TEAM, insp, unit_id=syt, reference="TB 12/ĐKT", visit_on="2013-11-20")
    with clock_at(app, "2013-11-20T08:30:00+07:00"):
        app.start_visit(TEAM, insp, unit_id=syt, place="Trụ sở Sở Y tế")
        late = app.record_finding(
            TEAM,
            insp,
            unit_id=syt,
            person=HEAD.actor["subject"],
            kind="late_handling",
            severity="moderate",
            description="32 trên 410 hồ sơ thủ tục hành chính quý III giải quyết trễ hạn, "
            "chưa có văn bản xin lỗi người dân.",
        )["finding_id"]
        posted = app.record_finding(
            TEAM,
            insp,
            unit_id=syt,
            kind="publicity",
            severity="minor",
            description="Bộ phận một cửa chưa niêm yết đủ 14 thủ tục lĩnh vực dược.",
        )["finding_id"]
    with clock_at(app, "2013-11-27T10:00:00+07:00"):
        app.explain_finding(
            HEAD,
            insp,
            late,
            explanation="Quý III thiếu hai chuyên viên thẩm định; đã bổ sung từ tháng 10.",
        )
    with clock_at(app, "2013-12-05T10:00:00+07:00"):
        app.conclude(
            TEAM,
            insp,
            conclusions="Sở Y tế cơ bản chấp hành; còn chậm giải quyết một số hồ sơ và "
            "chưa niêm yết đủ thủ tục.",
            proposals=[
                {
                    "kind": "rating_input",
                    "subject": HEAD.actor["subject"],
                    "text": "Xem xét khi đánh giá, xếp loại người đứng đầu năm 2013",
                    "finding_ids": [late],
                }
            ],
        )
        app.report_to_chairman(
            HOME_AFFAIRS,
            insp,
            report_number="310/BC-SNV",
            reported_on="2013-12-05",
            summary="Báo cáo kết quả kiểm tra công vụ tại Sở Y tế năm 2013",
        )
        plans = {}
        for finding, kind, subject, title in (
            (late, "person", HEAD.actor["subject"], "Khắc phục giải quyết hồ sơ trễ hạn"),
            (posted, "unit", "SYT", "Niêm yết đủ thủ tục hành chính lĩnh vực dược"),
        ):
            plans[kind] = UUID(
                app.open_remediation_plan(
                    TEAM,
                    source_kind="inspection_finding",
                    inspection_id=insp,
                    finding_id=finding,
                    subject_kind=kind,
                    subject_id=subject,
                    subject_unit_id=syt,
                    title=title,
                    owner=HEAD.actor["subject"],
                    follow_up_officer=TEAM.actor["subject"],
                )["id"]
            )
    with clock_at(app, "2013-12-10T10:00:00+07:00"):
        app.schedule_milestone(
            HEAD, plans["person"], title="Không còn hồ sơ trễ hạn", due_on="2014-03-31"
        )
        posting = app.schedule_milestone(
            HEAD, plans["unit"], title="Niêm yết 14 thủ tục", due_on="2014-01-31"
        )["milestone_id"]
    with clock_at(app, "2014-01-20T10:00:00+07:00"):
        app.report_progress(
            HEAD,
            plans["unit"],
            posting,
            report="Đã niêm yết đủ 14 thủ tục.",
            evidence=[evidence("anh-niem-yet-thu-tuc.pdf")],
            done=True,
        )
    with clock_at(app, "2014-01-24T10:00:00+07:00"):
        app.verify_remediation(TEAM, plans["unit"], accepted=True, remark="Đã kiểm tra tại chỗ")
    return {"inspection_id": str(insp), **{f"plan_{k}": str(v) for k, v in plans.items()}}
