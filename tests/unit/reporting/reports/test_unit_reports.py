"""Each unit's and each head's report of the demo province renders as a page, a PDF (looked at
as PNG through pdftoppm, its Vietnamese text extracted with pypdf and NFC-correct) and an
XLSX that openpyxl reads back with the same figures; as of a past moment from the history."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pypdf
import pytest

from assessment.adapters.history import iter_envelopes
from assessment.domain.registry.unit import unit_id_for
from embedded.app import Embedded
from embedded.demo import TENANT, UNITS
from reporting.render import html, pdf, xlsx
from reporting.reports.accountability import unit_report
from reporting.reports.as_of import replay_then
from shared.envelope import event_id_for
from unit.reporting.reports.conftest import HEAD, ballot_envelopes

NOW = datetime(2026, 12, 1, tzinfo=UTC)
ENROLLED = [(code, name) for code, name, *_ in UNITS if code != "UBND-TINH"]


def report_for(demo: Embedded, cycle_id: str, code: str, person: str | None = None) -> Any:
    with demo.db.transaction() as tx:
        return unit_report(
            tx, TENANT, cycle_id, str(unit_id_for(TENANT, code)), now=NOW, person_id=person
        )


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "r.pdf"
    path.write_bytes(data)
    return "\n".join(p.extract_text() for p in pypdf.PdfReader(path).pages)


def as_png(data: bytes, tmp_path: Path) -> list[Path]:
    if shutil.which("pdftoppm") is None:
        pytest.fail("pdftoppm missing: deploy/local/packages.sh installs poppler-utils")
    path = tmp_path / "look.pdf"
    path.write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(path), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert pages and all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pages)
    return pages


@pytest.mark.parametrize(("code", "name"), ENROLLED)
def test_each_units_report_as_page_pdf_and_xlsx(
    demo: Embedded, cycle_id: str, code: str, name: str, tmp_path: Path
) -> None:
    report = report_for(demo, cycle_id, code)
    assert report is not None and report["unit"]["unit_name"] == name
    page = html.unit_page(report, {})
    assert f"{name}, năm 2013" in page and 'lang="vi"' in page
    for step in report["unit"]["steps"]:
        for src in step["sources"]:  # every figure names its event
            assert src["ref"]["event_id"] in page
    data = pdf.unit_pdf(report)
    as_png(data, tmp_path)
    text = pdf_text(data, tmp_path)
    assert unicodedata.is_normalized("NFC", text)
    assert unicodedata.normalize("NFC", name) in text
    assert "Kết quả đánh giá tập thể" in text and "Số liệu tính đến" in text
    book = tmp_path / "r.xlsx"
    book.write_bytes(xlsx.unit_xlsx(report))
    wb = openpyxl.load_workbook(book)
    ws = wb["Các bước"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    expected = [
        (s["label"], s["late_by_days"], src["ref"]["event_id"] if src else None)
        for s in report["unit"]["steps"]
        for src in (s["sources"] or [None])
    ]
    assert [(r[0], r[4], r[7]) for r in rows] == expected
    per_row = [s for s in report["unit"]["steps"] for _ in (s["sources"] or [0])]
    for r, step in zip(rows, per_row, strict=True):
        if step["deadline"]:
            assert isinstance(r[2], datetime) and r[2].date().isoformat() == step["deadline"]
    summary = dict(wb["Tổng quan"].iter_rows(values_only=True))
    assert summary["Mức cuối cùng"] == report["unit"]["final_level_label"]


def test_the_heads_report_puts_the_ballot_beside_the_units_rating(
    demo: Embedded, cycle_id: str, tmp_path: Path
) -> None:
    report = report_for(demo, cycle_id, "SYT", person=HEAD["id"])
    assert report is not None and report["kind"] == "head"
    assert report["head"]["name"] == HEAD["name"]
    ballot = next(b for b in report["ballots"] if b["quorum_met"])
    assert ballot["vote_valid"] is True and ballot["valid"] == 27
    assert [lv["count"] for lv in ballot["levels"]] == [18, 7, 2]
    assert report["unit"]["final_level_label"] == "Hoàn thành tốt nhiệm vụ"
    text = pdf_text(pdf.unit_pdf(report), tmp_path)
    assert unicodedata.normalize("NFC", HEAD["name"]) in text and "Tín nhiệm cao: 18" in text
    wb = tmp_path / "h.xlsx"
    wb.write_bytes(xlsx.unit_xlsx(report))
    rows = list(openpyxl.load_workbook(wb)["Lấy phiếu"].iter_rows(min_row=2, values_only=True))
    assert (HEAD["name"], 30, 27, "có") in [(r[1], *r[3:6]) for r in rows]
    assert report_for(demo, cycle_id, "SYT", person="nobody") is None
    assert report_for(demo, cycle_id, "SNV", person=HEAD["id"]) is None  # not SNV's head


def test_a_vote_below_quorum_is_shown_without_value(
    demo: Embedded, cycle_id: str, tmp_path: Path
) -> None:
    from reporting.read_models import registry
    from reporting.reports.accountability import ballot_lines, ballots_for

    with demo.db.transaction() as tx:
        registry.apply_all(tx, ballot_envelopes(returned=15))  # 15 of 30 < 2/3
        lines = ballot_lines(ballots_for(tx, TENANT, "SYT", str(unit_id_for(TENANT, "SYT"))), None)
    by_title = {b["title"]: b for b in lines}
    invalid = by_title["Lấy phiếu tín nhiệm người đứng đầu Sở Y tế năm 2013 (lần 1)"]
    assert invalid["vote_valid"] is False and invalid["invalid_reason"] == "quorum_not_met"
    assert invalid["low_over_half"] is None  # no consequence from an invalid vote
    report = report_for(demo, cycle_id, "SYT")
    page = html.unit_page(report, {})
    assert "Không — không đủ tỷ lệ tham gia, không có giá trị" in page
    words = " ".join(pdf_text(pdf.unit_pdf(report), tmp_path).split())  # cells wrap lines
    assert "Không — phiếu không có giá trị" in words


def test_same_data_same_moment_same_pdf_bytes(demo: Embedded, cycle_id: str) -> None:
    report = report_for(demo, cycle_id, "SNV")
    assert pdf.unit_pdf(report) == pdf.unit_pdf(report_for(demo, cycle_id, "SNV"))


def test_a_report_as_of_a_past_moment_is_replayed_and_says_so(
    demo: Embedded, cycle_id: str, tmp_path: Path
) -> None:
    moment = datetime.fromisoformat("2013-12-31T23:59:59+07:00")
    history = [*iter_envelopes(demo.assessment), *ballot_envelopes()]
    unit = str(unit_id_for(TENANT, "SNV"))
    report = replay_then(
        history, TENANT, moment, lambda tx: unit_report(tx, TENANT, cycle_id, unit, now=moment)
    )
    assert report is not None
    report["replayed_from_history"] = True
    steps = {s["step"]: s for s in report["unit"]["steps"]}
    assert steps["consolidation"]["status"] == "on_time"
    assert steps["recognition"]["status"] == "missing"  # recognised on 09/01/2014, after
    assert report["unit"]["final_level"] == "hoan_thanh_tot"  # Home Affairs' level then
    assert report_for(demo, cycle_id, "SNV")["unit"]["final_level"] == "hoan_thanh_xuat_sac"
    text = pdf_text(pdf.unit_pdf(report), tmp_path)
    assert "Báo cáo tại thời điểm quá khứ" in text and "31/12/2013" in text
    assert "Báo cáo tại thời điểm quá khứ" in html.unit_page(report, {})


def test_the_units_cchc_index_and_rank_stand_beside_its_rating(
    demo: Embedded, cycle_id: str, tmp_path: Path
) -> None:
    from reporting.read_models import registry
    from shared.envelope import Envelope

    ranking = "7c1e0000-0000-4000-8000-00000000cc01"
    rows = [
        {"unit_id": str(unit_id_for(TENANT, c)), "name": c, "rank": i + 1, "index": idx,
         "band": "a", "band_label": band, "tied_with": []}
        for i, (c, idx, band) in enumerate(
            [("SNV", "91.25", "Tốt"), ("SYT", "84.50", "Khá"), ("STC", "80.00", "Khá")]
        )
    ]  # fmt: skip
    decided = Envelope(
        event_id="7c1e0000-0000-5000-8000-00000000cc01",
        type="assessment.CchcRanking.Decided",
        tenant=TENANT,
        aggregate_type="CchcRanking",
        aggregate_id=ranking,
        aggregate_version=1,
        global_position=10_000,
        occurred_at="2014-02-01T09:00:00+07:00",
        recorded_at="2014-02-01T09:00:00+07:00",
        actor={"subject": "snv", "role": "home_affairs", "acting_for": "SNV"},
        payload={"year": 2013, "block": "so_nganh", "set_id": "s", "survey_held": False,
                 "decision_number": "300/QĐ-UBND", "decision_date": "2014-02-01",
                 "signer": "Chủ tịch", "rows": rows},
    )  # fmt: skip
    with demo.db.transaction() as tx:
        registry.apply_all(tx, [decided])
    report = report_for(demo, cycle_id, "SYT")
    (cchc,) = report["cchc"]
    assert (cchc["index"], cchc["rank"], cchc["of"], cchc["band"]) == ("84.50", 2, 3, "Khá")
    assert cchc["ref"] == {
        "event_id": event_id_for(ranking, 1),  # the Decided event: derived from both
        "aggregate_id": ranking,
        "version": 1,
    }
    assert "84.50" in html.unit_page(report, {})
    words = " ".join(pdf_text(pdf.unit_pdf(report), tmp_path).split())
    assert "84.50 2/3 Khá 300/QĐ-UBND" in words
    book = tmp_path / "c.xlsx"
    book.write_bytes(xlsx.unit_xlsx(report))
    (row,) = list(openpyxl.load_workbook(book)["CCHC"].iter_rows(min_row=2, values_only=True))
    assert row[1:4] == ("84.50", 2, 3) and row[6] == datetime(2014, 2, 1)


def test_ballot_results_reach_the_report_through_their_own_bus_position(tmp_path: Path) -> None:
    """Embedded mode: the ballot service's bus feeds the read models under its own position
    (``ballot-results``), apart from the assessment bus's, and a re-delivery changes nothing."""
    from reporting.adapters.db import SqliteDatabase
    from reporting.consumer.runner import BoardProjector, ensure_schema
    from shared.bus import InProcessBus

    db = SqliteDatabase(tmp_path / "r.sqlite")
    try:
        ensure_schema(db)
        bus = InProcessBus()
        projector = BoardProjector(db, name="ballot-results")
        bus.subscribe(projector)
        envs = ballot_envelopes()
        bus.publish(envs, envs[-1].global_position)
        assert projector.position() == 4 and BoardProjector(db).position() == 0
        bus.publish(envs, envs[-1].global_position)  # nothing new below the stored position
        with db.transaction() as tx:
            rows = tx.fetchall("SELECT status, version FROM rm_acc_ballot")
        assert rows == [("result", 4)]
    finally:
        db.close()


