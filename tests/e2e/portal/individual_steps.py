"""The steps of the individual rating pages in Chromium (issue 10), for an agency's year on the
PostgreSQL + Kafka site (``test_individual_pages_postgres_kafka.py``). ``site`` is a
``conftest.Site``: its ``url`` serves the pages, its ``http`` the JSON API. axe-core on every
page; each page that lists reads reporting's read model, so the steps reload until what the
write side did has come through the broker (``reload_until``).

- ``import_staff``: the personnel body uploads a bad staff file (each bad row named, nothing
  stored), then the good one;
- ``self_assess``: a person sends their self-assessment from their own sheet page (Decree 335:
  the months shown, the level from the score; Decree 90/48: the level they propose);
- ``minute_meeting``: the personnel body minutes the agency's meeting for everyone waiting;
- ``decide``: the head (or the chairman) rates a list of people on the decisions page, a level
  changed where the test says, and reads what the page answers;
- ``acknowledge_findings``, ``notify`` and ``read_notice``: the rater takes note of the
  inspection's findings on a person, the personnel body notifies a result, the person reads it.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .cchc_steps import reload_until

IMPORT_PAGE = "/ho-so/ca-nhan/nhap-danh-sach"
LIST_PAGE = "/xep-loai-ca-nhan"


def sign_in(page: Any, url: str, username: str, target: str) -> None:
    """The development sign-in, landing on ``target``."""
    page.goto(url + target)
    page.wait_for_url("**/dang-nhap**")
    page.check(f"input[name=username][value='{username}']")
    page.click("text=Đăng nhập thử nghiệm >> nth=-1")
    page.wait_for_url(f"**{target.split('?')[0]}**")


def wait_until(check: Any, timeout: float = 60) -> Any:
    """Poll ``check()`` until it returns something truthy (the read model is asynchronous)."""
    deadline = time.monotonic() + timeout
    while True:
        got = check()
        if got:
            return got
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.3)


def import_staff(
    site: Any, w: Any, check_axe: Any, shoot: Any, bad: Path, good: Path, stored: Any
) -> list[str]:
    """``stored()`` counts the store's events: the bad file must leave it unchanged."""
    page = w.page
    before = stored()
    not_xlsx = bad.with_name("danh-sach.xlsx")
    not_xlsx.write_bytes(b"Ma can bo;Ho va ten\nCC01;Nguyen Van A\n")  # a CSV under .xlsx
    page.set_input_files("#file", str(not_xlsx))
    page.get_by_role("button", name="Nhập danh sách").click()
    assert "Không đọc được tệp danh sách" in page.inner_text("#file-loi")
    assert page.get_attribute("#file", "aria-invalid") == "true"
    check_axe(page, "ca-nhan-nhap-tep-hong")
    page.set_input_files("#file", str(bad))
    page.get_by_role("button", name="Nhập danh sách").click()
    page.wait_for_selector("#loi-theo-dong")
    assert "không dòng nào được ghi" in page.inner_text("[role=alert]")
    table = page.locator("#loi-theo-dong tbody tr")
    errors = [table.nth(i).inner_text().split("\t") for i in range(table.count())]
    check_axe(page, "ca-nhan-nhap-loi")
    shoot(page, "ca-nhan-nhap-loi")
    assert stored() == before
    page.set_input_files("#file", str(good))
    page.get_by_role("button", name="Nhập danh sách").click()
    page.wait_for_selector("#da-nhap")
    assert "Đã nhập 40 người" in page.inner_text("[role=status]")
    check_axe(page, "ca-nhan-nhap-xong")
    return [" ".join(cell.strip() for cell in row) for row in errors]


def self_assess(
    w: Any,
    check_axe: Any,
    shoot: Any,
    base: str,
    rating_id: str,
    result: str,
    *,
    proposed: str | None = None,
    name: str,
) -> str:
    """From the person's own list to their sheet, then sent; answers the page's text."""
    page = w.page
    page.goto(base + "/xep-loai-ca-nhan/cua-toi")
    reload_until(page, "Chờ bạn tự đánh giá")
    page.click(f"a[href='/ho-so/ca-nhan/xep-loai/{rating_id}']")
    page.wait_for_url(f"**/xep-loai/{rating_id}")
    check_axe(page, f"{name}-phieu")
    page.fill("#ket_qua", result)
    if proposed is not None:
        page.select_option("#proposed_level", proposed)
    page.click("text=Gửi bản tự đánh giá")
    page.wait_for_url("**xong=self_assess")
    body: str = page.inner_text("main")
    assert "Đã gửi lúc" in body and result in body
    shoot(page, f"{name}-da-gui")
    return body


