"""A unit's file and the step forms on it, in Chromium: Home Affairs opens a unit from the
board, is refused with a Vietnamese message beside an empty field (nothing stored), then
consolidates; the chairman recognises a caucus-reviewed unit with a dd/mm/yyyy decision date.
The forms are derived from the JSON API's command models and run by the same executor."""

from __future__ import annotations

from typing import Any

import pytest

from .test_signin import sign_in

pytestmark = pytest.mark.e2e


def test_home_affairs_consolidates_from_the_units_file(
    site: Any, open_page: Any, check_axe: Any, shoot: Any
) -> None:
    assert site.row("UBND-BIENHOA")["steps"]["consolidation"]["status"] in ("missing", "overdue")
    w = open_page()
    page = w.page
    sign_in(page, site.url, "snv.tonghop")
    page.goto(site.url + "/bang-theo-doi")
    page.click("text=UBND thành phố Biên Hòa")
    page.wait_for_url("**/ho-so/2013/UBND-BIENHOA")
    assert "Đơn vị chủ động, phối hợp tốt." in page.inner_text("main")  # the member's review
    check_axe(page, "ho-so-UBND-BIENHOA")
    shoot(page, "ho-so-UBND-BIENHOA")
    form = page.locator("form[action$='/consolidate']")
    form.locator("select[name=proposed_level]").select_option("hoan_thanh_tot")
    form.locator("button").click()
    page.wait_for_selector("#consolidate-summary-loi")
    assert "bắt buộc" in page.inner_text("#consolidate-summary-loi")
    assert site.row("UBND-BIENHOA")["steps"]["consolidation"]["status"] in ("missing", "overdue")
    form = page.locator("form[action$='/consolidate']")
    form.locator("textarea[name=summary]").fill("Tổng hợp ý kiến chuyên ngành và thành viên UBND.")
    form.locator("select[name=proposed_level]").select_option("hoan_thanh_tot")
    form.locator("button").click()
    page.wait_for_url("**/ho-so/2013/UBND-BIENHOA?xong=consolidate")
    assert "Đã ghi nhận" in page.inner_text("main")
    site.wait_for(
        lambda b: any(
            r["unit_code"] == "UBND-BIENHOA" and r["steps"]["consolidation"].get("submitted_at")
            for r in b["items"]
        )
    )
    w.assert_clean(422)


def test_chairman_recognises_with_a_vietnamese_date(
    site: Any, open_page: Any, shoot: Any, check_axe: Any
) -> None:
    w = open_page()
    page = w.page
    sign_in(page, site.url, "chu-tich")
    page.goto(site.url + "/ho-so/2013/BVDK")
    form = page.locator("form[action$='/recognise']")
    form.locator("input[name=decision_number]").fill("130/QĐ-UBND")
    form.locator("input[name=decision_date]").fill("31/02/2014")
    form.locator("input[name=signer]").fill("Đinh Quốc Thái")
    form.locator("select[name=level]").select_option("hoan_thanh_tot")
    form.locator("button").click()
    page.wait_for_selector("#recognise-decision_date-loi")
    assert "dd/mm/yyyy" in page.inner_text("#recognise-decision_date-loi")
    form = page.locator("form[action$='/recognise']")
    form.locator("input[name=decision_date]").fill("14/01/2014")
    form.locator("select[name=level]").select_option("hoan_thanh_tot")
    form.locator("button").click()
    page.wait_for_url("**/ho-so/2013/BVDK?xong=recognise")
    check_axe(page, "ho-so-BVDK-cong-nhan")
    shoot(page, "ho-so-BVDK-cong-nhan")
    site.wait_for(
        lambda b: any(
            r["unit_code"] == "BVDK" and r["recognised_level"] == "hoan_thanh_tot"
            for r in b["items"]
        )
    )
    row = site.row("BVDK")
    assert row["recognition"]["decision_date"] == "2014-01-14"
    # recognised, not published: the public page still does not show it
    page.goto(site.url + "/cong-khai")
    assert "Bệnh viện Đa khoa Đồng Nai" not in page.inner_text("main")
    w.assert_clean(422)
