"""The individual-rating demo (issue 10): Sở Y tế's staff rated for 2026.

- ``SYT-CC01`` Nguyễn Văn An (công chức, Decree 335): eleven approved monthly sheets, the year's
  rating opened, self-assessment not yet sent — the official's own page (``syt.canbo``).
- ``SYT-VC01`` Trần Thị Bình (viên chức, Decree 90/48 by the tenant default) and ``SYT-CC02`` Lê
  Thị Cúc (công chức, Decree 335): self-assessed, the agency's meeting minuted and approved, the
  party committee's comments and the personnel body's proposals recorded — waiting for the
  head's decision (``syt.thutruong``), both in the task group "chuyen_vien".
- ``STC-CC01`` in Sở Tài chính: a person outside Sở Y tế (no one there may read their file).

The people, sheets and answers are constructed for the demo."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from assessment.application.service import AssessmentApplication
from assessment.domain.individual.person import person_id_for
from assessment.domain.individual.rating import rating_id_for
from assessment.domain.registry.unit import unit_id_for
from embedded.demo import HOME_AFFAIRS, TENANT, clock_at, ctx

YEAR = 2026
GROUP = "chuyen_vien"
PERSONNEL = ctx("syt.tccb", "personnel", "SYT")
PERSONNEL_STC = ctx("stc.tccb", "personnel", "STC")
PEOPLE = [
    # code, name, category, agency, account
    ("SYT-CC01", "Nguyễn Văn An", "cong_chuc", "SYT", "syt.canbo"),
    ("SYT-VC01", "Trần Thị Bình", "vien_chuc", "SYT", "syt.vienchuc"),
    ("SYT-CC02", "Lê Thị Cúc", "cong_chuc", "SYT", "syt.cc02"),
    ("STC-CC01", "Phạm Văn Dũng", "cong_chuc", "STC", "stc.canbo"),
    ("SYT-PGD01", "Hồ Văn Phó", "cong_chuc", "SYT", "syt.phogiamdoc"),
]
INSPECTION = "88/QĐ-UBND"
INSPECTOR = ctx("thanhtra", "inspector", "UBND-TINH")
SHEETS = {
    "SYT-CC01": ("22", "2"),
    "SYT-CC02": ("10", "2"),
    "SYT-PGD01": ("20", "2"),
}  # general points, completed of 2


def _person(code: str, name: str, category: str, agency: str, account: str) -> dict[str, Any]:
    deputy = code.startswith("SYT-PGD")
    return {
        "code": code,
        "full_name": name,
        "category": category,
        "agency_id": agency,
        "position": "deputy" if deputy else "staff",
        "job_position": "Chuyên viên" if category == "cong_chuc" else "Viên chức chuyên môn",
        "task_group": "lanh_dao" if deputy else GROUP,
        "employed_from": "2018-01-02",
        "account": account,
    }


def rating_of(code: str) -> str:
    return str(rating_id_for(person_id_for(TENANT, code), YEAR))


def load_individual_demo(app: AssessmentApplication) -> dict[str, str] | None:
    """Idempotent: loads nothing when the demo's first person already exists."""
    if app.recorder.select_events(person_id_for(TENANT, PEOPLE[0][0]), limit=1):
        return None
    with clock_at(app, "2026-01-05T09:00:00+07:00"):
        for code, name, category, agency, account in PEOPLE:
            who = PERSONNEL if agency == "SYT" else PERSONNEL_STC
            app.register_person(who, **_person(code, name, category, agency, account))
    with clock_at(app, "2026-11-30T16:00:00+07:00"):
        sheets = [
            {
                "person_code": code,
                "period": month,
                "general": general,
                "products": [
                    {"code": "SP1", "title": "Hồ sơ thẩm định", "assigned": "2", "completed": done}
                ],
            }
            for code, (general, done) in SHEETS.items()
            for month in range(1, 12)
        ]
        app.import_sheets(PERSONNEL, year=YEAR, sheets=sheets)
    with clock_at(app, "2026-12-01T08:00:00+07:00"):
        app.open_ratings(
            PERSONNEL,
            agency_id="SYT",
            year=YEAR,
            person_codes=[c for c, *_, agency, _a in PEOPLE if agency == "SYT"],
        )
        app.open_ratings(PERSONNEL_STC, agency_id="STC", year=YEAR, person_codes=["STC-CC01"])
    _inspection(app)
    with clock_at(app, "2026-12-01T09:00:00+07:00"):
        app.self_assess(
            ctx("syt.phogiamdoc", "official", "SYT"),
            rating_id_for(person_id_for(TENANT, "SYT-PGD01"), YEAR),
            form="phieu_diem_335",
            content={"ket_qua": "Chỉ đạo thẩm định hồ sơ của phòng đúng hạn."},
        )
    ready = {"SYT-VC01": ("mau_03", "hoan_thanh_xuat_sac"), "SYT-CC02": ("phieu_diem_335", None)}
    with clock_at(app, "2026-12-01T10:00:00+07:00"):
        for code, (form, proposed) in ready.items():
            account = next(p[4] for p in PEOPLE if p[0] == code)
            app.self_assess(
                ctx(account, "official", "SYT"),
                rating_id_for(person_id_for(TENANT, code), YEAR),
                form=form,
                content={"ket_qua": "Hoàn thành đúng hạn các hồ sơ thẩm định được giao."},
                proposed_level=proposed,
            )
        app.record_agency_round(
            PERSONNEL,
            proposals=[
                {"rating_id": rating_of("SYT-VC01"), "proposed_level": "hoan_thanh_xuat_sac"},
                {"rating_id": rating_of("SYT-CC02"), "proposed_level": None},
            ],
            minutes_number="01/BB-SYT",
            held_on="2026-12-01",
            attendees=25,
            comments=[{"by": "Công đoàn cơ sở", "text": "Nhất trí với bản tự đánh giá."}],
            party_document_number="05-NX/CB",
            party_comments="Chi bộ nhất trí.",
            summary="Tổng hợp ý kiến cuộc họp và của cấp ủy.",
        )
    return {"individual_year": str(YEAR)}


