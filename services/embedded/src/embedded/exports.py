"""``congvu export``: a cycle's board, the caucus report or the published results of the
embedded store, now or as of a past moment (replayed from the event history), streamed to a
file with a progress bar."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import Progress

from assessment.adapters.history import iter_envelopes
from assessment.domain.collective.cycle import cycle_id_for
from embedded.app import build_embedded
from reporting.adapters.db import Tx
from reporting.render import charts, csv_export, exports, pdf, xlsx
from reporting.reports.accountability import cycle_entries
from reporting.reports.as_of import replay_then
from reporting.reports.caucus import caucus_report
from reporting.reports.publications import published
from reporting.reports.rules import ReportRules


def _moment(as_of: str | None) -> datetime:
    if as_of is None:
        return datetime.now(UTC).replace(microsecond=0)
    moment = datetime.fromisoformat(as_of)
    if moment.tzinfo is None:
        raise ValueError("--as-of cần múi giờ, ví dụ 2013-12-31T23:59:59+07:00")
    return moment


def run_export(
    data_dir: Path,
    what: str,
    fmt: str,
    out: Path,
    *,
    tenant: str,
    year: int,
    as_of: str | None,
    console: Console,
) -> int:
    moment = _moment(as_of)
    cycle_id = str(cycle_id_for(tenant, year))
    emb = build_embedded(data_dir)
    try:

        def build(tx: Tx) -> Any:
            if what == "board":
                return cycle_entries(tx, tenant, cycle_id, moment)[1]
            if what == "caucus":
                return caucus_report(tx, tenant, cycle_id, now=moment, rules=ReportRules())
            return published(tx, tenant, year)

        if as_of is None:
            with emb.db.transaction() as tx:
                data = build(tx)
        else:
            data = replay_then(iter_envelopes(emb.assessment), tenant, moment, build)
    finally:
        emb.close()
    if what == "caucus" and data is None:
        raise ValueError(f"không có kỳ đánh giá {year} của {tenant}")
    if what == "caucus" and as_of is not None:
        data["replayed_from_history"] = True
    return _write(what, fmt, out, data, moment, tenant, year, console)


def _write(
    what: str,
    fmt: str,
    out: Path,
    data: Any,
    moment: datetime,
    tenant: str,
    year: int,
    console: Console,
) -> int:
    if what == "board":
        if fmt == "pdf":
            raise ValueError("bảng theo dõi xuất ra .xlsx hoặc .csv")
        total = exports.count_lines(data)
        with Progress(console=console) as progress, out.open("wb") as fh:
            task = progress.add_task("Đang xuất bảng theo dõi", total=total)
            return exports.write_board(
                data, fmt, fh, progress=lambda n: progress.update(task, completed=n)
            )
    if what == "caucus":
        if fmt == "pdf":
            spec = charts.levels_spec(data["levels"], f"Mức xếp loại năm {year}")
            out.write_bytes(pdf.caucus_pdf(data, chart_png=charts.png(spec)))
        elif fmt == "xlsx":
            out.write_bytes(xlsx.caucus_xlsx(data))
        else:
            out.write_bytes(
                csv_export.to_bytes([c.title for c in xlsx.CAUCUS_COLUMNS], xlsx.caucus_rows(data))
            )
        return len(data["units"])
    if fmt == "pdf":
        out.write_bytes(pdf.publications_pdf(tenant, year, data, moment.isoformat()))
    else:
        header = ["Mã đơn vị", "Đơn vị", "Mức xếp loại", "Quyết định", "Ngày công bố"]
        rows = [
            [
                i["unit_code"],
                i["unit_name"],
                i["level_label"],
                i["decision_number"],
                i["published_at"],
            ]
            for i in data
        ]
        if fmt == "csv":
            out.write_bytes(csv_export.to_bytes(header, rows))
        else:
            wb, target = xlsx.workbook()
            xlsx.write_table(wb, f"Công bố {year}", [xlsx.Column(h, 24) for h in header], rows)
            wb.close()
            out.write_bytes(target.getvalue())  # type: ignore[attr-defined]
    return len(data)
