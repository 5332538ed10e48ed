"""The grouped navigation in Chromium, per role, at 1280 px and 390 px: only the groups the
role can use, a group opened and followed with the keyboard alone, the current page marked
``aria-current="page"`` (and its group's heading), no sideways scrolling on a phone, axe-core
clean; screenshots ``nav-<user>-<width>.png`` (closed) and ``nav-<user>-<width>-mo.png``."""

from __future__ import annotations

from typing import Any

import pytest

from .test_signin import sign_in

pytestmark = pytest.mark.e2e

ALL_GROUPS = {
    "Đánh giá tập thể",
    "Xếp loại cá nhân",
    "Cải cách hành chính",
    "Kiểm tra & khắc phục",
    "Báo cáo",
    "Kiểm toán",
}
# user -> (the groups shown, a group to open with the keyboard and the link reached in it)
ROLES = {
    "snv.vanthu": (
        {"Đánh giá tập thể", "Cải cách hành chính", "Kiểm tra & khắc phục"},
        ("Cải cách hành chính", "Chỉ số CCHC"),
    ),
    "snv.tonghop": (ALL_GROUPS, ("Đánh giá tập thể", "Kế hoạch đánh giá")),
    "syt.thutruong": (
        {
            "Đánh giá tập thể",
            "Xếp loại cá nhân",
            "Cải cách hành chính",
            "Kiểm tra & khắc phục",
        },
        ("Xếp loại cá nhân", "Xếp loại cá nhân"),
    ),
    "kiemtoan": (ALL_GROUPS, ("Kiểm toán", "Dòng thời gian sự kiện")),
    "thanhtra": (ALL_GROUPS, ("Kiểm tra & khắc phục", "Kiểm tra công vụ")),
    "syt.canbo": (
        {"Đánh giá tập thể", "Xếp loại cá nhân", "Cải cách hành chính"},
        ("Xếp loại cá nhân", "Đánh giá của tôi"),
    ),
}


def shown_groups(page: Any) -> set[str]:
    return {s.strip() for s in page.locator("header nav summary").all_inner_texts()}


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("username", sorted(ROLES))
def test_each_role_sees_its_groups_and_follows_one_by_keyboard(
    site: Any, open_page: Any, check_axe: Any, shoot: Any, username: str, width: int
) -> None:
    groups, (group, link) = ROLES[username]
    w = open_page(width=width, height=844 if width < 600 else 900)
    page = w.page
    sign_in(page, site.url, username)
    assert shown_groups(page) == groups
    nav = page.locator("header nav")
    # the lone links, and "Việc cần làm" marked as the page shown
    assert nav.locator("a[aria-current=page]").inner_text() == "Việc cần làm"
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
    check_axe(page, f"nav-{username}-{width}")
    shoot(page, f"nav-{username}-{width}")

    # keyboard only: focus the group's heading, open it, Tab to the link, follow it
    summary = nav.locator("summary", has_text=group)
    summary.focus()
    page.keyboard.press("Enter")
    assert summary.locator("xpath=..").get_attribute("open") is not None
    target = summary.locator("xpath=..").locator("a", has_text=link).first
    assert target.is_visible()
    href = target.get_attribute("href")
    for _ in range(len(groups) + 10):  # the group's links come right after its heading
        if page.evaluate("document.activeElement.getAttribute('href')") == href:
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == link
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
    check_axe(page, f"nav-{username}-{width}-mo")
    shoot(page, f"nav-{username}-{width}-mo")
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => location.pathname.startsWith({href!r})")
    current = page.locator("header nav a[aria-current=page]")
    assert current.count() == 1 and current.get_attribute("href") == href
    here = page.locator("header nav summary.here")
    assert here.count() == 1 and here.inner_text().strip() == group
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
    w.assert_clean(404)


def test_signed_out_only_the_published_results_and_sign_in(site: Any, open_page: Any) -> None:
    w = open_page()
    page = w.page
    page.goto(site.url + "/cong-khai")
    assert shown_groups(page) == set()
    links = page.locator("header nav a").all_inner_texts()
    assert links == ["Kết quả công khai"]
    assert page.locator("header .who a", has_text="Đăng nhập").count() == 1
    w.assert_clean()