def _inspection(app: AssessmentApplication) -> None:
    """Seed 003: an inspection of Sở Y tế's deputy director with one finding on him."""
    syt = unit_id_for(TENANT, "SYT")
    with clock_at(app, "2026-10-01T09:00:00+07:00"):
        made = app.decide_inspection(
            HOME_AFFAIRS,
            decision={
                "number": INSPECTION,
                "date": "2026-09-25",
                "signer": "Đinh Quốc Thái",
                "legal_basis": "Kế hoạch kiểm tra công vụ năm 2026 của UBND tỉnh",
            },
            title="Kiểm tra công vụ năm 2026 tại Sở Y tế",
            mode="scheduled",
            head={"subject": "thanhtra", "name": "Bùi Thanh Tra"},
        )
        inspection_id = UUID(made["id"])
        app.plan_inspection(
            INSPECTOR,
            inspection_id,
            scope="Thời gian giải quyết hồ sơ thẩm định",
            period_from="2026-01-01",
            period_to="2026-09-30",
            units=[syt],
            persons=[
                {
                    "subject": "syt.phogiamdoc",
                    "name": "Hồ Văn Phó",
                    "position": "deputy",
                    "unit_id": syt,
                }
            ],
        )
        app.send_notice(
            INSPECTOR, inspection_id, unit_id=syt, reference="TB 12/TTr", visit_on="2026-10-15"
        )
    with clock_at(app, "2026-10-15T09:00:00+07:00"):
        app.start_visit(INSPECTOR, inspection_id, unit_id=syt, place="Trụ sở Sở Y tế")
        app.record_finding(
            INSPECTOR,
            inspection_id,
            unit_id=syt,
            person="syt.phogiamdoc",
            kind="late_handling",
            severity="moderate",
            description="12 hồ sơ thẩm định quá hạn trong quý III do chậm phân công.",
        )
