"""A demo data set: Đồng Nai's 2013 cycle (seed 001) at various stages, with real dates."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from assessment.application.service import AssessmentApplication, CommandContext
from assessment.domain.collective.cycle import cycle_id_for
from assessment.domain.registry.unit import unit_id_for

TENANT = "dong-nai"
YEAR = 2013

UNITS = [
    ("UBND-TINH", "Ủy ban nhân dân tỉnh Đồng Nai", "peoples_committee", None),
    ("SNV", "Sở Nội vụ", "department", "UBND-TINH"),
    ("STC", "Sở Tài chính", "department", "UBND-TINH"),
    ("SYT", "Sở Y tế", "department", "UBND-TINH"),
    ("SGDDT", "Sở Giáo dục và Đào tạo", "department", "UBND-TINH"),
    ("BVDK", "Bệnh viện Đa khoa Đồng Nai", "public_service_unit", "SYT"),
    ("UBND-BIENHOA", "UBND thành phố Biên Hòa", "lower_peoples_committee", "UBND-TINH"),
    ("UBND-LONGKHANH", "UBND thị xã Long Khánh", "lower_peoples_committee", "UBND-TINH"),
]


def ctx(subject: str, role: str, unit: str | None) -> CommandContext:
    return CommandContext(
        tenant=TENANT, actor={"subject": subject, "role": role, "acting_for": unit}
    )


# The demo users by role: the development sign-in lists them (the Keycloak realm has the same).
DEMO_USERS = [
    ("snv.vanthu", "Nguyễn Thị Vân Thư", "unit_officer", "SNV"),
    ("syt.thutruong", "Lê Văn Trưởng", "unit_head", "SYT"),
    ("sgddt.vanthu", "Phan Thị Giáo", "unit_officer", "SGDDT"),
    ("syt.lanhdao", "Phạm Minh Lãnh", "sector_reviewer", "SYT"),
    ("pct.vanxa", "Trần Văn Xã", "pc_member", "UBND-TINH"),
    ("snv.tonghop", "Hoàng Thị Tổng Hợp", "home_affairs", "SNV"),
    ("bcsd.thuky", "Võ Văn Thư Ký", "party_caucus", "UBND-TINH"),
    ("chu-tich", "Đinh Quốc Thái", "chairman", "UBND-TINH"),
    ("thanhtra", "Bùi Thanh Tra", "inspector", "UBND-TINH"),
    ("kiemtoan", "Đỗ Kiểm Toán", "auditor", None),
    # individual rating (issue 10): the staff of Sở Y tế and its personnel body
    ("syt.canbo", "Nguyễn Văn An", "official", "SYT"),
    ("syt.vienchuc", "Trần Thị Bình", "official", "SYT"),
    ("syt.tccb", "Lý Thị Tổ Chức", "personnel", "SYT"),
]

HOME_AFFAIRS = ctx("snv.tonghop", "home_affairs", "SNV")
CAUCUS = ctx("bcsd.thuky", "party_caucus", "UBND-TINH")
CHAIRMAN = ctx("chu-tich", "chairman", "UBND-TINH")
MEMBER = ctx("pct.vanxa", "pc_member", "UBND-TINH")


def evidence(name: str) -> dict[str, Any]:
    data = f"demo evidence {name}".encode()
    return {"name": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}


@contextmanager
def clock_at(app: AssessmentApplication, iso: str) -> Iterator[None]:
    previous = app.clock
    moment = datetime.fromisoformat(iso).astimezone(UTC)
    app.clock = lambda: moment
    try:
        yield
    finally:
        app.clock = previous


def _groups(unit_name: str, thorough: bool) -> dict[str, dict[str, Any]]:
    if not thorough:
        return {
            code: {"results": "Hoàn thành.", "limitations": "", "evidence": []}
            for code in ("tham_muu", "nhiem_vu", "ky_luat")
        }
    return {
        "tham_muu": {
            "results": f"{unit_name} tham mưu 12/12 đề án, chương trình, kế hoạch được giao; "
            "10 đề án trình đúng hạn, 2 đề án trễ do chờ ý kiến các sở liên quan.",
            "limitations": "Chất lượng dự thảo lần đầu của 2 đề án chưa cao, phải chỉnh sửa.",
            "evidence": [evidence("bao-cao-tham-muu-2013.pdf")],
        },
        "nhiem_vu": {
            "results": "Thực hiện đầy đủ nhiệm vụ được phân công quản lý; giải quyết 1.245 hồ sơ "
            "thủ tục hành chính, 98,6% đúng hạn; không có khiếu nại vượt cấp.",
            "limitations": "17 hồ sơ trễ hạn do thiếu thành phần hồ sơ liên thông.",
            "evidence": [evidence("thong-ke-ho-so-2013.xlsx"), evidence("bien-ban-kiem-tra.pdf")],
        },
        "ky_luat": {
            "results": "Chấp hành nghiêm giờ giấc làm việc, quy chế văn hóa công sở; không có "
            "cán bộ, công chức bị kỷ luật trong năm.",
            "limitations": "Một số công chức chưa đeo thẻ khi tiếp dân.",
            "evidence": [evidence("so-theo-doi-ky-luat.pdf")],
        },
    }


def load_demo(app: AssessmentApplication) -> dict[str, str] | None:
    """Idempotent: loads nothing when the demo cycle already exists."""
    cycle_id = cycle_id_for(TENANT, YEAR)
    if app.recorder.select_events(cycle_id, limit=1):
        return None
    ids: dict[str, UUID] = {}
    with clock_at(app, "2013-10-01T09:00:00+07:00"):
        for code, name, kind, parent in UNITS:
            app.register_unit(HOME_AFFAIRS, code=code, name=name, kind=kind, parent_code=parent)
            ids[code] = unit_id_for(TENANT, code)
        # seed 001 step 1: sector-managing agencies over the units of their field
        sector = {"SYT": ["BVDK"], "SNV": ["UBND-BIENHOA", "UBND-LONGKHANH"], "STC": ["SYT"]}
        for agency, managed in sector.items():
            app.grant_assignment(
                HOME_AFFAIRS,
                kind="sector_management",
                holder=agency,
                unit_ids=[ids[c] for c in managed],
                decision_number="45/QĐ-UBND",
                decision_date="2013-01-15",
                valid_from="2013-01-15",
            )
        # seed 001 step 3: members oversee units per Decision 1770/QĐ-UBND of 14/7/2011
        app.grant_assignment(
            CHAIRMAN,
            kind="pc_oversight",
            holder="pct.vanxa",
            unit_ids=[ids[c] for c in ("SNV", "STC", "SYT", "BVDK", "UBND-BIENHOA")],
            decision_number="1770/QĐ-UBND",
            decision_date="2011-07-14",
            valid_from="2011-07-14",
        )
        app.plan_cycle(
            HOME_AFFAIRS,
            year=YEAR,
            plan_reference="Kế hoạch đánh giá kết quả công vụ năm 2013 của UBND tỉnh",
            unit_ids=[ids[c] for c, *_ in UNITS if c != "UBND-TINH"],
        )
    for reviewer, targets in sector.items():
        for target in targets:
            day = (
                "2013-11-08T10:00:00+07:00"
                if target != "UBND-LONGKHANH"
                else "2013-11-14T10:00:00+07:00"
            )
            with clock_at(app, day):
                app.submit_sector_review(
                    ctx(f"{reviewer.lower()}.lanhdao", "sector_reviewer", reviewer),
                    cycle_id,
                    ids[target],
                    comment="Đơn vị thực hiện tốt các chỉ tiêu chuyên ngành được giao.",
                    proposed_level="hoan_thanh_tot",
                    published=True,
                )
    self_days = {
        "SNV": "2013-12-05",
        "STC": "2013-12-09",
        "SYT": "2013-12-12",
        "BVDK": "2013-12-06",
        "UBND-BIENHOA": "2013-12-10",
        "UBND-LONGKHANH": "2013-12-10",
    }
    for code, day in self_days.items():
        name = dict((c, n) for c, n, *_ in UNITS)[code]
        with clock_at(app, f"{day}T15:00:00+07:00"):
            app.submit_self_assessment(
                ctx(f"{code.lower()}.vanthu", "unit_officer", code),
                cycle_id,
                ids[code],
                groups=_groups(name, thorough=code != "UBND-LONGKHANH"),
                proposed_level="hoan_thanh_xuat_sac"
                if code in ("SNV", "BVDK")
                else "hoan_thanh_tot",
            )
    for code in ("SNV", "STC", "SYT", "BVDK", "UBND-BIENHOA"):
        with clock_at(app, "2013-12-09T16:00:00+07:00"):
            app.submit_member_review(
                MEMBER,
                cycle_id,
                ids[code],
                assignment_reference="Quyết định số 1770/QĐ-UBND ngày 14/7/2011",
                comment="Đơn vị chủ động, phối hợp tốt.",
                proposed_level="hoan_thanh_tot",
            )
    with clock_at(app, "2013-12-20T09:00:00+07:00"):
        app.flag_perfunctory(
            HOME_AFFAIRS,
            cycle_id,
            ids["UBND-LONGKHANH"],
            reason="Báo cáo sơ sài, chưa làm rõ hạn chế, yếu kém (Công văn 2060/SNV-TT).",
        )
    for code in ("SNV", "STC", "SYT", "BVDK"):
        with clock_at(app, "2013-12-27T09:00:00+07:00"):
            app.consolidate(
                HOME_AFFAIRS,
                cycle_id,
                ids[code],
                summary="Tổng hợp ý kiến cơ quan chuyên ngành, thành viên UBND tỉnh "
                "và báo cáo tự đánh giá.",
                proposed_level="hoan_thanh_tot",
            )
    for code in ("SNV", "STC", "BVDK"):
        with clock_at(app, "2014-01-06T09:00:00+07:00"):
            app.review_by_caucus(
                CAUCUS,
                cycle_id,
                ids[code],
                comment="Thống nhất với đề xuất của Sở Nội vụ.",
                proposed_level="hoan_thanh_tot",
            )
    with clock_at(app, "2014-01-07T09:00:00+07:00"):
        app.adjust_level(
            HOME_AFFAIRS,
            cycle_id,
            ids["SNV"],
            level="hoan_thanh_xuat_sac",
            reason="Ban cán sự Đảng đề nghị xem xét mức xuất sắc do vượt 3 chỉ tiêu chính.",
        )
    for code, level, day in (
        ("SNV", "hoan_thanh_xuat_sac", "2014-01-09"),
        ("STC", "hoan_thanh_tot", "2014-01-13"),
    ):
        with clock_at(app, f"{day}T10:00:00+07:00"):
            app.recognise(
                CHAIRMAN,
                cycle_id,
                ids[code],
                decision_number="125/QĐ-UBND",
                decision_date=day,
                signer="Đinh Quốc Thái",
                level=level,
            )
    with clock_at(app, "2014-01-15T10:00:00+07:00"):
        app.publish(HOME_AFFAIRS, cycle_id, ids["SNV"], channel="Cổng thông tin điện tử tỉnh")
    from embedded.demo_cchc import load_cchc_demo  # it builds on this demo's units
    from embedded.demo_inspection import load_inspection_demo

    cchc = load_cchc_demo(app) or {}
    from embedded.demo_individual import load_individual_demo

    load_individual_demo(app)
    load_inspection_demo(app)
    return {"tenant": TENANT, "cycle_id": str(cycle_id), "cchc_set_id": cchc.get("set_id", "")}