def minute_meeting(
    w: Any,
    check_axe: Any,
    shoot: Any,
    base: str,
    waiting: int,
    levels: Mapping[str, str] | None = None,
) -> bool:
    """The personnel body's list shows everyone waiting for the meeting (read model), the
    minutes page proposes each person's self-assessed level; a wrong date is refused beside
    the field, then the minutes are sent for all of them at once (``levels``: rating id → the
    level proposed where it is not the self-assessed one). True when recorded; else the
    page's message stays in ``w.page`` for the test to read."""
    page = w.page
    page.goto(base + LIST_PAGE)
    form = "form[action='/ho-so/ca-nhan/bien-ban'] input[name=r]"
    wait_until(lambda: page.reload() is not None and page.locator(form).count() == waiting)
    check_axe(page, "ca-nhan-danh-sach-cho-hop")
    page.get_by_role("button", name="Lập biên bản", exact=True).click()
    page.wait_for_url("**/ho-so/ca-nhan/bien-ban**")
    assert page.locator("select[name^='level.']").count() == waiting
    for rating_id, level in (levels or {}).items():
        page.select_option(f"[id='level.{rating_id}']", level)
    for field, value in (
        ("#minutes_number", "03/BB-SXD"),
        ("#held_on", "31/11/2026"),
        ("#attendees", str(waiting)),
        ("#comment_by", "Công đoàn cơ sở"),
        ("#comment_text", "Nhất trí với các bản tự đánh giá."),
        ("#party_document_number", "07-NX/ĐU"),
        ("#party_comments", "Đảng ủy nhất trí."),
        ("#summary", "Tổng hợp ý kiến cuộc họp và của cấp ủy."),
    ):
        page.fill(field, value)
    page.click("text=Ghi biên bản và đề xuất")
    assert "Ngày không hợp lệ" in page.inner_text("#held_on-loi")
    check_axe(page, "ca-nhan-bien-ban-loi")
    page.fill("#held_on", "01/12/2026")
    with page.expect_navigation(timeout=60_000):
        page.click("text=Ghi biên bản và đề xuất")
    if "xong=1" not in page.url:
        return False
    assert "Đã ghi nhận biên bản và đề xuất" in page.inner_text("main")
    shoot(page, "ca-nhan-bien-ban")
    return True


def open_decisions(w: Any, base: str, chosen: Iterable[str]) -> None:
    """From the head's list (read model): only ``chosen`` ratings ticked, to the decisions page."""
    page = w.page
    ids = sorted(chosen)
    page.goto(base + LIST_PAGE)
    form = "form[action='/ho-so/ca-nhan/quyet-dinh']"
    wait_until(
        lambda: (
            page.reload() is not None
            and page.locator(f"{form} input[name=r]").count() > 0
            and all(page.locator(f"{form} input[value='{i}']").count() == 1 for i in ids)
        )
    )
    page.evaluate(
        "([sel, ids]) => document.querySelectorAll(sel + ' input[name=r]')"
        ".forEach(b => { b.checked = ids.includes(b.value); })",
        [form, ids],
    )
    page.get_by_role("button", name="Xếp loại", exact=True).click()
    page.wait_for_url("**/ho-so/ca-nhan/quyet-dinh**")
    assert page.locator("select[name^='level.']").count() == len(ids)


def quota_shown(page: Any, group: str) -> tuple[int, int]:
    """The live counts of a task group on the decisions page: "excellent" used, allowed."""
    scope = f"#han-muc [data-nhom='{group}']"
    return int(page.inner_text(f"{scope} .used")), int(page.inner_text(f"{scope} .allowed"))


def decide(
    w: Any,
    number: str,
    day: str,
    levels: Mapping[str, str] | None = None,
) -> int:
    """Levels changed (rating id → level), the decision's number and date, submitted; answers
    the HTTP status of the page that came back."""
    page = w.page
    for rating_id, level in (levels or {}).items():
        page.select_option(f"[id='level.{rating_id}']", level)
    page.fill("#decision_number", number)
    page.fill("#decided_on", day)
    with page.expect_navigation() as nav:
        page.get_by_role("button", name="Quyết định xếp loại", exact=True).click()
    response = nav.value
    return int(response.status) if response is not None else 0


def beside(page: Any, rating_id: str) -> str:
    loc = page.locator(f"[id='level.{rating_id}-loi']")
    return str(loc.inner_text()) if loc.count() else ""


def acknowledge_findings(w: Any, check_axe: Any, shoot: Any, base: str, rating_id: str) -> str:
    """The rater's page lists the findings on the person; one click acknowledges them."""
    page = w.page
    page.goto(base + f"/ho-so/ca-nhan/xep-loai/{rating_id}")
    pending = page.locator("form.findings-pending")
    assert pending.count() == 1
    listed: str = pending.inner_text()
    check_axe(page, "ca-nhan-phat-hien")
    pending.locator("textarea").fill("Đã xem xét khi đánh giá mức độ hoàn thành nhiệm vụ.")
    pending.get_by_role("button", name="Ghi nhận các phát hiện").click()
    page.wait_for_url("**xong=acknowledge_findings")
    assert page.locator("form.findings-pending").count() == 0
    assert "người đánh giá đã ghi nhận" in page.inner_text("#phat-hien + *")
    shoot(page, "ca-nhan-phat-hien-da-ghi-nhan")
    return listed


def notify(w: Any, check_axe: Any, base: str, rating_id: str, day: str, channel: str) -> None:
    page = w.page
    page.goto(base + f"/ho-so/ca-nhan/xep-loai/{rating_id}")
    page.fill("#notified_on", day)
    page.fill("#channel", channel)
    page.click("text=Ghi nhận thông báo")
    page.wait_for_url("**xong=notify_rating")
    assert f"Đã thông báo ngày {day} ({channel})" in page.inner_text("main")
    check_axe(page, "ca-nhan-thong-bao")


def read_notice(w: Any, check_axe: Any, shoot: Any, base: str, rating_id: str) -> str:
    """The person's own list (read model) leads to their notification."""
    page = w.page
    page.goto(base + "/xep-loai-ca-nhan/cua-toi")
    reload_until(page, "Đã có quyết định")
    page.click(f"a[href='/ho-so/ca-nhan/xep-loai/{rating_id}']")
    page.wait_for_url(f"**/xep-loai/{rating_id}")
    body: str = page.inner_text("main")
    assert "Thông báo kết quả đánh giá, xếp loại" in body
    check_axe(page, "ca-nhan-thong-bao-ket-qua")
    shoot(page, "ca-nhan-thong-bao-ket-qua")
    return body
