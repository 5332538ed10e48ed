"""The report pages in Chromium: Home Affairs and the chairman sign in, open the dashboard, a
unit's accountability report and the caucus report in the portal layout, axe-core finds no
serious or critical violation, and the figures on the page are the JSON API's of the same
report; a bad as-of date is refused beside its field; a unit's officer is refused the caucus
report but reaches their own unit's from "Việc cần làm"."""

from __future__ import annotations

from typing import Any

import pytest

from helpers import headers

from .test_signin import follow_nav, sign_in

pytestmark = pytest.mark.e2e


def report_json(site: Any, path: str) -> dict[str, Any]:
    cycles = site.http.get("/v1/reports/cycles", headers=headers()).json()
    cycle_id = cycles["items"][0]["id"]
    resp = site.http.get(f"/v1/reports/cycles/{cycle_id}/{path}", headers=headers())
    resp.raise_for_status()
    body: dict[str, Any] = resp.json()
    return body


def level_counts(page: Any) -> dict[str, int]:
    table = page.locator("table", has=page.locator("caption", has_text="cùng số liệu với biểu đồ"))
    rows = table.locator("tbody tr").all()
    return {
        r.locator("td").nth(0).inner_text(): int(r.locator("td").nth(1).inner_text()) for r in rows
    }


@pytest.mark.parametrize("username", ["snv.tonghop", "chu-tich"])
def test_report_pages_show_the_reports_figures(
    site: Any, open_page: Any, check_axe: Any, shoot: Any, username: str
) -> None:
    w = open_page()
    page = w.page
    sign_in(page, site.url, username)
    follow_nav(page, "Tiến độ")
    page.wait_for_url("**/bao-cao/tien-do")
    data = report_json(site, "dashboard")
    assert page.locator("main svg").count() >= 2  # levels, remediation plans (the demo's)
    plans = page.locator("table.plans tbody tr", has_text="Đang khắc phục").inner_text()
    status = {r["label"]: r["count"] for r in data["inspection"]["plans_by_status"]}
    assert plans.split("\t")[-1].strip() == str(status["Đang khắc phục"]) == "1"
    shown = level_counts(page)
    assert shown == {lv["label"]: lv["count"] for lv in data["levels"]}
    assert sum(shown.values()) > 0
    check_axe(page, f"tien-do-{username}")
    shoot(page, f"tien-do-{username}")

    page.goto(site.url + "/bao-cao/don-vi/BVDK")
    unit = report_json(site, f"units/{site.row('BVDK')['unit_id']}/accountability")
    text = page.inner_text("main")
    assert unit["unit"]["unit_name"] in text
    assert f"Mức cuối cùng: {unit['unit']['final_level_label']}" in text
    assert page.locator("a[href*='format=pdf']").count() == 1
    check_axe(page, f"bao-cao-BVDK-{username}")
    shoot(page, f"bao-cao-BVDK-{username}")
    with page.expect_download() as dl:
        page.click("text=Tải XLSX")
    assert dl.value.suggested_filename.endswith(".xlsx")

    follow_nav(page, "Báo cáo Ban cán sự")
    page.wait_for_url("**/bao-cao/ban-can-su")
    caucus = report_json(site, "caucus-report")
    assert level_counts(page) == {lv["label"]: lv["count"] for lv in caucus["levels"]}
    check_axe(page, f"ban-can-su-{username}")
    shoot(page, f"ban-can-su-{username}")

    page.fill("#ngay", "31/02/2013")
    page.click("form.as-of button")
    page.wait_for_selector("#ngay-loi")
    assert "dd/mm/yyyy" in page.inner_text("#ngay-loi")
    w.assert_clean(422)


def test_a_units_officer_is_refused_the_caucus_report(site: Any, open_page: Any) -> None:
    w = open_page()
    page = w.page
    sign_in(page, site.url, "snv.vanthu")
    assert page.locator("nav >> text=Báo cáo Ban cán sự").count() == 0
    resp = page.goto(site.url + "/bao-cao/ban-can-su")
    assert resp is not None and resp.status == 403
    assert "Không có quyền" in page.inner_text("main")
    page.goto(site.url + "/viec-can-lam")
    page.click("text=Báo cáo trách nhiệm của đơn vị")
    page.wait_for_url("**/bao-cao/don-vi/*")
    assert "Mức cuối cùng" in page.inner_text("main")
    # the head's ballots are the head's personal data: not shown to the unit's staff
    assert "Người đứng đầu:" in page.inner_text("main")
    w.assert_clean(403)
