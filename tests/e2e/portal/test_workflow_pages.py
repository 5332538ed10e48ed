"""The collective-evaluation workflow in Chromium (issue 9), on the embedded demo:

1. Home Affairs plans a 2026 cycle with its own deadline for step 2, is refused a deadline
   change with a Vietnamese message beside each bad field (nothing changed), changes one with
   its reason (shown beside the step), enrols the departments as a group and one more unit.
2. The unit officer of SNV saves a draft with a file, finds it again, submits (the draft's file
   goes with it), withdraws with a reason, and resubmits; each step is an event naming the
   officer.
3. Home Affairs asks SNV for a supplement with a reason and a due day; the officer finds it in
   "Việc cần làm" and answers with a file; the answer and its file are on SNV's file.
4. The chairman recognises two caucus-reviewed units of 2013 with one decision.

Every page is checked by axe-core (no serious or critical violation) and photographed.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from helpers import headers

from .test_signin import follow_nav, sign_in

pytestmark = pytest.mark.e2e

VN = timezone(timedelta(hours=7))
TODAY = datetime.now(UTC).astimezone(VN).date()
SELF_DEADLINE = TODAY + timedelta(days=20)
TENANT = "dong-nai"


def vn(day: Any) -> str:
    return f"{day:%d/%m/%Y}"


def cycle(site: Any, year: int) -> dict[str, Any]:
    cycles = site.http.get("/v1/reports/cycles", headers=headers(role="auditor")).json()
    found = next(c for c in cycles["items"] if c["year"] == year)
    resp = site.http.get(f"/v1/cycles/{found['id']}", headers=headers())
    resp.raise_for_status()
    body: dict[str, Any] = resp.json()
    return body


def unit_file(site: Any, cycle_id: str, code: str) -> dict[str, Any]:
    board = site.http.get(
        f"/v1/reports/cycles/{cycle_id}/board?page_size=500", headers=headers(role="auditor")
    ).json()
    unit_id = next(r["unit_id"] for r in board["items"] if r["unit_code"] == code)
    resp = site.http.get(f"/v1/cycles/{cycle_id}/units/{unit_id}", headers=headers())
    resp.raise_for_status()
    body: dict[str, Any] = resp.json()
    return body


def wait_board(site: Any, cycle_id: str, predicate: Any) -> list[dict[str, Any]]:
    import time

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        items: list[dict[str, Any]] = site.http.get(
            f"/v1/reports/cycles/{cycle_id}/board?page_size=500", headers=headers(role="auditor")
        ).json()["items"]
        if predicate(items):
            return items
        time.sleep(0.1)
    raise AssertionError("board condition not met")


def wait_cycle(site: Any, year: int, predicate: Any) -> dict[str, Any]:
    import time

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            found = cycle(site, year)
            if predicate(found):
                return found
        except (StopIteration, KeyError):
            pass
        time.sleep(0.1)
    raise AssertionError(f"cycle {year} condition not met")


def test_home_affairs_plans_a_cycle_and_enrols_units(
    site: Any, open_page: Any, check_axe: Any, shoot: Any
) -> None:
    w = open_page()
    page = w.page
    sign_in(page, site.url, "snv.tonghop")
    follow_nav(page, "Kế hoạch đánh giá")
    page.wait_for_url("**/ke-hoach")
    check_axe(page, "ke-hoach")
    page.fill("#year", "2026")
    page.fill("#plan_reference", "Kế hoạch số 15/KH-UBND ngày 01/10/2026")
    page.fill("#deadline-self_assessment", vn(SELF_DEADLINE))
    page.click("button:has-text('Lập kế hoạch')")
    page.wait_for_url("**/ke-hoach/2026?xong=plan_cycle")
    planned = wait_cycle(site, 2026, lambda c: True)
    assert planned["deadlines"]["self_assessment"] == SELF_DEADLINE.isoformat()
    assert planned["deadlines"]["consolidation"] == "2026-12-31"  # seed 001's calendar

    # a bad deadline change: a date out of bounds and no reason — refused beside each field
    page.select_option("#step", "consolidation")
    page.fill("#deadline", "31/12/9999")
    page.click("button:has-text('Đổi hạn')")
    page.wait_for_selector("#deadline-loi")
    assert "không phải là ngày hợp lệ" in page.inner_text("#deadline-loi")
    assert "bắt buộc" in page.inner_text("#reason-loi")
    check_axe(page, "ke-hoach-2026-loi")
    shoot(page, "ke-hoach-2026-loi")
    assert cycle(site, 2026)["deadline_changes"] == []
    page.fill("#deadline", "31/12/2150")
    page.click("button:has-text('Đổi hạn')")
    page.wait_for_selector("#deadline-loi")
    assert "2100" in page.inner_text("#deadline-loi")  # the command model's own bound…
    assert cycle(site, 2026)["deadlines"]["consolidation"] == "2026-12-31"  # …nothing stored

    page.fill("#deadline", "05/01/2027")
    page.fill("#reason", "Lùi hạn tổng hợp theo Công văn 99/UBND-TH.")
    page.click("button:has-text('Đổi hạn')")
    page.wait_for_url("**/ke-hoach/2026?xong=change_deadline")
    assert "Lùi hạn tổng hợp theo Công văn 99/UBND-TH." in page.inner_text("main")
    changed = cycle(site, 2026)
    assert changed["deadlines"]["consolidation"] == "2027-01-05"
    assert changed["deadline_changes"][0]["by"]["subject"] == "snv.tonghop"

    # enrol the departments as a group, then one more unit ticked by hand
    page.locator("fieldset", has_text="Sở, ban, ngành").locator(
        "button:has-text('Đưa cả nhóm này vào kỳ')"
    ).click()
    page.wait_for_url("**/ke-hoach/2026?xong=enrol_units&so=4")
    page.check("#u-BVDK")
    page.click("button:has-text('Đưa các đơn vị đã chọn vào kỳ')")
    page.wait_for_url("**/ke-hoach/2026?xong=enrol_units&so=1")
    check_axe(page, "ke-hoach-2026")
    shoot(page, "ke-hoach-2026")
    enrolled = wait_cycle(site, 2026, lambda c: len(c["unit_ids"]) == 5)
    assert len(enrolled["unit_ids"]) == 5
    w.assert_clean(422)


def test_unit_drafts_submits_withdraws_and_resubmits(
    site: Any, open_page: Any, check_axe: Any, shoot: Any, tmp_path: Path
) -> None:
    w = open_page()
    page = w.page
    sign_in(page, site.url, "snv.vanthu")
    page.goto(site.url + "/ho-so/2026/tu-danh-gia")
    note = tmp_path / "bang-tong-hop.csv"
    note.write_text("chỉ tiêu;kết quả\nthủ tục;98\n", encoding="utf-8")
    page.fill("textarea[name='tham_muu.results']", "Bản nháp: đã tham mưu 5 đề án.")
    page.set_input_files("input[name='nhiem_vu.evidence']", str(note))
    page.click("button:has-text('Lưu nháp')")
    page.wait_for_url("**/ho-so/2026/tu-danh-gia?da-nop=nhap")
    page.goto(site.url + "/ho-so/2026/tu-danh-gia")
    assert page.input_value("textarea[name='tham_muu.results']") == "Bản nháp: đã tham mưu 5 đề án."
    assert "bang-tong-hop.csv" in page.inner_text("main")  # kept with the draft
    check_axe(page, "tu-danh-gia-nhap")
    shoot(page, "tu-danh-gia-nhap")

    long = "Đã tham mưu trình UBND tỉnh ban hành 5 đề án, 12 kế hoạch, đúng tiến độ được giao."
    for group in ("tham_muu", "nhiem_vu", "ky_luat"):
        page.fill(f"textarea[name='{group}.results']", long)
        page.fill(f"textarea[name='{group}.limitations']", "Còn chậm ở một số thủ tục.")
    page.select_option("#proposed_level", "hoan_thanh_tot")
    page.click("button:has-text('Gửi báo cáo tự đánh giá')")
    page.wait_for_url("**/ho-so/2026/tu-danh-gia?da-nop=1")
    assert "bang-tong-hop.csv" in page.inner_text("#bien-nhan >> xpath=..")

    page.fill("#withdraw-reason", "Bổ sung số liệu quý IV.")
    page.click("button:has-text('Rút báo cáo')")
    page.wait_for_url("**/ho-so/2026/tu-danh-gia?da-nop=rut")
    assert page.input_value("textarea[name='ky_luat.results']") == long  # back as the draft
    check_axe(page, "tu-danh-gia-rut")
    shoot(page, "tu-danh-gia-rut")
    page.select_option("#proposed_level", "hoan_thanh_xuat_sac")
    page.click("button:has-text('Gửi báo cáo tự đánh giá')")
    page.wait_for_url("**/ho-so/2026/tu-danh-gia?da-nop=1")

    c = cycle(site, 2026)
    ua = unit_file(site, c["id"], "SNV")
    assert ua["self_assessment"]["proposed_level"] == "hoan_thanh_xuat_sac"
    assert ua["self_assessment"]["by"]["subject"] == "snv.vanthu"
    [withdrawal] = ua["withdrawals"]
    assert withdrawal["reason"] == "Bổ sung số liệu quý IV."
    assert withdrawal["by"]["subject"] == "snv.vanthu"
    files = ua["self_assessment"]["groups"]["nhiem_vu"]["evidence"]
    assert [f["sha256"] for f in files] == [hashlib.sha256(note.read_bytes()).hexdigest()]
    w.assert_clean()


def test_reviewer_asks_for_a_supplement_and_the_unit_answers(
    site: Any, open_page: Any, check_axe: Any, shoot: Any, tmp_path: Path
) -> None:
    w = open_page()
    page = w.page
    sign_in(page, site.url, "snv.tonghop")
    page.goto(site.url + "/ho-so/2026/SNV")
    form = page.locator("form[action$='/ask_for_supplement']")
    form.locator("textarea[name=reason]").fill("Đề nghị bổ sung số liệu giải quyết hồ sơ quý IV.")
    form.locator("input[name=due_date]").fill(vn(TODAY + timedelta(days=7)))
    form.locator("button").click()
    page.wait_for_url("**/ho-so/2026/SNV?xong=ask_for_supplement")
    assert "Chưa trả lời" in page.inner_text("#bo-sung >> xpath=..")

    officer = open_page()
    sign_in(officer.page, site.url, "snv.vanthu")
    officer.page.wait_for_selector("text=Đề nghị bổ sung số liệu giải quyết hồ sơ quý IV.")
    check_axe(officer.page, "viec-can-lam-bo-sung")
    shoot(officer.page, "viec-can-lam-bo-sung")
    officer.page.click("#bo-sung ~ ul >> text=Sở Nội vụ")
    officer.page.wait_for_url("**/ho-so/2026/tu-danh-gia#bo-sung")
    table = tmp_path / "so-lieu-quy-IV.csv"
    table.write_text("tháng;hồ sơ\n10;120\n11;131\n12;140\n", encoding="utf-8")
    reply = officer.page.locator("form[action*='/tu-danh-gia/bo-sung/']")
    reply.locator("textarea[name=text]").fill("Đơn vị gửi kèm số liệu quý IV.")
    reply.locator("input[name=evidence]").set_input_files(str(table))
    reply.locator("button").click()
    officer.page.wait_for_url("**/ho-so/2026/tu-danh-gia?da-nop=bo-sung*")
    check_axe(officer.page, "tu-danh-gia-bo-sung")
    shoot(officer.page, "tu-danh-gia-bo-sung")

    page.goto(site.url + "/ho-so/2026/SNV")
    assert "Đơn vị gửi kèm số liệu quý IV." in page.inner_text("#bo-sung >> xpath=..")
    with page.expect_download() as download:
        page.click("#bo-sung >> xpath=.. >> text=so-lieu-quy-IV.csv")
    assert Path(download.value.path()).read_bytes() == table.read_bytes()
    check_axe(page, "ho-so-SNV-2026-bo-sung")
    shoot(page, "ho-so-SNV-2026-bo-sung")
    ua = unit_file(site, cycle(site, 2026)["id"], "SNV")
    [supplement] = ua["supplements"]
    assert supplement["by"]["subject"] == "snv.tonghop"
    assert supplement["answer"]["by"]["subject"] == "snv.vanthu"
    w.assert_clean()
    officer.assert_clean()


def test_chairman_recognises_two_units_by_one_decision(
    site: Any, open_page: Any, check_axe: Any, shoot: Any
) -> None:
    c = cycle(site, 2013)
    syt = unit_file(site, c["id"], "SYT")
    resp = site.http.post(
        f"/v1/cycles/{c['id']}/units/{syt['unit_id']}/caucus-review",
        json={"comment": "Thống nhất với Sở Nội vụ.", "proposed_level": "hoan_thanh_tot"},
        headers=headers(subject="bcsd.thuky", role="party_caucus", unit="UBND-TINH"),
    )
    assert resp.status_code == 201, resp.text
    w = open_page()
    page = w.page
    sign_in(page, site.url, "chu-tich")
    page.goto(site.url + "/cong-nhan/2013")
    page.wait_for_selector("#chon-SYT")
    assert page.is_checked("#chon-BVDK") and page.is_checked("#chon-SYT")
    check_axe(page, "cong-nhan-2013")
    shoot(page, "cong-nhan-2013")
    page.fill("#decision_number", "131/QĐ-UBND")
    # SYT's caucus review was recorded just now (real clock): the decision may be neither
    # before it nor in the future, so it is dated today in Vietnam
    today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    page.fill("#decision_date", today.strftime("%d/%m/%Y"))
    page.click("button:has-text('Công nhận các đơn vị đã chọn')")
    page.wait_for_url("**/cong-nhan/2013?so=2")
    assert "2 đơn vị" in page.inner_text("main")
    check_axe(page, "cong-nhan-2013-xong")

    def recognised(item: dict[str, Any]) -> bool:
        return bool(item["recognition"]) and item["recognition"]["decision_number"] == "131/QĐ-UBND"

    rows = wait_board(site, c["id"], lambda items: sum(map(recognised, items)) == 2)
    assert sorted(r["unit_code"] for r in rows if recognised(r)) == ["BVDK", "SYT"]
    for row in (r for r in rows if recognised(r)):
        assert row["recognised_level"] == "hoan_thanh_tot"
        assert row["recognition"]["decision_date"] == today.isoformat()
        assert row["recognition"]["signer"] == "Đinh Quốc Thái"
    w.assert_clean()
