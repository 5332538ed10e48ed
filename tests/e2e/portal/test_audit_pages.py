"""The auditor's pages and the units list in Chromium (issue 9): the auditor signs in, opens the
event timeline, filters it by unit and step, sees each event's actor, business and recorded
time, chain position and a chain link that matches; a bad day is refused beside its field;
the as-of view replays the board at 10/01/2014 12:00 (Sở Nội vụ recognised on 09/01, Sở Tài
chính not until 13/01) and says so; the units list searches and shows lineage; a unit officer
is refused the audit pages. axe-core: no serious or critical violation on any of them."""

from __future__ import annotations

import re
from typing import Any

import pytest

from .test_signin import follow_nav, sign_in

pytestmark = pytest.mark.e2e


def test_the_auditor_filters_the_timeline_and_replays_the_board(
    site: Any, open_page: Any, check_axe: Any, shoot: Any
) -> None:
    w = open_page()
    page = w.page
    sign_in(page, site.url, "kiemtoan")
    follow_nav(page, "Dòng thời gian sự kiện")
    page.wait_for_url("**/kiem-toan/dong-thoi-gian")
    everything = page.inner_text("#dong-thoi-gian")
    assert "Khớp chuỗi kiểm toán" in everything and "Sai lệch" not in everything
    check_axe(page, "kiem-toan-dong-thoi-gian")

    page.select_option("#don_vi", "SNV")
    page.select_option("#buoc", "recognition")
    page.click("form.filters button")
    page.wait_for_url("**buoc=recognition**")
    rows = page.locator("#dong-thoi-gian tbody tr").all()
    assert len(rows) == 1
    cells = [c.inner_text() for c in rows[0].locator("td").all()]
    position, event, units, actor, business, recorded, chain = cells
    assert int(position) > 0
    assert "UnitAssessment.Recognised" in event and units == "SNV"
    assert "chu-tich" in actor and "Chủ tịch UBND tỉnh" in actor
    assert business == "09/01/2014 10:00"  # the demo's business time, Vietnam time
    assert recorded != business  # stored when the demo was loaded, not in 2014
    assert "Khớp chuỗi kiểm toán" in chain
    shoot(page, "kiem-toan-dong-thoi-gian")

    page.fill("#tu", "32/01/2014")
    page.click("form.filters button")
    page.wait_for_selector("#tu-loi")
    assert "dd/mm/yyyy" in page.inner_text("#tu-loi")

    follow_nav(page, "Tại một thời điểm")
    page.wait_for_url("**/kiem-toan/tai-thoi-diem")
    page.fill("#ngay", "10/01/2014")
    page.fill("#gio", "12:00")
    page.click("form.filters button")
    page.wait_for_selector("#thoi-diem")
    assert "10/01/2014 12:00" in page.inner_text("#thoi-diem")

    def recognised(name: str) -> str:
        row = page.locator("table.grid tbody tr", has=page.locator(f"th:text-is('{name}')"))
        return str(row.locator("td").last.inner_text())

    assert recognised("Sở Nội vụ") == "Hoàn thành xuất sắc nhiệm vụ"
    assert recognised("Sở Tài chính") == "Chưa công nhận"  # recognised on 13/01 only
    check_axe(page, "kiem-toan-tai-thoi-diem")
    shoot(page, "kiem-toan-tai-thoi-diem")

    page.select_option("#don_vi", "STC")
    page.click("form.filters button")
    page.wait_for_url("**don_vi=STC**")
    assert page.locator("table.grid tbody tr").count() == 1
    events = page.inner_text("ol.events")
    assert "CaucusReviewed" in events and "Recognised" not in events
    check_axe(page, "kiem-toan-ho-so-STC")
    shoot(page, "kiem-toan-ho-so-STC")
    w.assert_clean(422)


def test_the_units_list_searches_and_pages(
    site: Any, open_page: Any, check_axe: Any, shoot: Any
) -> None:
    w = open_page()
    page = w.page
    sign_in(page, site.url, "kiemtoan")
    follow_nav(page, "Đơn vị")
    page.wait_for_url("**/don-vi")
    text = page.inner_text("#don-vi")
    assert "Sở Nội vụ" in text and "Sở Y tế" in text
    check_axe(page, "don-vi")
    shoot(page, "don-vi")
    page.fill("#q", "so noi vu")
    page.click("form.filters button")
    page.wait_for_url(re.compile(r"q=so(\+|%20)noi(\+|%20)vu"))
    names = [r.inner_text() for r in page.locator("#don-vi tbody th").all()]
    assert names == ["Sở Nội vụ"]
    page.fill("#q", "")
    page.fill("#ngay", "99/99/2013")
    page.click("form.filters button")
    page.wait_for_selector("#ngay-loi")
    assert "dd/mm/yyyy" in page.inner_text("#ngay-loi")
    w.assert_clean(422)


def test_a_unit_officer_is_refused_the_audit_pages(site: Any, open_page: Any) -> None:
    w = open_page()
    page = w.page
    sign_in(page, site.url, "snv.vanthu")
    assert page.locator("nav >> text=Dòng thời gian sự kiện").count() == 0
    resp = page.goto(site.url + "/kiem-toan/dong-thoi-gian")
    assert resp is not None and resp.status == 403
    assert "kiểm toán" in page.inner_text("main")
    resp = page.goto(site.url + "/kiem-toan/tai-thoi-diem?ngay=10/01/2014")
    assert resp is not None and resp.status == 403
    w.assert_clean(403)
