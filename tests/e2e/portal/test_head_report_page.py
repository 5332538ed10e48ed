"""The head-report page in Chromium (``/bao-cao/nguoi-dung-dau/{code}``, the API's ``person=``
report): the chairman follows the link from Sở Y tế's unit report to the report on its
director and sees the demo inspection's finding on him and the remediation plans with their
status — the same as the JSON API's — with PDF/XLSX downloads for that person, and axe-core
finds no serious or critical violation; the director reads his own; the party caucus is told
that the finding on the person is withheld; a unit's officer is refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from helpers import headers

from .test_signin import sign_in

pytestmark = pytest.mark.e2e

HEAD = "syt.thutruong"
LATE = "32 trên 410 hồ sơ thủ tục hành chính quý III giải quyết trễ hạn"
POSTED = "Bộ phận một cửa chưa niêm yết đủ 14 thủ tục lĩnh vực dược."


def head_json(site: Any, **who: Any) -> dict[str, Any]:
    cycles = site.http.get("/v1/reports/cycles", headers=headers()).json()
    cycle_id = cycles["items"][0]["id"]
    unit_id = site.row("SYT")["unit_id"]
    resp = site.http.get(
        f"/v1/reports/cycles/{cycle_id}/units/{unit_id}/accountability",
        params={"person": HEAD},
        headers=headers(**who),
    )
    resp.raise_for_status()
    body: dict[str, Any] = resp.json()
    return body


def test_the_chairman_reads_the_report_on_a_head_with_findings_and_remediation(
    site: Any, open_page: Any, check_axe: Any, shoot: Any
) -> None:
    w = open_page()
    page = w.page
    sign_in(page, site.url, "chu-tich")
    page.goto(site.url + "/bao-cao/don-vi/SYT")
    page.click("text=Báo cáo về người đứng đầu")
    page.wait_for_url(f"**/bao-cao/nguoi-dung-dau/SYT?*person={HEAD}*")
    data = head_json(site, subject="chu-tich", role="chairman", unit="UBND-TINH")
    assert data["kind"] == "head" and data["head"]["id"] == HEAD
    main = page.inner_text("main")
    assert "Báo cáo về người đứng đầu" in main and "Lê Văn Trưởng" in main
    findings = page.locator("tr.finding")
    assert findings.count() == len(data["inspection"]["findings"]) == 2
    assert LATE in main and POSTED in main
    for f in data["inspection"]["findings"]:  # each finding names its event
        assert page.locator(f"tr.finding span[title^='{f['ref']['event_id']}']").count() == 1
    plans = {p["title"]: p for p in data["inspection"]["remediation"]}
    assert {p["status"] for p in plans.values()} == {"open", "closed"}
    for title, plan in plans.items():
        row = page.locator("tr.plan", has_text=title)
        assert plan["status_label"] in row.inner_text()
        assert row.locator(f"span[title^='{plan['ref']['event_id']}']").count() == 1
    overdue = page.locator("tr.plan.open").inner_text()
    assert "Không còn hồ sơ trễ hạn: hạn 31/03/2014" in overdue
    pdf_link = page.locator("a[href*='format=pdf']")
    assert f"person={HEAD}" in (pdf_link.get_attribute("href") or "")
    check_axe(page, "bao-cao-nguoi-dung-dau-SYT")
    shoot(page, "bao-cao-nguoi-dung-dau-SYT")
    with page.expect_download() as dl:
        page.click("text=Tải PDF")
    assert dl.value.suggested_filename == "bao-cao-SYT-2013.pdf"
    assert Path(dl.value.path()).read_bytes()[:5] == b"%PDF-"
    with page.expect_download() as dl:
        page.click("text=Tải XLSX")
    assert dl.value.suggested_filename.endswith(".xlsx")
    w.assert_clean()


def test_the_head_reads_his_own_and_the_caucus_sees_the_personal_finding_withheld(
    site: Any, open_page: Any, check_axe: Any
) -> None:
    w = open_page()
    page = w.page
    sign_in(page, site.url, HEAD)
    page.goto(site.url + "/bao-cao/nguoi-dung-dau/SYT")  # no person: the unit's head
    main = page.inner_text("main")
    assert LATE in main and "Đã giải trình" in main
    assert "không hiển thị với vai trò này" not in main
    check_axe(page, "bao-cao-nguoi-dung-dau-SYT-own")
    w.assert_clean()

    w = open_page()
    page = w.page
    sign_in(page, site.url, "bcsd.thuky")
    page.goto(site.url + f"/bao-cao/nguoi-dung-dau/SYT?person={HEAD}")
    main = page.inner_text("main")
    assert POSTED in main and LATE not in main  # the finding on the person is personal data
    assert "2 phát hiện, kế hoạch về cá nhân công chức không hiển thị" in main
    w.assert_clean()


def test_a_units_officer_is_refused_the_report_on_a_head(site: Any, open_page: Any) -> None:
    w = open_page()
    page = w.page
    sign_in(page, site.url, "snv.vanthu")
    resp = page.goto(site.url + "/bao-cao/nguoi-dung-dau/SNV")
    assert resp is not None and resp.status == 403
    assert "Không có quyền" in page.inner_text("main")
    w.assert_clean(403)