def test_the_heads_individual_rating_stands_beside_the_units_level(
    demo: Embedded, cycle_id: str, tmp_path: Path
) -> None:
    rating = "9a7e0000-0000-4000-8000-0000000000a1"
    with demo.db.transaction() as tx:  # a decided rating row as individual_ratings keeps it
        tx.execute(
            "INSERT INTO rm_ind_person (person_id, tenant, code, full_name, category, agency_id,"
            " position, account, version) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
            ("p-stc", TENANT, "STC-01", "Trần Văn Đức", "cong_chuc", "STC", "head", None, 1),
        )
        tx.execute(
            "INSERT INTO rm_ind_rating (rating_id, tenant, person_id, agency_id, year, side,"
            " category, position, task_group, rule_set, steps, decided, level, score, decision,"
            " unit_level, late, late_by_days, redone, notified, published, version) VALUES"
            " (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s,"
            " %s, %s)",
            (rating, TENANT, "p-stc", "STC", 2013, "government", "cong_chuc", "head", "lanh_dao",
             "nd90", "{}", 1, "hoan_thanh_tot", "88", None, "hoan_thanh_tot", 0, 0, "[]", 1, 0,
             5),
        )  # fmt: skip
    report = report_for(demo, cycle_id, "STC")
    hr = report["head_rating"]
    assert (hr["name"], hr["level"], hr["ref"]) == (
        "Trần Văn Đức",
        "hoan_thanh_tot",
        {"event_id": event_id_for(rating, 5), "aggregate_id": rating, "version": 5},
    )
    assert "Xếp loại cá nhân người đứng đầu" in html.unit_page(report, {})
    words = " ".join(pdf_text(pdf.unit_pdf(report), tmp_path).split())
    assert "(Trần Văn Đức): Hoàn thành tốt nhiệm vụ — bên cạnh mức của đơn vị" in words
    book = tmp_path / "h.xlsx"
    book.write_bytes(xlsx.unit_xlsx(report))
    summary = dict(openpyxl.load_workbook(book)["Tổng quan"].iter_rows(values_only=True))
    assert summary["Xếp loại cá nhân người đứng đầu"] == "Hoàn thành tốt nhiệm vụ"
    assert report_for(demo, cycle_id, "SYT")["head_rating"] is None


def test_steps_nobody_submits_are_worded_for_the_step(demo: Embedded, cycle_id: str) -> None:
    """Issue 9 item 4: recognition and publication are never "Chưa nộp" (no unit submits them)."""
    report = report_for(demo, cycle_id, "BVDK")  # consolidated, not recognised, not published
    labels = {s["step"]: s["status_label"] for s in report["unit"]["steps"]}
    assert labels["publication"] == "Chưa công bố"
    assert labels["recognition"] in {"Chưa công nhận", "Quá hạn, chưa công nhận"}
    assert "nộp" not in labels["recognition"] + labels["publication"]
