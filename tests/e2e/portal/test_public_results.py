"""The public results page in Chromium: published units only, search, paging, phone width.

The demo has SNV recognised and published, STC recognised but NOT published. The page must show
SNV with its level, decision number and date, and never STC — until Home Affairs publishes STC
through the JSON API, after which it appears. Checked with axe-core, at 1280 px and 390 px.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from helpers import headers

pytestmark = pytest.mark.e2e


def table_text(page: Any) -> str:
    return str(page.locator("#ket-qua").inner_text())


def test_only_published_results_are_shown_and_a_new_publication_appears(
    site: Any, open_page: Any, check_axe: Any, shoot: Any
) -> None:
    stc = site.row("STC")
    assert stc["recognised_level"] == "hoan_thanh_tot"  # recognised ...
    assert not stc["steps"]["publication"].get("submitted_at")  # ... but not published
    w = open_page()
    page = w.page
    page.goto(site.url + "/")
    text = table_text(page)
    assert "Sở Nội vụ" in text
    assert "Hoàn thành xuất sắc nhiệm vụ" in text
    assert "125/QĐ-UBND" in text and "09/01/2014" in text
    assert "Sở Tài chính" not in page.content()  # recognised, unpublished: never shown
    assert "Hoàn thành tốt nhiệm vụ" not in page.content()
    check_axe(page, "public-results")
    shoot(page, "public-results")
    w.assert_clean()

    resp = site.http.post(
        f"/v1/cycles/{site.board()['cycle']['id']}/units/{stc['unit_id']}/publication",
        json={"channel": "Cổng thông tin điện tử tỉnh"},
        headers=headers(role="home_affairs"),
    )
    assert resp.status_code == 201, resp.text
    site.wait_for(
        lambda b: any(
            r["unit_code"] == "STC" and r["steps"]["publication"].get("submitted_at")
            for r in b["items"]
        )
    )
    page.reload()
    text = table_text(page)
    assert "Sở Tài chính" in text and "Hoàn thành tốt nhiệm vụ" in text
    assert "Sở Y tế" not in text  # consolidated only
    shoot(page, "public-results-after-publication")


def test_search_ignores_diacritics_and_works_with_htmx(site: Any, open_page: Any) -> None:
    w = open_page()
    page = w.page
    page.goto(site.url + "/cong-khai")
    page.fill("#q", "so noi vu")
    page.click("button[type=submit]")
    page.wait_for_function("() => /q=so(\\+|%20)noi/.test(location.search)")
    page.wait_for_function("() => !document.querySelector('#ket-qua').textContent.includes('Có 2')")
    text = table_text(page)
    assert "Sở Nội vụ" in text and "Sở Tài chính" not in text
    page.fill("#q", "khong co don vi nay")
    page.click("button[type=submit]")
    page.locator("#ket-qua .notice").wait_for()
    assert "Chưa có kết quả nào được công bố" in table_text(page)
    w.assert_clean()


def test_public_page_at_phone_width(site: Any, open_page: Any, check_axe: Any, shoot: Any) -> None:
    w = open_page(width=390, height=844)
    page = w.page
    page.goto(site.url + "/cong-khai?tinh=dong-nai&nam=2013")
    assert "Sở Nội vụ" in table_text(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1, f"page scrolls sideways at 390 px ({width} px)"
    check_axe(page, "public-results-390")
    shoot(page, "public-results-390")
    w.assert_clean()


def test_public_page_needs_no_cookie_and_sets_no_session(site: Any) -> None:
    resp = httpx.get(site.url + "/cong-khai", timeout=30)
    assert resp.status_code == 200
    assert not any(c.startswith("congvu_s") for c in resp.cookies)
    assert "default-src 'none'" in resp.headers["content-security-policy"]
    assert "https://" not in resp.text and "http://" not in resp.text.replace(site.url, "")
