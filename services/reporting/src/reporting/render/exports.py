"""Large exports of a cycle's board (every unit, every step, every source: one row each) as
XLSX or CSV, written row by row to a binary stream with progress — the CLI's ``congvu
export`` and the benchmark use it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from reporting.render import csv_export, xlsx
from reporting.render.xlsx import Column

CONSTANT_MEMORY_FROM = 200_000
BOARD_COLUMNS = [
    Column("Mã đơn vị", 14),
    Column("Đơn vị", 36),
    *xlsx.STEP_COLUMNS,
]


def board_lines(entries: Iterable[dict[str, Any]]) -> Iterator[list[Any]]:
    for e in entries:
        for row in xlsx._step_rows(e):
            yield [e["unit_code"], e["unit_name"], *row]


def write_board(
    entries: list[dict[str, Any]],
    fmt: str,
    out: IO[bytes],
    *,
    sheet: str = "Bảng theo dõi",
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the board to ``out``; returns the number of data rows."""
    rows = board_lines(entries)
    if fmt == "csv":
        n = 0

        def counted() -> Iterator[list[Any]]:
            nonlocal n
            for n, row in enumerate(rows, start=1):
                if progress is not None and n % 1000 == 0:
                    progress(n)
                yield row

        for chunk in csv_export.stream([c.title for c in BOARD_COLUMNS], counted()):
            out.write(chunk)
        if progress is not None:
            progress(n)
        return n
    if fmt == "xlsx":
        # constant memory (rows straight to disk, strings inline) took 2.4x as long as the
        # default in bench/reports.py (60,000 rows): only for sheets too big for memory
        wb, _ = xlsx.workbook(out, large=count_lines(entries) > CONSTANT_MEMORY_FROM)
        n = xlsx.write_table(wb, sheet, BOARD_COLUMNS, rows, progress=progress)
        wb.close()
        return n
    raise ValueError(f"unknown export format {fmt}")


def count_lines(entries: Iterable[dict[str, Any]]) -> int:
    return sum(max(1, len(s["sources"])) for e in entries for s in e["steps"])
