"""The dashboard's CCHC ranking and inspection/remediation sections from real events: the demo's
inspection of Sở Y tế (two findings, one plan open and overdue, one verified and closed) and a
ranking decision of the year; each drawn by altair + vl-convert as inline SVG beside a table of
the same figures."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from assessment.domain.registry.unit import unit_id_for
from embedded.app import Embedded
from embedded.demo import TENANT
from reporting.read_models import registry
from reporting.render import charts, html
from reporting.reports.dashboard import dashboard
from shared.envelope import Envelope, event_id_for

NOW = datetime(2026, 12, 1, tzinfo=UTC)
RANKING = "7c1e0000-0000-4000-8000-00000000cc02"


def ranking(year: int) -> Envelope:
    rows = [
        {"unit_id": str(unit_id_for(TENANT, c)), "name": c, "rank": i + 1, "index": idx,
         "band": "a", "band_label": band, "tied_with": []}
        for i, (c, idx, band) in enumerate(
            [("SNV", "91.25", "Tốt"), ("SYT", "84.50", "Khá"), ("STC", "80.00", "Khá")]
        )
    ]  # fmt: skip
    return Envelope(
        event_id=event_id_for(RANKING, 1),
        type="assessment.CchcRanking.Decided",
        tenant=TENANT,
        aggregate_type="CchcRanking",
        aggregate_id=RANKING,
        aggregate_version=1,
        global_position=10_001,
        occurred_at="2014-02-01T09:00:00+07:00",
        recorded_at="2014-02-01T09:00:00+07:00",
        actor={"subject": "snv", "role": "home_affairs", "acting_for": "SNV"},
        payload={"year": year, "block": "so_nganh", "set_id": "s", "survey_held": False,
                 "decision_number": "301/QĐ-UBND", "decision_date": "2014-02-01",
                 "signer": "Chủ tịch", "rows": rows},
    )  # fmt: skip


def board(demo: Embedded, cycle_id: str) -> dict[str, Any]:
    with demo.db.transaction() as tx:
        report = dashboard(tx, TENANT, cycle_id, now=NOW)
    assert report is not None
    return report


def test_the_dashboard_shows_inspection_findings_and_remediation_status(
    demo: Embedded, cycle_id: str
) -> None:
    insp = board(demo, cycle_id)["inspection"]
    assert insp["findings_total"] == 2
    severity = {r["label"]: r["count"] for r in insp["findings_by_severity"]}
    assert severity == {"Nhắc nhở": 1, "Cần khắc phục": 1, "Đề nghị xem xét xử lý": 0}
    status = {r["label"]: r["count"] for r in insp["plans_by_status"]}
    assert status["Đang khắc phục"] == 1 and status["Đã khắc phục xong"] == 1
    (syt,) = insp["plans_by_unit"]
    assert syt == {"unit_name": "Sở Y tế", "plans": 2, "open": 1, "overdue": 1, "closed": 1}


def test_the_dashboard_ranks_the_years_cchc_index_with_a_chart_and_a_table(
    demo: Embedded, cycle_id: str
) -> None:
    report = board(demo, cycle_id)
    assert report["cchc"] == []  # no ranking decision of 2013 in the demo yet
    with demo.db.transaction() as tx:
        registry.apply_all(tx, [ranking(2013)])
    report = board(demo, cycle_id)
    (block,) = report["cchc"]
    assert block["ref"]["event_id"] == event_id_for(RANKING, 1)
    assert [(r["rank"], r["unit_name"], r["index"]) for r in block["rows"]] == [
        (1, "Sở Nội vụ", "91.25"),
        (2, "Sở Y tế", "84.50"),
        (3, "Sở Tài chính", "80.00"),
    ]
    drawn = charts.dashboard_svgs(report)
    (svg,) = drawn["cchc"]
    assert svg.startswith("<svg") and "2. Sở Y tế" in svg
    assert "<svg" in drawn["plans"] and "Đang khắc phục" in drawn["plans"]
    page = html.dashboard_page(report, None, {}, drawn)
    assert page.count("<svg") == 3  # levels, CCHC, plans
    table = re.search(r'<table class="cchc">.*?</table>', page, re.S)
    assert table is not None and "<td>2</td><td>Sở Y tế</td><td>84.50</td>" in table.group(0)
    assert "301/QĐ-UBND" in page and block["ref"]["event_id"] in page
    plans = re.search(r'<table class="plans-by-unit">.*?</table>', page, re.S)
    assert plans is not None and '<tr class="late"><td>Sở Y tế</td><td>2</td>' in plans.group(0)
