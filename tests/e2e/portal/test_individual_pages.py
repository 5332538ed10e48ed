"""Individual rating in Chromium (issue 10) on the embedded demo (Sở Y tế, 2026): an official
self-assesses under Decree 335 with the months shown and submits; the head rates two people,
hits the cap on "excellent" (the Vietnamese message beside the field, nothing stored), then
rates within it; the decision list; the person sees their result; the personnel body minutes
the meeting; forbidden reads (another agency's, another tenant's person) are refused and a
read by someone else is recorded. axe-core: no serious or critical violation on any page.

The tests of this module run in order on one demo site (module scope)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import pytest

from assessment.domain.individual.access import log_id_for
from assessment.domain.individual.person import person_id_for
from assessment.domain.individual.rating import rating_id_for
from helpers import headers

from .individual_steps import sign_in
from .test_signin import follow_nav

pytestmark = pytest.mark.e2e

TENANT, YEAR = "dong-nai", 2026
EXCELLENT, GOOD = "hoan_thanh_xuat_sac", "hoan_thanh_tot"
QUOTA_MESSAGE = "Vượt tỷ lệ 'Hoàn thành xuất sắc nhiệm vụ'"


def rid(code: str, tenant: str = TENANT) -> str:
    return str(rating_id_for(person_id_for(tenant, code), YEAR))


def wait_until(predicate: Callable[[], bool], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError("condition not met in time")


def quota_of(site: Any) -> dict[str, Any]:
    resp = site.http.get(
        "/v1/quotas",
        params={"agency_id": "SYT", "task_group": "chuyen_vien", "year": YEAR},
        headers=headers(role="home_affairs", unit="SNV"),
    )
    assert resp.status_code == 200, resp.text
    body: dict[str, Any] = resp.json()
    return body


def test_official_self_assesses_under_decree_335_and_submits(
    site: Any, open_page: Any, check_axe: Any, shoot: Any
) -> None:
    w = open_page()
    page = w.page
    sign_in(page, site.url, "syt.canbo", "/xep-loai-ca-nhan/cua-toi")
    wait_until(lambda: page.reload() is not None and "2026" in page.inner_text("main"))
    check_axe(page, "xep-loai-cua-toi")
    page.goto(site.url + "/viec-can-lam")  # "Việc cần làm": their own self-assessment
    assert "Tự đánh giá, xếp loại năm 2026" in page.inner_text("main")
    follow_nav(page, "Đánh giá của tôi")
    page.click(f"a[href='/ho-so/ca-nhan/xep-loai/{rid('SYT-CC01')}']")
    body = page.inner_text("main")
    assert "Nghị định 335/2025/NĐ-CP" in body and "Phiếu chấm điểm" in body
    for month in (1, 11, 12):
        assert f"Tháng {month}" in body
    assert "Chưa có phiếu" in body  # December has no sheet yet
    check_axe(page, "xep-loai-tu-danh-gia")
    # nothing written: refused beside the field, in Vietnamese
    page.click("text=Gửi bản tự đánh giá")
    error = page.locator("#ket_qua-loi")
    assert "Hãy nêu kết quả" in error.inner_text()
    assert page.get_attribute("#ket_qua", "aria-invalid") == "true"
    check_axe(page, "xep-loai-tu-danh-gia-loi")
    page.fill("#ket_qua", "Hoàn thành 24/24 hồ sơ thẩm định đúng hạn, không có sai sót.")
    page.fill("#han_che", "Một báo cáo tháng 7 gửi chậm hai ngày.")
    page.click("text=Gửi bản tự đánh giá")
    page.wait_for_url("**xong=self_assess")
    body = page.inner_text("main")
    assert "Đã gửi lúc" in body and "Hoàn thành 24/24 hồ sơ" in body
    assert "Hoàn thành xuất sắc nhiệm vụ" in body  # the band of the year's score (92)
    check_axe(page, "xep-loai-tu-danh-gia-da-gui")
    shoot(page, "xep-loai-tu-danh-gia-da-gui")
    w.assert_clean(422)


def test_head_hits_the_quota_then_rates_two_people_within_it(
    site: Any, open_page: Any, check_axe: Any, shoot: Any
) -> None:
    w = open_page()
    page = w.page
    sign_in(page, site.url, "syt.thutruong", "/xep-loai-ca-nhan")
    assert "Chờ quyết định" in page.inner_text("main")
    check_axe(page, "xep-loai-danh-sach")
    page.get_by_role("button", name="Xếp loại", exact=True).click()
    page.wait_for_url("**/ho-so/ca-nhan/quyet-dinh**")
    binh, cuc = f"level.{rid('SYT-VC01')}", f"level.{rid('SYT-CC02')}"
    assert page.locator(f"[id='{binh}']").input_value() == EXCELLENT  # the proposal
    # live counts: "excellent" over the cap with nobody "good" yet
    page.select_option(f"[id='{cuc}']", GOOD)
    page.wait_for_function("document.querySelector('#han-muc .allowed') !== null")
    wait_until(lambda: "vượt tỷ lệ" in page.inner_text("#han-muc"))
    assert page.inner_text("#han-muc .used") == "1"
    assert page.inner_text("#han-muc .allowed") == "0"
    check_axe(page, "xep-loai-quyet-dinh")
    before = quota_of(site)
    decide = page.get_by_role("button", name="Quyết định xếp loại", exact=True)
    # out of range: a level outside the four and 31/02 — beside their fields, nothing stored
    page.evaluate(
        "id => { const s = document.getElementById(id); const o = new Option('x', 'muc_la');"
        " s.add(o); s.value = 'muc_la'; }",
        cuc,
    )
    page.fill("#decision_number", "15/QĐ-SYT")
    page.fill("#decided_on", "31/02/2026")
    with page.expect_navigation():
        decide.click()
    assert "không nằm trong bốn mức" in page.inner_text(f"[id='{cuc}-loi']")
    assert "Ngày không hợp lệ" in page.inner_text("#decided_on-loi")
    assert quota_of(site) == before
    page.select_option(f"[id='{cuc}']", GOOD)
    page.fill("#decided_on", "10/12/2026")
    with page.expect_navigation():
        decide.click()
    beside = page.locator(f"[id='{binh}-loi']")
    assert QUOTA_MESSAGE in beside.inner_text()
    assert page.get_attribute(f"[id='{binh}']", "aria-invalid") == "true"
    assert page.locator(f"[id='{cuc}-loi']").count() == 0
    shoot(page, "xep-loai-quyet-dinh-vuot-ty-le")
    check_axe(page, "xep-loai-quyet-dinh-vuot-ty-le")
    after = quota_of(site)
    assert after == before and after["excellent"] == 0 and after["good"] == 0  # nothing stored
    # within the cap: both "good"
    page.select_option(f"[id='{binh}']", GOOD)
    wait_until(lambda: "vượt tỷ lệ" not in page.inner_text("#han-muc"))
    decide.click()
    page.wait_for_url("**xong=1")
    assert "Đã ghi nhận quyết định xếp loại" in page.inner_text("main")
    assert page.locator(f"[id='{binh}']").count() == 0  # decided: no input left
    q = quota_of(site)
    assert (q["good"], q["excellent"], q["allowed"]) == (2, 0, 0)
    # the decision list (reporting's read model)
    page.goto(site.url + "/xep-loai-ca-nhan")
    wait_until(
        lambda: (
            page.goto(site.url + "/xep-loai-ca-nhan") is not None
            and "15/QĐ-SYT" in page.inner_text("main")
        )
    )
    section = page.inner_text("main")
    assert "Quyết định số 15/QĐ-SYT — 10/12/2026" in section
    assert "Trần Thị Bình (SYT-VC01): Hoàn thành tốt nhiệm vụ" in section
    assert "Lê Thị Cúc (SYT-CC02): Hoàn thành tốt nhiệm vụ" in section
    check_axe(page, "xep-loai-danh-sach-quyet-dinh")
    shoot(page, "xep-loai-danh-sach-quyet-dinh")
    w.assert_clean(409, 422)


def test_the_person_sees_their_result(
    site: Any, open_page: Any, check_axe: Any, shoot: Any
) -> None:
    w = open_page()
    page = w.page
    sign_in(page, site.url, "syt.vienchuc", f"/ho-so/ca-nhan/xep-loai/{rid('SYT-VC01')}")
    body = page.inner_text("main")
    assert "Thông báo kết quả đánh giá, xếp loại" in body
    assert "Mức xếp loại: Hoàn thành tốt nhiệm vụ" in body
    assert "Quyết định số 15/QĐ-SYT ngày 10/12/2026" in body
    assert "Nghị định 90/2020/NĐ-CP" in body and "Mẫu số 03" in body
    check_axe(page, "xep-loai-ket-qua-ca-nhan")
    shoot(page, "xep-loai-ket-qua-ca-nhan")
    page.goto(site.url + f"/ngon-ngu?lang=en&next=/ho-so/ca-nhan/xep-loai/{rid('SYT-VC01')}")
    english = page.inner_text("main")
    assert "Notice of your rating" in english and "Well completed" in english
    assert "Decree 90/2020/ND-CP" in english and "Form 03 (public employees)" in english
    # their own read is not recorded; the head's read of their file is
    history = f"/v1/audit/aggregates/{log_id_for(person_id_for(TENANT, 'SYT-VC01'), YEAR)}/history"
    resp = site.http.get(history, headers=headers(role="auditor", unit=None))
    assert resp.status_code == 200, resp.text
    recorded = json.dumps(resp.json()["items"], ensure_ascii=False)
    assert "syt.thutruong" in recorded and "xếp loại năm 2026" in recorded
    assert "syt.vienchuc" not in recorded
    w.assert_clean()


def test_personnel_minutes_the_meeting(
    site: Any, open_page: Any, check_axe: Any, shoot: Any
) -> None:
    w = open_page()
    page = w.page
    sign_in(page, site.url, "syt.tccb", "/xep-loai-ca-nhan")
    wait_until(
        lambda: (
            page.goto(site.url + "/xep-loai-ca-nhan") is not None
            and "Lập biên bản" in page.inner_text("main")
        )
    )
    page.get_by_role("button", name="Lập biên bản", exact=True).click()
    page.wait_for_url("**/ho-so/ca-nhan/bien-ban**")
    check_axe(page, "xep-loai-bien-ban")
    page.fill("#minutes_number", "02/BB-SYT")
    page.fill("#held_on", "31/02/2026")
    page.fill("#attendees", "25")
    page.fill("#comment_by", "Công đoàn cơ sở")
    page.fill("#comment_text", "Nhất trí.")
    page.fill("#party_document_number", "06-NX/CB")
    page.fill("#party_comments", "Chi bộ nhất trí.")
    page.fill("#summary", "Tổng hợp ý kiến.")
    page.click("text=Ghi biên bản và đề xuất")
    assert "Ngày không hợp lệ" in page.inner_text("#held_on-loi")
    page.fill("#held_on", "04/12/2026")
    page.click("text=Ghi biên bản và đề xuất")
    page.wait_for_url("**xong=1")
    assert "Đã ghi nhận biên bản và đề xuất" in page.inner_text("main")
    resp = site.http.get(
        f"/v1/ratings/{rid('SYT-CC01')}", headers=headers(role="home_affairs", unit="SNV")
    )
    steps = resp.json()["steps"]
    assert steps["meeting"]["minutes_number"] == "02/BB-SYT"
    assert steps["proposal"]["proposed_level"] == EXCELLENT
    shoot(page, "xep-loai-bien-ban")
    # the written notice of a decided rating
    page.goto(site.url + f"/ho-so/ca-nhan/xep-loai/{rid('SYT-VC01')}")
    page.fill("#notified_on", "11/12/2026")
    page.fill("#channel", "Văn bản số 30/TB-SYT")
    page.click("text=Ghi nhận thông báo")
    page.wait_for_url("**xong=notify_rating")
    assert "Đã thông báo ngày 11/12/2026 (Văn bản số 30/TB-SYT)" in page.inner_text("main")
    check_axe(page, "xep-loai-thong-bao")
    w.assert_clean(422)


def test_forbidden_reads_are_refused(site: Any, open_page: Any, check_axe: Any, shoot: Any) -> None:
    # a person of another tenant, with the same code as one of Đồng Nai's
    qt = headers(tenant="quang-tri", role="home_affairs", unit="SNV-QT")
    ok = site.http.post(
        "/v1/units", json={"code": "SNV-QT", "name": "Sở Nội vụ", "kind": "department"}, headers=qt
    )
    assert ok.status_code == 201, ok.text
    person = {
        "code": "SYT-VC01",
        "full_name": "Người tỉnh khác",
        "category": "vien_chuc",
        "agency_id": "SNV-QT",
        "position": "staff",
        "job_position": "Chuyên viên",
        "task_group": "chuyen_vien",
        "employed_from": "2018-01-02",
    }
    other = site.http.post("/v1/people", json=person, headers=qt)
    assert other.status_code == 201, other.text
    w = open_page()
    page = w.page
    sign_in(page, site.url, "syt.thutruong", f"/ho-so/ca-nhan/nguoi/{other.json()['id']}")
    assert page.locator("[role=alert]").count() == 1
    assert "Người tỉnh khác" not in page.inner_text("main")
    # another agency's person: refused, named nowhere
    stc = person_id_for(TENANT, "STC-CC01")
    resp = page.goto(site.url + f"/ho-so/ca-nhan/nguoi/{stc}")
    assert resp is not None and resp.status == 403
    assert "Phạm Văn Dũng" not in page.inner_text("main")
    resp = page.goto(site.url + f"/ho-so/ca-nhan/xep-loai/{rid('STC-CC01')}")
    assert resp is not None and resp.status == 403
    check_axe(page, "xep-loai-bi-tu-choi")
    # the own agency's person file: allowed, and recorded as a read by the head
    resp = page.goto(site.url + f"/ho-so/ca-nhan/nguoi/{person_id_for(TENANT, 'SYT-CC02')}")
    assert resp is not None and resp.status == 200
    assert "Lê Thị Cúc" in page.inner_text("main") and "Quá trình công tác" in page.inner_text(
        "main"
    )
    check_axe(page, "ho-so-ca-nhan")
    shoot(page, "ho-so-ca-nhan")
    # an official opening a colleague's rating: refused
    w2 = open_page()
    sign_in(w2.page, site.url, "syt.canbo", f"/ho-so/ca-nhan/xep-loai/{rid('SYT-CC02')}")
    assert w2.page.locator("[role=alert]").count() == 1
    assert "Lê Thị Cúc" not in w2.page.inner_text("main")
    w.assert_clean(403, 404)
    w2.assert_clean(403, 404)


def test_the_rater_acknowledges_the_inspection_findings(
    site: Any, open_page: Any, check_axe: Any, shoot: Any
) -> None:
    w = open_page()
    page = w.page
    sign_in(page, site.url, "syt.thutruong", f"/ho-so/ca-nhan/xep-loai/{rid('SYT-PGD01')}")
    assert "Chưa ghi nhận phát hiện nào" in page.inner_text("#phat-hien + *")
    # the findings on the person are listed for the rater without typing anything
    pending = page.locator("form.findings-pending")
    assert pending.count() == 1
    assert "Quyết định kiểm tra 88/QĐ-UBND" in pending.inner_text()
    assert "12 hồ sơ thẩm định quá hạn trong quý III" in pending.inner_text()
    check_axe(page, "xep-loai-phat-hien-cho-ghi-nhan")
    pending.locator("textarea").fill("Đã xem xét khi đánh giá mức độ hoàn thành nhiệm vụ.")
    pending.get_by_role("button", name="Ghi nhận các phát hiện").click()
    page.wait_for_url("**xong=acknowledge_findings")
    section = page.inner_text("main")
    assert "12 hồ sơ thẩm định quá hạn trong quý III" in section
    assert "Quyết định kiểm tra 88/QĐ-UBND" in section
    assert "Đã xem xét khi đánh giá" in section
    assert page.locator("form.findings-pending").count() == 0
    assert "Không còn phát hiện nào chờ ghi nhận" in section
    check_axe(page, "xep-loai-phat-hien")
    shoot(page, "xep-loai-phat-hien")
    # the person sees the same section on their sheet; the same findings are not taken twice
    resp = site.http.post(
        f"/v1/ratings/{rid('SYT-PGD01')}/inspection-findings",
        json={"inspection_decision": "88/QĐ-UBND"},
        headers=headers(role="unit_head", unit="SYT", subject="syt.thutruong"),
    )
    assert resp.status_code == 409, resp.text
    w.assert_clean(409)
