"""The inspection side of the accountability reports, from the demo's real events (the
inspection of Sở Y tế: a finding on its director, explained, one on the unit; a plan for each,
the director's open with an overdue milestone, the unit's verified and closed): in the unit's
and the head's report as HTML, PDF (text extracted, NFC) and XLSX (read back by openpyxl), each
figure citing the very event it comes from; personal findings withheld from readers the
inspection rules do not name; PDF bytes still reproducible; as of before the inspection,
nothing."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl

from assessment.adapters.history import iter_envelopes
from assessment.domain.registry.unit import unit_id_for
from embedded.app import Embedded
from embedded.demo import TENANT
from reporting.render import html, pdf, xlsx
from reporting.reports.accountability import unit_report
from reporting.reports.as_of import replay_then
from unit.reporting.reports.test_unit_reports import NOW, pdf_text

HEAD = "syt.thutruong"
LATE = "32 trên 410 hồ sơ thủ tục hành chính quý III giải quyết trễ hạn"


def report_for(demo: Embedded, cycle_id: str, code: str = "SYT", **kw: Any) -> Any:
    with demo.db.transaction() as tx:
        return unit_report(tx, TENANT, cycle_id, str(unit_id_for(TENANT, code)), now=NOW, **kw)


def test_the_units_report_carries_each_finding_with_its_recorded_event(
    demo: Embedded, cycle_id: str, events: dict[str, list[Any]], tmp_path: Path
) -> None:
    report = report_for(demo, cycle_id)
    insp = report["inspection"]
    # the demo's 2013 inspection (the report's year); the demo also inspects Sở Y tế in 2026
    of_2013 = {
        e.aggregate_id
        for e in events["Inspection.Decided"]
        if str(e.payload["decision"]["date"]).startswith("2013")
    }
    recorded = {
        e.payload["finding_id"]: e
        for e in events["Inspection.FindingRecorded"]
        if e.aggregate_id in of_2013
    }
    assert len(of_2013) == 1 and len(recorded) == 2
    assert {f["finding_id"] for f in insp["findings"]} == set(recorded)
    for f in insp["findings"]:
        env = recorded[f["finding_id"]]
        assert f["description"] == env.payload["description"]
        assert f["ref"] == {
            "event_id": env.event_id,
            "aggregate_id": env.aggregate_id,
            "version": env.aggregate_version,
        }
    late = next(f for f in insp["findings"] if f["person"] == HEAD)
    (explained,) = events["Inspection.ExplanationGiven"]
    assert late["explained"] and late["explanation_ref"]["event_id"] == explained.event_id
    assert late["person_name"] == "Lê Văn Trưởng" and late["kind_label"] == "Chậm xử lý, tham mưu"
    page = html.unit_page(report, {})
    assert LATE in page and all(f["ref"]["event_id"] in page for f in insp["findings"])
    words = " ".join(pdf_text(pdf.unit_pdf(report), tmp_path).split())
    assert unicodedata.is_normalized("NFC", words)
    assert "Kiểm tra công vụ: phát hiện" in words and "Chậm xử lý, tham mưu" in words
    book = tmp_path / "f.xlsx"
    book.write_bytes(xlsx.unit_xlsx(report))
    rows = list(openpyxl.load_workbook(book)["Phát hiện kiểm tra"].iter_rows(min_row=2))
    got = {(r[5].value, r[8].value) for r in rows}
    assert got == {(f["description"], f["ref"]["event_id"]) for f in insp["findings"]}
    assert {r[6].value for r in rows} == {datetime(2013, 11, 20)}  # a date, not text


def test_remediation_status_comes_from_the_plans_last_status_event(
    demo: Embedded, cycle_id: str, events: dict[str, list[Any]], tmp_path: Path
) -> None:
    insp = report_for(demo, cycle_id)["inspection"]
    plans = {p["subject_kind"]: p for p in insp["remediation"]}
    assert (plans["person"]["status"], plans["unit"]["status"]) == ("open", "closed")
    (closed,) = events["RemediationPlan.Closed"]
    assert plans["unit"]["ref"]["event_id"] == closed.event_id
    assert plans["unit"]["closed_on"] == "2014-01-24" and plans["unit"]["overdue"] == []
    scheduled = next(
        e
        for e in events["RemediationPlan.MilestoneScheduled"]
        if e.aggregate_id == plans["person"]["plan_id"]
    )
    assert plans["person"]["ref"]["event_id"] == scheduled.event_id
    (late,) = plans["person"]["overdue"]
    assert late["due_on"] == "2014-03-31"
    assert late["days_overdue"] == (NOW.date() - datetime(2014, 3, 31).date()).days
    assert (insp["open_plans"], insp["overdue_plans"]) == (1, 1)
    report = report_for(demo, cycle_id)
    words = " ".join(pdf_text(pdf.unit_pdf(report), tmp_path).split())
    assert "Đang khắc phục" in words and "Đã khắc phục xong (24/01/2014)" in words
    book = tmp_path / "p.xlsx"
    book.write_bytes(xlsx.unit_xlsx(report))
    ws = openpyxl.load_workbook(book)["Khắc phục"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows[plans["unit"]["title"]][2] == "Đã khắc phục xong"
    assert rows[plans["unit"]["title"]][7] == datetime(2014, 1, 24)
    assert rows[plans["person"]["title"]][2:6] == ("Đang khắc phục", 1, 0, 1)


def test_the_heads_report_and_who_may_see_the_findings_on_the_head(
    demo: Embedded, cycle_id: str
) -> None:
    head = report_for(demo, cycle_id, person_id=HEAD, reader_role="chairman")
    assert head["kind"] == "head" and head["head"]["name"] == "Lê Văn Trưởng"
    assert len(head["inspection"]["findings"]) == 2 and head["inspection"]["withheld"] == 0
    own = report_for(demo, cycle_id, person_id=HEAD, reader_role="unit_head", reader_subject=HEAD)
    assert len(own["inspection"]["findings"]) == 2
    caucus = report_for(demo, cycle_id, person_id=HEAD, reader_role="party_caucus")
    assert [f["person"] for f in caucus["inspection"]["findings"]] == [None]
    assert [p["subject_kind"] for p in caucus["inspection"]["remediation"]] == ["unit"]
    assert caucus["inspection"]["withheld"] == 2
    assert caucus["inspection"]["persons"] == {}  # who was inspected: personal data too
    assert set(own["inspection"]["persons"]) == {HEAD}
    assert LATE not in html.unit_page(caucus, {})
    assert report_for(demo, cycle_id, person_id="nobody.here") is None
    other = report_for(demo, cycle_id, "SNV")  # another unit: none of Sở Y tế's findings
    assert other["inspection"]["findings"] == [] and other["inspection"]["remediation"] == []


def test_the_pdf_with_the_inspection_side_is_byte_reproducible(
    demo: Embedded, cycle_id: str
) -> None:
    first = pdf.unit_pdf(report_for(demo, cycle_id, person_id=HEAD))
    again = pdf.unit_pdf(report_for(demo, cycle_id, person_id=HEAD))
    assert first == again
    assert b"%PDF-" in first[:8]


def test_as_of_before_the_inspection_the_report_has_no_finding(
    demo: Embedded, cycle_id: str
) -> None:
    unit = str(unit_id_for(TENANT, "SYT"))

    def at(iso: str) -> dict[str, Any]:
        moment = datetime.fromisoformat(iso)
        report = replay_then(
            iter_envelopes(demo.assessment),
            TENANT,
            moment,
            lambda tx: unit_report(tx, TENANT, cycle_id, unit, now=moment),
        )
        assert report is not None
        return report["inspection"]

    assert at("2013-11-19T23:59:59+07:00")["findings"] == []
    then = at("2013-12-31T23:59:59+07:00")
    assert len(then["findings"]) == 2
    assert {p["status"] for p in then["remediation"]} == {"open"}  # closed on 24/01/2014
    assert then["overdue_plans"] == 0  # the milestones were not yet due
