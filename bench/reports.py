"""Benchmark: the reports of a province, each figure beside a baseline measured in the same run.

Run (no servers: the embedded store on SQLite in a temporary directory, removed at the end)::

    .venv/bin/python bench/reports.py                   # 100 units, 60,000 XLSX rows, 5 runs
    .venv/bin/python bench/reports.py --units 200 --rows 100000 --runs 3

What it does, in one process:

1. writes a province of ``--units`` units through the application (embedded, SQLite): every
   unit enrolled in one cycle; sector review, self-assessment, member review, consolidation,
   caucus review and recognition for most, some late, some missing, some thin; drains them
   into the read models (cycle board + accountability);
2. the accountability PDF of the province (the caucus dispatch with its annex of every unit,
   and its PNG chart): building the report from the read models, then rendering it with typst
   — median of ``--runs``; BASELINE: typst compiling a one-page document (the compiler's
   fixed cost), same runs;
3. an XLSX of ``--rows`` rows (the board export: dates as dates, frozen header, filters) —
   median of ``--runs``; BASELINES: the same rows as plain XlsxWriter ``write_row`` with no
   formats and as CSV (``utf-8-sig``); and the export in XlsxWriter's ``constant_memory``
   mode (to a temporary file), the one large exports switch to. The four run interleaved,
   so a change of the machine's load falls on each alike; the ratio to plain XlsxWriter is
   printed beside the figures.

Targets (issue 12): PDF ≤ 2 s for 100 units; XLSX of 60,000 rows ≤ 5 s.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from assessment.application.service import CommandContext
from assessment.domain.collective.cycle import cycle_id_for
from embedded.app import build_embedded
from embedded.demo import clock_at, evidence
from reporting.render import charts, exports, pdf, xlsx
from reporting.reports.accountability import cycle_entries
from reporting.reports.caucus import caucus_report
from reporting.reports.rules import ReportRules

TENANT, YEAR = "bench-province", 2013
NOW = datetime(2026, 12, 1, tzinfo=UTC)
LEVELS = ["hoan_thanh_xuat_sac", "hoan_thanh_tot", "hoan_thanh", "khong_hoan_thanh"]


def ctx(subject: str, role: str, unit: str | None) -> CommandContext:
    return CommandContext(
        tenant=TENANT, actor={"subject": subject, "role": role, "acting_for": unit}
    )


def groups(i: int) -> dict[str, Any]:
    thin = i % 9 == 0
    return {
        code: {
            "results": "Hoàn thành."
            if thin
            else f"Đơn vị số {i} hoàn thành các nhiệm vụ được "
            "giao trong năm, giải quyết hồ sơ đúng hạn, chấp hành kỷ luật hành chính." * 2,
            "limitations": "" if thin else "Một số hồ sơ còn trễ hạn.",
            "evidence": [] if thin else [evidence(f"bc-{i}-{code}.pdf")],
        }
        for code in ("tham_muu", "nhiem_vu", "ky_luat")
    }


def province(data_dir: Path, units: int) -> str:
    emb = build_embedded(data_dir)
    app = emb.assessment
    ha, caucus, chair = (
        ctx("snv", "home_affairs", "SNV"),
        ctx("bcs", "party_caucus", "UBND"),
        ctx("ct", "chairman", "UBND"),
    )
    ids: list[UUID] = []
    with clock_at(app, "2013-10-01T09:00:00+07:00"):
        app.register_unit(ha, code="SNV", name="Sở Nội vụ", kind="department")
        for i in range(units):
            ids.append(
                UUID(
                    app.register_unit(
                        ha,
                        code=f"DV{i:03d}",
                        name=f"Đơn vị số {i} — Sở Ứng dụng Ệ Ằ Ữ",
                        kind="department",
                    )["id"]
                )
            )
        app.grant_assignment(
            ha,
            kind="sector_management",
            holder="SNV",
            unit_ids=ids,
            decision_number="1/QĐ",
            decision_date="2013-01-15",
            valid_from="2013-01-15",
        )
        app.grant_assignment(
            chair,
            kind="pc_oversight",
            holder="pct",
            unit_ids=ids,
            decision_number="2/QĐ",
            decision_date="2013-01-15",
            valid_from="2013-01-15",
        )
        cycle = cycle_id_for(TENANT, YEAR)
        app.plan_cycle(ha, year=YEAR, plan_reference="Kế hoạch đánh giá năm 2013", unit_ids=ids)
    for i, u in enumerate(ids):
        code = f"DV{i:03d}"
        if i % 11 == 5:
            continue  # nothing at all
        late = i % 7 == 0
        with clock_at(app, "2013-11-12T10:00:00+07:00" if late else "2013-11-08T10:00:00+07:00"):
            app.submit_sector_review(
                ctx("snv.ld", "sector_reviewer", "SNV"),
                cycle,
                u,
                comment="Tốt.",
                proposed_level="hoan_thanh_tot",
                published=True,
            )
        with clock_at(app, "2013-12-05T10:00:00+07:00"):
            app.submit_self_assessment(
                ctx(f"{code}.vt", "unit_officer", code),
                cycle,
                u,
                groups=groups(i),
                proposed_level=LEVELS[0] if i % 5 == 0 else LEVELS[1],
            )
        if i % 13 == 3:
            continue
        with clock_at(app, "2013-12-09T10:00:00+07:00"):
            app.submit_member_review(
                ctx("pct", "pc_member", "UBND"),
                cycle,
                u,
                assignment_reference="2/QĐ",
                comment="Được.",
                proposed_level="hoan_thanh_tot",
            )
        final = LEVELS[1 + (i % 3)]
        with clock_at(app, "2013-12-27T10:00:00+07:00"):
            app.consolidate(ha, cycle, u, summary="Tổng hợp.", proposed_level=final)
        with clock_at(app, "2014-01-06T10:00:00+07:00"):
            app.review_by_caucus(caucus, cycle, u, comment="Thống nhất.", proposed_level=final)
        with clock_at(app, "2014-01-09T10:00:00+07:00"):
            app.recognise(
                chair,
                cycle,
                u,
                decision_number="125/QĐ-UBND",
                decision_date="2014-01-09",
                signer="Chủ tịch",
                level=final,
            )
    asyncio.run(emb.relay.drain())
    emb.close()
    return str(cycle)


def median_of(runs: int, fn: Callable[[], Any]) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(runs):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--rows", type=int, default=60_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-reports-") as tmp:
        data = Path(tmp) / "store"
        t = time.perf_counter()
        cycle = province(data, args.units)
        load = os.getloadavg()[0]
        print(f"machine: {os.cpu_count()} cores, load average {load:.1f} (figures scale with it)")
        print(
            f"province of {args.units} units written and projected in "
            f"{time.perf_counter() - t:.1f} s"
        )
        emb = build_embedded(data)
        try:

            def build() -> dict[str, Any]:
                with emb.db.transaction() as tx:
                    r = caucus_report(tx, TENANT, cycle, now=NOW, rules=ReportRules())
                assert r is not None
                return r

            def whole() -> bytes:
                report = build()
                spec = charts.levels_spec(report["levels"], "Mức xếp loại năm 2013")
                return pdf.caucus_pdf(report, chart_png=charts.png(spec))

            whole()  # warm: fonts, the chart engine
            build_s, report = median_of(args.runs, build)
            pdf_s, body = median_of(args.runs, whole)
            base_s, _ = median_of(
                args.runs,
                lambda: pdf.render(
                    "publications.typ",
                    {
                        "as_of": NOW.isoformat(),
                        "as_of_text": "",
                        "tenant": TENANT,
                        "year": YEAR,
                        "items": [],
                    },
                ),
            )
            print(
                f"accountability PDF, {len(report['units'])} units, {len(body) // 1024} KiB: "
                f"{pdf_s:.3f} s median (report from read models {build_s:.3f} s)  "
                f"| baseline one-page typst document {base_s:.3f} s  | target ≤ 2 s"
            )
            with emb.db.transaction() as tx:
                entries = cycle_entries(tx, TENANT, cycle, NOW)[1]
        finally:
            emb.close()
        chosen: list[dict[str, Any]] = []
        total = 0
        while total < args.rows:  # the province's board repeated up to --rows rows
            for e in entries:
                chosen.append(e)
                total += exports.count_lines([e])
                if total >= args.rows:
                    break
        rows = list(exports.board_lines(chosen))

        def xlsx_run() -> int:
            out = io.BytesIO()
            return exports.write_board(chosen, "xlsx", out)

        def constant_memory_run() -> int:
            with (
                tempfile.TemporaryDirectory(prefix="bench-xlsx-") as where,
                open(Path(where) / "board.xlsx", "wb") as out,
            ):
                wb, _ = xlsx.workbook(out, large=True)
                n = xlsx.write_table(wb, "Bảng theo dõi", exports.BOARD_COLUMNS, iter(rows))
                wb.close()
            return n

        def csv_run() -> int:
            out = io.BytesIO()
            return exports.write_board(chosen, "csv", out)

        def plain_run() -> None:
            import xlsxwriter

            wb = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True})
            ws = wb.add_worksheet("x")
            for r, row in enumerate(rows):
                ws.write_row(r, 0, ["" if v is None else v for v in row])
            wb.close()

        # interleaved, so that a change in the machine's load falls on every variant alike;
        # wall time and the process's CPU time (on a shared machine the wall time is the CPU
        # time stretched by the other processes' share of the cores)
        times: dict[str, list[float]] = {"xlsx": [], "cm": [], "plain": [], "csv": []}
        cpu: dict[str, list[float]] = {k: [] for k in times}
        n = 0
        for _ in range(args.runs):
            for key, fn in (
                ("xlsx", xlsx_run),
                ("cm", constant_memory_run),
                ("plain", plain_run),
                ("csv", csv_run),
            ):
                c, t = time.process_time(), time.perf_counter()
                got = fn()
                times[key].append(time.perf_counter() - t)
                cpu[key].append(time.process_time() - c)
                n = got if key == "xlsx" else n
        xlsx_s, cm_s, plain_s, csv_s = (statistics.median(times[k]) for k in times)
        xlsx_c, cm_c, plain_c, csv_c = (statistics.median(cpu[k]) for k in cpu)
        load = os.getloadavg()[0]
        print(
            f"XLSX board export, {n:,} rows: {xlsx_s:.3f} s median  | baselines: plain "
            f"XlsxWriter write_row {plain_s:.3f} s (ratio {xlsx_s / plain_s:.2f}), CSV utf-8-sig "
            f"{csv_s:.3f} s; constant_memory variant {cm_s:.3f} s  | target ≤ 5 s  "
            f"| load average now {load:.1f}"
        )
        print(
            f"  the same, CPU time of this process: export {xlsx_c:.3f} s  | plain XlsxWriter "
            f"{plain_c:.3f} s (ratio {xlsx_c / plain_c:.2f}), CSV {csv_c:.3f} s, "
            f"constant_memory {cm_c:.3f} s  (wall/CPU for the export: {xlsx_s / xlsx_c:.2f})"
        )
        print(f"  every run, wall s: export {' '.join(f'{x:.2f}' for x in times['xlsx'])}; "
              f"plain {' '.join(f'{x:.2f}' for x in times['plain'])}")  # fmt: skip


if __name__ == "__main__":
    main()
