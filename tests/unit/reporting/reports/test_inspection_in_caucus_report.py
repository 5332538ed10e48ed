"""The inspection side of the report to the caucus and the chairman, from the demo's real
events: the findings of the year's inspections on the cycle's units and the remediation plans
with a milestone overdue, each citing the very event it comes from, in the page, the dispatch
PDF (text extracted, NFC) and the XLSX (read back by openpyxl); findings and plans on a named
official withheld from the caucus, whom the inspection rules do not name, and counted."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import openpyxl

from embedded.app import Embedded
from embedded.demo import TENANT, YEAR
from reporting.render import fmt, html, pdf, xlsx
from reporting.reports.caucus import caucus_report
from reporting.reports.rules import ReportRules
from unit.reporting.reports.test_inspection_in_reports import HEAD, LATE
from unit.reporting.reports.test_unit_reports import NOW, pdf_text

SECTION = f"Phát hiện qua kiểm tra công vụ năm {YEAR}"


def report_as(demo: Embedded, cycle_id: str, role: str | None, subject: str = "x") -> Any:
    with demo.db.transaction() as tx:
        return caucus_report(
            tx, TENANT, cycle_id, now=NOW, rules=ReportRules(), reader_role=role,
            reader_subject=subject,
        )  # fmt: skip


def the_years_findings(events: dict[str, list[Any]]) -> dict[str, Any]:
    """finding id → its FindingRecorded envelope, for the inspections decided in the year."""
    of_year = {
        e.aggregate_id
        for e in events["Inspection.Decided"]
        if str(e.payload["decision"]["date"]).startswith(str(YEAR))
    }
    return {
        e.payload["finding_id"]: e
        for e in events["Inspection.FindingRecorded"]
        if e.aggregate_id in of_year
    }


def test_the_chairman_gets_every_finding_and_overdue_plan_with_its_event(
    demo: Embedded, cycle_id: str, events: dict[str, list[Any]], tmp_path: Path
) -> None:
    report = report_as(demo, cycle_id, "chairman")
    insp = report["inspection"]
    recorded = the_years_findings(events)
    assert len(recorded) == 2 and insp["withheld"] == 0
    assert {f["finding_id"] for f in insp["findings"]} == set(recorded)
    for f in insp["findings"]:
        env = recorded[f["finding_id"]]
        assert f["description"] == env.payload["description"]
        assert f["unit_name"] == "Sở Y tế" and f["unit_id"] == env.payload["unit_id"]
        assert f["ref"] == {
            "event_id": env.event_id,
            "aggregate_id": env.aggregate_id,
            "version": env.aggregate_version,
        }
    assert report["totals"]["findings"] == 2
    # the plans with a milestone past due on NOW and not done, from the store's events
    done = {e.payload["milestone_id"] for e in events.get("RemediationPlan.MilestoneDone", [])}
    closed = {e.aggregate_id for e in events.get("RemediationPlan.Closed", [])}
    overdue = {
        e.aggregate_id
        for e in events["RemediationPlan.MilestoneScheduled"]
        if e.payload["due_on"] < NOW.date().isoformat()
        and e.payload["milestone_id"] not in done
        and e.aggregate_id not in closed
    }
    assert overdue and {p["plan_id"] for p in insp["overdue_plans"]} == overdue
    last = {}
    for e in events["RemediationPlan.MilestoneScheduled"]:
        last[e.aggregate_id] = e  # the demo's last event on an open plan is a scheduling
    head_plan = next(p for p in insp["overdue_plans"] if p["subject_id"] == HEAD)
    assert head_plan["ref"]["event_id"] == last[head_plan["plan_id"]].event_id
    assert head_plan["subject_name"] == "Lê Văn Trưởng"
    assert head_plan["overdue"][0]["due_on"] == "2014-03-31"

    page = html.caucus_page(report, {}, None)
    assert SECTION in page and LATE in page and "Lê Văn Trưởng" in page
    assert all(fmt.short_ref(f["ref"]) in page for f in insp["findings"])
    assert fmt.short_ref(head_plan["ref"]) in page and "hạn 31/03/2014" in page

    words = " ".join(pdf_text(pdf.caucus_pdf(report), tmp_path).split())
    assert unicodedata.is_normalized("NFC", words)
    assert SECTION in words and "Kế hoạch khắc phục có mốc quá hạn" in words
    assert "Chậm xử lý, tham mưu" in words
    assert all(fmt.short_ref(f["ref"]) in words for f in insp["findings"])

    book = tmp_path / "caucus.xlsx"
    book.write_bytes(xlsx.caucus_xlsx(report))
    wb = openpyxl.load_workbook(book)
    rows = list(wb["Phát hiện kiểm tra"].iter_rows(min_row=2, values_only=True))
    assert {(r[0], r[7], r[10]) for r in rows} == {
        ("SYT", f["description"], f["ref"]["event_id"]) for f in insp["findings"]
    }
    plans = list(wb["Khắc phục quá hạn"].iter_rows(min_row=2, values_only=True))
    assert {(r[2], r[10]) for r in plans} == {
        (p["title"], p["ref"]["event_id"]) for p in insp["overdue_plans"]
    }
    assert wb["Khắc phục quá hạn"].freeze_panes == "A2"


def test_the_caucus_does_not_see_findings_on_a_named_official(
    demo: Embedded, cycle_id: str, tmp_path: Path
) -> None:
    report = report_as(demo, cycle_id, "party_caucus")
    insp = report["inspection"]
    assert [f["person"] for f in insp["findings"]] == [None]  # the one on the unit
    assert all(p["subject_kind"] == "unit" for p in insp["overdue_plans"])
    assert insp["withheld"] == 2  # the finding on the director and the plan on him
    page = html.caucus_page(report, {}, None)
    assert LATE not in page and "Lê Văn Trưởng" not in page
    assert "2 phát hiện, kế hoạch về cá nhân cán bộ không hiển thị" in page
    words = " ".join(pdf_text(pdf.caucus_pdf(report), tmp_path).split())
    assert "Lê Văn Trưởng" not in words and "không hiển thị với người nhận này" in words
    # the official themself, read as a unit head, sees what is on them
    own = report_as(demo, cycle_id, "unit_head", HEAD)["inspection"]
    assert own["withheld"] == 0 and len(own["findings"]) == 2
