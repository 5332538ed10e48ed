"""The steps of an inspection through the pages in Chromium, shared by the embedded site
(``test_inspection_pages.py``) and the PostgreSQL + Kafka site
(``test_inspection_pages_postgres_kafka.py``). ``site`` is a ``conftest.Site``.

Home Affairs records the decision (a Vietnamese message beside an empty field first, nothing
stored); the team (``thanhtra``) plans, declares a conflict of interest, notifies, starts the
visit, imports the unit's register — a bad file first: its errors listed row by row, nothing
stored — reads the figures, commits the register and a secret, the unit's head commits and
reveals, the team reveals: the draw; its record re-verified on the page and on the public
verification page, a swapped file refused; the team records a finding and opens a remediation
plan; the unit's head writes the roadmap (a milestone already overdue is highlighted), reports
it done with evidence; the team verifies: the plan is closed. axe-core: no serious or critical
violation on any page.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Callable
from typing import Any

from assessment.domain.inspection import sampling as S
from assessment.domain.registry.unit import unit_id_for
from embedded.demo import TENANT

from .test_signin import sign_in

NUMBER = "77/QĐ-SNV"
HEADER = [
    "Số, ký hiệu",
    "Trích yếu",
    "Lĩnh vực",
    "Người xử lý",
    "Ngày đến",
    "Hạn xử lý",
    "Ngày xử lý",
]
PEOPLE = ("syt.thutruong", "syt.phogiamdoc")
SECRETS = {"team": hashlib.sha256(b"doan").digest(), "unit": hashlib.sha256(b"don-vi").digest()}


def register(bad: bool = False) -> bytes:
    """The small CSV register (40 items); ``bad``: three bad rows (6, 11, 16)."""
    rows = []
    for i in range(40):
        handled = f"{10 + i % 5:02d}/03/2013 10:00"
        rows.append(
            [
                f"{i + 1}/SYT",
                f"Hồ sơ {i + 1}",
                ("Y tế", "Dược")[i % 2],
                PEOPLE[i % 2],
                f"0{1 + i % 5}/03/2013 08:00",
                "12/03/2013",
                handled,
            ]
        )
    if bad:
        rows[4][4] = "31/02/2013"  # no such day
        rows[9][3] = ""  # no person
        rows[14][0] = rows[13][0]  # duplicate number
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(HEADER)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


def as_user(open_page: Any, site: Any, username: str) -> Any:
    w = open_page()
    sign_in(w.page, site.url, username)
    return w


def inspection_steps(
    site: Any,
    open_page: Any,
    check_axe: Any,
    shoot: Any,
    good: dict[str, Any] | None = None,
    count: int = 40,
    on_overdue: Callable[[str], None] | None = None,
    finding_person: str = "syt.thutruong",
) -> dict[str, Any]:
    """The whole run; ``good`` the register file to import (default: the CSV of ``register``)
    with ``count`` items; ``on_overdue(plan_url)`` is called while the plan's milestone is
    overdue; the finding is on ``finding_person``. Returns the ids and the published
    sampling record."""
    good = good or {"name": "so.csv", "mimeType": "text/csv", "buffer": register()}
    # ---- Home Affairs records the decision
    w = as_user(open_page, site, "snv.tonghop")
    page = w.page
    page.goto(site.url + "/kiem-tra/moi")
    check_axe(page, "kiem-tra-moi")
    page.fill("#decide-decision-number", NUMBER)
    page.fill("#decide-decision-date", "31/02/2014")
    page.click("text=Ghi nhận quyết định")
    page.wait_for_selector("#decide-decision-date-loi")
    assert "dd/mm/yyyy" in page.inner_text("#decide-decision-date-loi")
    assert "bắt buộc" in page.inner_text("#decide-decision-signer-loi")
    page.goto(site.url + "/kiem-tra?nam=2014")
    assert NUMBER not in page.inner_text("main")  # nothing stored
    page.goto(site.url + "/kiem-tra/moi")
    page.fill("#decide-decision-number", NUMBER)
    page.fill("#decide-decision-date", "10/03/2014")
    page.fill("#decide-decision-signer", "Hoàng Thị Tổng Hợp")
    page.fill("#decide-decision-legal-basis", "Kế hoạch kiểm tra công vụ năm 2014 của UBND tỉnh")
    page.fill("#decide-title", "Kiểm tra công vụ tại Sở Y tế")
    page.select_option("#decide-mode", "scheduled")
    page.fill("#decide-head-subject", "thanhtra")
    page.fill("#decide-head-name", "Bùi Thanh Tra")
    page.fill("#decide-members", "tv.hai | Nguyễn Văn Hai | Chuyên viên")
    page.click("text=Ghi nhận quyết định")
    page.wait_for_url(re.compile(r".*/kiem-tra/[0-9a-f-]{36}\?xong=1$"))
    inspection_id = page.url.split("/kiem-tra/")[1].split("?")[0]
    assert NUMBER in page.inner_text("main")
    w.assert_clean(422)

    # ---- the team plans, declares a conflict, notifies, starts the visit
    w = as_user(open_page, site, "thanhtra")
    page = w.page
    page.goto(site.url + "/kiem-tra?nam=2014")
    check_axe(page, "kiem-tra-danh-sach")
    page.click("text=Kiểm tra công vụ tại Sở Y tế")
    page.wait_for_url(f"**/kiem-tra/{inspection_id}")
    base = site.url + f"/kiem-tra/{inspection_id}"
    page.fill("#plan-inspection-scope", "Thời gian xử lý công việc của lãnh đạo Sở")
    page.fill("#plan-inspection-period-from", "01/01/2013")
    page.fill("#plan-inspection-period-to", "31/12/2013")
    page.fill("#plan-inspection-units", "SYT")
    page.fill(
        "#plan-inspection-persons",
        "syt.thutruong | Lê Văn Trưởng | head | SYT\nsyt.phogiamdoc | Trần Phó | deputy | SYT",
    )
    page.fill("#plan-inspection-sample-sizes", "SYT | Y tế | 3\nSYT | Dược | 2")
    page.click("text=Ghi nhận kế hoạch")
    page.wait_for_url("**?xong=plan_inspection")
    page.select_option("#declare-conflict-member", "tv.hai")
    page.select_option("#declare-conflict-unit-id", "SYT")
    page.fill("#declare-conflict-description", "Vợ là kế toán của Sở Y tế")
    page.locator("form[action$='/declare_conflict'] button").click()
    page.wait_for_url("**?xong=declare_conflict")
    assert "Vợ là kế toán của Sở Y tế" in page.inner_text("main")
    page.select_option("#send-notice-unit-id", "SYT")
    page.fill("#send-notice-reference", "TB 12/SNV")
    page.fill("#send-notice-visit-on", "20/03/2014")
    page.click("text=Gửi thông báo")
    page.wait_for_url("**?xong=send_notice")
    page.select_option("#start-visit-unit-id", "SYT")
    page.fill("#start-visit-place", "Trụ sở Sở Y tế")
    page.locator("form[action$='/start_visit'] button").click()
    page.wait_for_url("**?xong=start_visit")
    check_axe(page, "kiem-tra-ho-so")
    shoot(page, "kiem-tra-ho-so")

    # ---- the register: a bad file refused row by row, nothing stored; then the good one
    page.goto(base + "/don-vi/SYT/so-cong-viec")
    assert "Chưa nhập sổ công việc" in page.inner_text("main")
    page.set_input_files(
        "#register", files=[{"name": "so.csv", "mimeType": "text/csv", "buffer": register(True)}]
    )
    page.click("text=Tải lên và kiểm tra")
    page.wait_for_selector("#bang-loi")
    errors = page.inner_text("#bang-loi")
    for row in ("6", "11", "16"):
        assert re.search(rf"^{row}\t", errors, re.M), errors
    assert "register.duplicate_id" in errors and "Chưa nhập sổ công việc" in page.inner_text("main")
    check_axe(page, "so-cong-viec-loi")
    shoot(page, "so-cong-viec-loi")
    page.goto(base + "/don-vi/SYT/so-cong-viec")
    assert "Chưa nhập sổ công việc" in page.inner_text("main")  # nothing was stored
    page.set_input_files("#register", files=[good])
    page.click("text=Tải lên và kiểm tra", timeout=120_000)
    page.wait_for_url(f"**?da-nhap={count}", timeout=120_000)
    text = page.inner_text("main")
    assert "syt.thutruong" in text and "syt.phogiamdoc" in text and "Dược" in text
    assert page.locator("meter").count() == 4
    check_axe(page, "so-cong-viec")
    shoot(page, "so-cong-viec")

    # ---- the draw: commit the register, the team's commitment
    page.goto(base + "/don-vi/SYT/rut-mau")
    page.click("text=Chốt sổ để rút mẫu")
    page.wait_for_url("**?xong=chot-so")
    params = bytes.fromhex(page.inner_text("#parameters-hash"))
    unit = str(unit_id_for(TENANT, "SYT"))

    def commitment(party: str) -> str:
        return S.commitment(inspection_id, unit, party, params, SECRETS[party]).hex()

    page.fill("#commitment", "zz")
    page.click("form[action$='/cam-ket'] button")
    page.wait_for_selector("#commitment-loi")
    page.fill("#commitment", commitment("team"))
    page.click("form[action$='/cam-ket'] button")
    page.wait_for_url("**?xong=cam-ket")
    check_axe(page, "rut-mau")
    w.assert_clean(422)

    # ---- the unit's head commits and reveals
    u = as_user(open_page, site, "syt.thutruong")
    u.page.goto(base + "/don-vi/SYT/rut-mau")
    u.page.fill("#commitment", commitment("unit"))
    u.page.click("form[action$='/cam-ket'] button")
    u.page.wait_for_url("**?xong=cam-ket")
    u.page.fill("#value", SECRETS["unit"].hex())
    u.page.click("form[action$='/cong-bo'] button")
    u.page.wait_for_url("**?xong=cong-bo")

    # ---- the team reveals: drawn, and verified on the page
    page.goto(base + "/don-vi/SYT/rut-mau")
    page.fill("#value", SECRETS["team"].hex())
    page.click("form[action$='/cong-bo'] button")
    page.wait_for_url("**?xong=cong-bo")
    assert "Khớp" in page.inner_text("#ket-qua-kiem-chung")
    assert page.inner_text("#seed") == page.inner_text("#seed-recomputed")
    record = json.loads(page.locator("#record-json").text_content() or "")
    assert len(record["samples"]["Y tế"]) == 3 and len(record["samples"]["Dược"]) == 2
    check_axe(page, "rut-mau-da-rut")
    shoot(page, "rut-mau-da-rut")

    # ---- anyone verifies the published record; a swapped file is refused
    public = open_page()
    public.page.goto(site.url + "/kiem-chung-mau")
    public.page.fill("#record", json.dumps(record, ensure_ascii=False))
    public.page.click("form[action='/kiem-chung-mau'] button")
    public.page.wait_for_selector("#ket-qua-kiem-chung")
    assert "Khớp" in public.page.inner_text("#ket-qua-kiem-chung")
    assert public.page.inner_text("#seed-recomputed") == record["seed"]
    check_axe(public.page, "kiem-chung-mau")
    swapped = json.loads(json.dumps(record))
    other = next(
        e["file_id"]
        for e in record["register"]
        if e["field"] == "Y tế" and e["file_id"] not in record["samples"]["Y tế"]
    )
    swapped["samples"]["Y tế"][0] = other
    public.page.fill("#record", json.dumps(swapped, ensure_ascii=False))
    public.page.click("form[action='/kiem-chung-mau'] button")
    public.page.wait_for_selector("#ket-qua-kiem-chung.error")
    assert "sampling." in public.page.inner_text("#ket-qua-kiem-chung")
    shoot(public.page, "kiem-chung-mau-tu-choi")
    public.assert_clean(422)

    # ---- a finding, and a remediation plan from it
    page.goto(base)
    page.select_option("#record-finding-unit-id", "SYT")
    page.select_option("#record-finding-person", finding_person)
    page.select_option("#record-finding-kind", "late_handling")
    page.select_option("#record-finding-severity", "moderate")
    page.fill("#record-finding-description", "Chậm tham mưu 5 hồ sơ lĩnh vực Dược")
    page.fill("#record-finding-item-ids", "2/SYT, 4/SYT")
    page.click("form[action$='/record_finding'] button")
    page.wait_for_url("**?xong=record_finding")
    assert "Chậm tham mưu 5 hồ sơ lĩnh vực Dược" in page.inner_text("main")
    page.fill("input[name=title]", "Khắc phục chậm tham mưu lĩnh vực Dược")
    page.click("text=Lập kế hoạch khắc phục")
    page.wait_for_url(re.compile(r".*/khac-phuc/[0-9a-f-]{36}\?xong=open$"))
    plan_url = page.url.split("?")[0]
    w.assert_clean(422)

    # ---- the unit writes its roadmap, one milestone already overdue; reports it done
    up = u.page
    up.goto(site.url + "/khac-phuc?nam=2013")
    check_axe(up, "khac-phuc-bang")
    up.click("text=Khắc phục chậm tham mưu lĩnh vực Dược")
    up.wait_for_url(plan_url)
    up.fill("#add-solution-solution", "Rà soát quy trình tham mưu, giao hạn nội bộ")
    up.click("text=Thêm giải pháp >> nth=-1")
    up.wait_for_url("**?xong=add_solution")
    up.fill("#schedule-milestone-title", "Ban hành quy trình nội bộ")
    up.fill("#schedule-milestone-due-on", "31/03/2014")
    up.click("text=Thêm mốc >> nth=-1")
    up.wait_for_url("**?xong=schedule_milestone")
    assert up.locator("#lo-trinh tr.overdue").count() == 1  # 31/03/2014 is long past
    assert "Quá hạn" in up.inner_text("#lo-trinh")
    check_axe(up, "khac-phuc-ke-hoach")
    shoot(up, "khac-phuc-ke-hoach")
    if on_overdue is not None:
        on_overdue(plan_url)
    up.goto(site.url + "/khac-phuc?nam=2013")
    # this plan's row (the demo has its own 2013 plan with an overdue milestone too)
    assert up.locator("tr.overdue", has_text="Khắc phục chậm tham mưu lĩnh vực Dược").count() == 1
    up.goto(plan_url)
    up.select_option("#report-progress-milestone-id", index=1)
    up.fill("#report-progress-report", "Đã ban hành Quy trình số 5/QT-SYT")
    up.check("#report-progress-done")
    up.click("text=Gửi báo cáo tiến độ")  # done needs evidence: refused, nothing stored
    up.wait_for_selector("#report-progress-evidence-loi")
    assert "minh chứng" in up.inner_text("#report-progress-evidence-loi")
    assert "Chưa" in up.inner_text("#lo-trinh")  # nothing stored
    up.select_option("#report-progress-milestone-id", index=1)
    up.fill("#report-progress-report", "Đã ban hành Quy trình số 5/QT-SYT")
    up.check("#report-progress-done")
    up.set_input_files(
        "#report-progress-evidence",
        files=[{"name": "quy-trinh.txt", "mimeType": "text/plain", "buffer": "Quy trình".encode()}],
    )
    up.click("text=Gửi báo cáo tiến độ")
    up.wait_for_url("**?xong=report_progress")
    assert up.locator("#lo-trinh tr.overdue").count() == 0
    assert "Chờ xác nhận hoàn thành" in up.inner_text("#trang-thai")
    u.assert_clean(400, 422)

    # ---- the team verifies: closed
    page.goto(plan_url)
    page.select_option("#verify-remediation-accepted", "yes")
    page.click("text=Xác nhận >> nth=-1")
    page.wait_for_url("**?xong=verify_remediation")
    assert "Đã khắc phục xong" in page.inner_text("#trang-thai")
    check_axe(page, "khac-phuc-da-dong")
    w.assert_clean(422)
    return {"inspection_id": inspection_id, "unit": unit, "record": record, "plan_url": plan_url}
