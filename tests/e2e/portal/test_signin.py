"""Signing in through the pages, in Chromium: the development sign-in (embedded mode) for each
role, landing on "Việc cần làm" with that role's pending steps and deadlines; sign-out."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.e2e

# username -> what "Việc cần làm" must show for them in the demo (Đồng Nai 2013)
EXPECTED = {
    "snv.vanthu": ("Cán bộ đầu mối của đơn vị", "B2 Tự đánh giá"),
    "snv.tonghop": ("Sở Nội vụ", "Bước 4 — Sở Nội vụ tổng hợp"),
    "bcsd.thuky": ("Ban cán sự Đảng UBND tỉnh", "Bước 5 — Ban cán sự Đảng nhận xét"),
    "chu-tich": ("Chủ tịch UBND tỉnh", "Bước 5 — Chủ tịch UBND tỉnh công nhận"),
    "kiemtoan": ("Kiểm toán", "Trễ hạn và quá hạn"),
}


def sign_in(page: Any, url: str, username: str) -> None:
    page.goto(url + "/viec-can-lam")
    page.wait_for_url("**/dang-nhap?next=/viec-can-lam")
    page.check(f"input[name=username][value='{username}']")
    page.click("text=Đăng nhập thử nghiệm >> nth=-1")
    page.wait_for_url("**/viec-can-lam")


def follow_nav(page: Any, text: str) -> None:
    """Follow a link of the navigation, opening its group (a ``<details>``) first."""
    link = page.locator(f"header nav a >> text={text}").first
    group = link.locator("xpath=ancestor::details")
    if group.count() and group.get_attribute("open") is None:
        group.locator("summary").click()
    link.click()


@pytest.mark.parametrize("username", sorted(EXPECTED))
def test_each_role_lands_on_its_todo_page(
    site: Any, open_page: Any, check_axe: Any, shoot: Any, username: str
) -> None:
    w = open_page()
    page = w.page
    sign_in(page, site.url, username)
    role, expected = EXPECTED[username]
    body = page.inner_text("body")
    assert role in body
    assert expected in body
    check_axe(page, f"viec-can-lam-{username}")
    shoot(page, f"viec-can-lam-{username}")
    w.assert_clean()


def test_unit_officer_sees_the_deadline_in_vietnamese_format(site: Any, open_page: Any) -> None:
    w = open_page()
    page = w.page
    sign_in(page, site.url, "snv.vanthu")
    done = page.inner_text("main")
    # SNV submitted its self-assessment on 05/12/2013, before "trước ngày 10/12/2013"
    assert "10/12/2013" in done and "Đúng hạn" in done
    cookies = {c["name"]: c for c in page.context.cookies()}
    session = cookies["congvu_s0"]
    assert session["httpOnly"] and session["sameSite"] == "Lax"
    page.click("text=Đăng xuất")
    page.wait_for_url(site.url + "/")
    assert not any(c["name"].startswith("congvu_s") for c in page.context.cookies())
    page.goto(site.url + "/viec-can-lam")
    page.wait_for_url("**/dang-nhap?next=/viec-can-lam")


def test_signin_page_and_phone_width(site: Any, open_page: Any, check_axe: Any, shoot: Any) -> None:
    w = open_page()
    w.page.goto(site.url + "/dang-nhap")
    check_axe(w.page, "dang-nhap")
    shoot(w.page, "dang-nhap")
    phone = open_page(width=390, height=844)
    sign_in(phone.page, site.url, "snv.vanthu")
    width = phone.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 391, width
    check_axe(phone.page, "viec-can-lam-snv.vanthu-390")
    shoot(phone.page, "viec-can-lam-snv.vanthu-390")
    w.assert_clean()
    phone.assert_clean()


def test_english_through_the_same_catalogue(site: Any, open_page: Any) -> None:
    w = open_page()
    page = w.page
    page.goto(site.url + "/")
    page.click("text=English")
    page.wait_for_url(site.url + "/")
    assert page.get_attribute("html", "lang") == "en"
    assert "Published results" in page.inner_text("main")
    page.click("text=Tiếng Việt")
    assert page.get_attribute("html", "lang") == "vi"


def test_home_affairs_board_with_filters_search_and_deadlines(
    site: Any, open_page: Any, check_axe: Any, shoot: Any
) -> None:
    w = open_page()
    page = w.page
    sign_in(page, site.url, "snv.tonghop")
    follow_nav(page, "Bảng theo dõi")
    page.wait_for_url("**/bang-theo-doi")
    table = page.inner_text("#bang")
    assert "Sở Nội vụ" in table and "hạn 10/12/2013" in table
    assert "Chưa công nhận" in table and "Chưa công bố" in table
    assert "Hoàn thành xuất sắc nhiệm vụ" in table  # SNV's adjusted and recognised level
    check_axe(page, "bang-theo-doi")
    shoot(page, "bang-theo-doi")
    page.select_option("#loc", "recognised")
    page.click("form.filters button")
    page.wait_for_function("() => location.search.includes('loc=recognised')")
    page.wait_for_function("() => document.querySelector('#bang').innerText.includes('2 đơn vị')")
    rows = page.inner_text("#bang")
    assert "Sở Tài chính" in rows and "Sở Y tế" not in rows
    page.fill("#q", "tai chinh")
    page.click("form.filters button")
    page.wait_for_function("() => document.querySelector('#bang').innerText.includes('1 đơn vị')")
    assert "Sở Nội vụ" not in page.inner_text("#bang tbody")
    w.assert_clean()
