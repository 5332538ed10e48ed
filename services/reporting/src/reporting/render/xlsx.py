"""XLSX with XlsxWriter: Vietnamese headers, dates as dates (dd/mm/yyyy), numbers as numbers,
a frozen header row and filters on every sheet. ``write_table`` takes rows lazily, so a large
export is written row by row (``constant_memory``) and can report its progress."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from reporting.render import fmt


@dataclass(frozen=True)
class Column:
    title: str
    width: float = 18
    kind: str = "text"  # text | date | int | number (a float or a decimal string)


def _sheet_name(name: str) -> str:
    for ch in "[]:*?/\\":
        name = name.replace(ch, "-")
    return name[:31]


_EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01, 60 = Excel's phantom 29/02/1900
_NO_LEAP_BUG_FROM = date(1900, 3, 1)


def excel_day(value: object) -> int | None:
    """A day as Excel's serial number (1900 date system), or None when there is none: an ISO
    date or moment (its day in Vietnam time), a ``date`` or a ``datetime`` (its own day)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    else:
        when = fmt.moment(str(value))
        if when is None:
            return None
        day = when.date()
    serial = (day - _EXCEL_EPOCH).days
    return serial if day >= _NO_LEAP_BUG_FROM else serial - 1


def write_table(
    wb: Any,
    name: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    *,
    progress: Callable[[int], None] | None = None,
) -> int:
    """One sheet: the header row (bold, frozen, filters) and the data rows, each cell written
    with the call for its column's kind.

    A text column's strings go straight to ``write_string`` and an int column's ints to
    ``write_number``, skipping XlsxWriter's ``write``/``write_row`` type dispatch (which also
    tests every string for a formula: a name starting with "=" stays text here). A date column
    carries the dd/mm/yyyy format as its column format (XlsxWriter gives it to every cell
    written without one) and its values become Excel day numbers, each distinct value
    converted once. A value of another type than its column's goes through ``write``; None and
    "" are left empty. ``strings_to_urls`` is off in :func:`workbook`, so text is never turned
    into a link. bench/reports.py measures this against plain ``write_row``."""
    ws = wb.add_worksheet(_sheet_name(name))
    head = wb.add_format({"bold": True, "bg_color": "#DDE6F0", "text_wrap": True, "border": 1})
    as_date = wb.add_format({"num_format": "dd/mm/yyyy"})
    for c, col in enumerate(columns):
        ws.set_column(c, c, col.width, as_date if col.kind == "date" else None)
    ws.write_row(0, 0, [c.title for c in columns], head)
    ws.freeze_panes(1, 0)
    width = len(columns)
    kinds = [col.kind for col in columns]
    # per column: the type its fast call takes and that call; a date column has neither
    fast_type: list[type | None] = [
        None if k == "date" else {"int": int, "number": float}.get(k, str) for k in kinds
    ]
    fast_call = [ws.write_number if k in ("int", "number") else ws.write_string for k in kinds]
    write = ws.write
    days: dict[object, int | None] = {}
    n = 0
    for n, row in enumerate(rows, start=1):
        if len(row) != width:
            raise ValueError(f"row {n}: {len(row)} values for {width} columns")
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            wanted = fast_type[c]
            if value.__class__ is wanted:
                fast_call[c](n, c, value)
            elif wanted is None:
                key = value if isinstance(value, (str, date)) else str(value)
                serial = days.get(key, -1)
                if serial == -1:
                    serial = days[key] = excel_day(value)
                if serial is not None:
                    ws.write_number(n, c, serial)
            elif wanted is float and value.__class__ in (str, Decimal):
                write(n, c, float(value))  # a decimal index as the number it is
            else:
                write(n, c, value)
        if progress is not None and n % 1000 == 0:
            progress(n)
    ws.autofilter(0, 0, max(n, 1), width - 1)
    if progress is not None:
        progress(n)
    return n


def workbook(out: IO[bytes] | None = None, *, large: bool = False) -> tuple[Any, IO[bytes]]:
    """``large``: XlsxWriter's ``constant_memory`` mode (each row flushed to a temporary file
    as the next begins; strings inline): memory stays flat for any number of rows."""
    import xlsxwriter

    target = out if out is not None else io.BytesIO()
    options = {"in_memory": not large, "constant_memory": large, "strings_to_urls": False}
    wb = xlsxwriter.Workbook(target, options)
    return wb, target


STEP_COLUMNS = [
    Column("Bước", 34),
    Column("Tình trạng", 16),
    Column("Hạn", 12, "date"),
    Column("Ngày nộp", 12, "date"),
    Column("Số ngày trễ", 10, "int"),
    Column("Nguồn", 18),
    Column("Mức đề xuất", 28),
    Column("Mã sự kiện", 38),
    Column("Phiên bản", 10, "int"),
]


def _step_rows(unit: dict[str, Any]) -> Iterable[list[Any]]:
    for s in unit["steps"]:
        sources = s["sources"] or [None]
        for src in sources:
            yield [
                s["label"],
                s["status_label"],
                s["deadline"],
                src["at"] if src else None,
                s["late_by_days"],
                src["source"] if src else None,
                src["level_label"] if src and src["level"] else None,
                src["ref"]["event_id"] if src else None,
                src["ref"]["version"] if src else None,
            ]


def unit_xlsx(report: dict[str, Any]) -> bytes:
    wb, out = workbook()
    u = report["unit"]
    summary = wb.add_worksheet("Tổng quan")
    rows = [
        ("Đơn vị", u["unit_name"]),
        ("Năm", report["cycle"]["year"]),
        ("Mức tự đề xuất", u["self_level_label"]),
        ("Mức cuối cùng", u["final_level_label"]),
        ("Người đứng đầu", (report["head"] or {}).get("name") or "chưa có dữ liệu"),
        (
            "Xếp loại cá nhân người đứng đầu",
            (report.get("head_rating") or {}).get("level_label") or "chưa có dữ liệu",
        ),
        ("Số liệu tính đến", fmt.vn_datetime(report["as_of"])),
        ("Dựng lại từ lịch sử", "có" if report.get("replayed_from_history") else "không"),
    ]
    summary.set_column(0, 0, 22)
    summary.set_column(1, 1, 50)
    for r, (k, v) in enumerate(rows):
        summary.write_string(r, 0, k)
        summary.write(r, 1, v)
    write_table(wb, "Các bước", STEP_COLUMNS, _step_rows(u))
    write_table(
        wb,
        "Lấy phiếu",
        [
            Column("Cuộc lấy phiếu", 40),
            Column("Người", 24),
            Column("Ngày kết thúc", 12, "date"),
            Column("Triệu tập", 10, "int"),
            Column("Phiếu hợp lệ", 10, "int"),
            Column("Cuộc lấy phiếu có giá trị", 14),
            Column("Mã cuộc lấy phiếu", 38),
        ],
        (
            [
                b["title"],
                b["person"],
                b["closes_at"],
                b["summoned"],
                b["valid"],
                {True: "có", False: "không"}.get(b["vote_valid"], ""),
                b["election_id"],
            ]
            for b in report["ballots"]
        ),
    )
    write_table(
        wb,
        "CCHC",
        [
            Column("Khối", 20),
            Column("Chỉ số", 10),
            Column("Xếp hạng", 10, "int"),
            Column("Trên số đơn vị", 12, "int"),
            Column("Mức", 20),
            Column("Quyết định", 24),
            Column("Ngày quyết định", 14, "date"),
        ],
        (
            [
                c["block"],
                c["index"],
                c["rank"],
                c["of"],
                c["band"],
                c["decision"].get("number"),
                c["decision"].get("date"),
            ]
            for c in report.get("cchc", [])
        ),
    )
    insp = report.get("inspection") or {"findings": [], "remediation": []}
    write_table(wb, "Phát hiện kiểm tra", FINDING_COLUMNS, finding_rows(insp))
    write_table(wb, "Khắc phục", PLAN_COLUMNS, plan_rows(insp))
    write_table(
        wb,
        "Các năm trước",
        [Column("Năm", 8, "int"), Column("Tên đơn vị khi đó", 40), Column("Mức", 30)],
        ([y["year"], y["unit_name_then"], y["final_level_label"]] for y in report["earlier_years"]),
    )
    wb.close()
    return out.getvalue()  # type: ignore[attr-defined]


FINDING_COLUMNS = [
    Column("Năm", 8, "int"),
    Column("Cuộc kiểm tra", 36),
    Column("Người", 24),
    Column("Loại", 28),
    Column("Mức độ", 18),
    Column("Nội dung", 60),
    Column("Ngày ghi nhận", 14, "date"),
    Column("Đã giải trình", 12),
    Column("Mã sự kiện", 38),
    Column("Phiên bản", 10, "int"),
]
PLAN_COLUMNS = [
    Column("Kế hoạch", 40),
    Column("Đối tượng", 24),
    Column("Tình trạng", 24),
    Column("Số mốc", 8, "int"),
    Column("Mốc đã xong", 10, "int"),
    Column("Số mốc quá hạn", 12, "int"),
    Column("Quá hạn nhiều nhất (ngày)", 14, "int"),
    Column("Ngày hoàn thành", 14, "date"),
    Column("Mã sự kiện", 38),
    Column("Phiên bản", 10, "int"),
]


def finding_rows(insp: dict[str, Any]) -> Iterable[list[Any]]:
    for f in insp["findings"]:
        ref = f["ref"] or {}
        yield [
            f["year"],
            f["inspection_title"],
            f["person_name"] or f["person"] or "Đơn vị",
            f["kind_label"],
            f["severity_label"],
            f["description"],
            f["at"],
            "có" if f["explained"] else "không",
            ref.get("event_id"),
            ref.get("version"),
        ]


def plan_rows(insp: dict[str, Any]) -> Iterable[list[Any]]:
    for p in insp["remediation"]:
        ref = p["ref"] or {}
        yield [
            p["title"],
            f"Cá nhân: {p['subject_id']}" if p["subject_kind"] == "person" else "Đơn vị",
            p["status_label"],
            p["milestones"],
            p["milestones_done"],
            len(p["overdue"]),
            max((m["days_overdue"] for m in p["overdue"]), default=None),
            p["closed_on"],
            ref.get("event_id"),
            ref.get("version"),
        ]


CAUCUS_COLUMNS = [
    Column("Mã đơn vị", 14),
    Column("Đơn vị", 36),
    Column("Mức tự đề xuất", 28),
    Column("Mức cuối cùng", 28),
    Column("Số bước trễ", 10, "int"),
    Column("Số bước quá hạn chưa nộp", 12, "int"),
    Column("Sơ sài", 8),
    Column("Số lần mở lại", 10, "int"),
]


def caucus_rows(report: dict[str, Any]) -> Iterable[list[Any]]:
    for u in report["units"]:
        yield [
            u["unit_code"],
            u["unit_name"],
            u["self_level_label"],
            u["final_level_label"],
            len(u["late_steps"]),
            len(u["missing_steps"]),
            "có" if u["perfunctory_flags"] or u["perfunctory_signals"] else "",
            len(u["reopenings"]),
        ]


CAUCUS_FINDING_COLUMNS = [Column("Mã đơn vị", 14), Column("Đơn vị", 36), *FINDING_COLUMNS]
CAUCUS_PLAN_COLUMNS = [Column("Mã đơn vị", 14), Column("Đơn vị", 36), *PLAN_COLUMNS]


def caucus_xlsx(report: dict[str, Any]) -> bytes:
    wb, out = workbook()
    write_table(wb, f"Đơn vị {report['cycle']['year']}", CAUCUS_COLUMNS, caucus_rows(report))
    insp = report["inspection"]
    write_table(
        wb,
        "Phát hiện kiểm tra",
        CAUCUS_FINDING_COLUMNS,
        (
            [f["unit_code"], f["unit_name"], *row]
            for f, row in zip(insp["findings"], finding_rows(insp), strict=True)
        ),
    )
    plans = {"remediation": insp["overdue_plans"]}
    write_table(
        wb,
        "Khắc phục quá hạn",
        CAUCUS_PLAN_COLUMNS,
        (
            [p["unit_code"], p["unit_name"], *row]
            for p, row in zip(insp["overdue_plans"], plan_rows(plans), strict=True)
        ),
    )
    wb.close()
    return out.getvalue()  # type: ignore[attr-defined]


def ranking_columns(ranking: dict[str, Any]) -> list[Column]:
    return [
        Column("Hạng", 8, "int"),
        Column("Đơn vị", 40),
        Column("Chỉ số", 10, "number"),
        Column("Xếp nhóm", 18),
        Column("Đồng hạng với", 24),
        *[Column(f"Lĩnh vực {f['code']}", 12, "number") for f in ranking["fields"]],
    ]


def ranking_rows(ranking: dict[str, Any]) -> Iterable[list[Any]]:
    names = {r.get("unit_id"): r["name"] for r in ranking["rows"]}
    for r in ranking["rows"]:
        yield [
            r["rank"],
            r["name"],
            r["index"],
            r.get("band_label"),
            ", ".join(names.get(t, t) for t in r.get("tied_with") or []) or None,
            *[r["fields"].get(f["code"]) for f in ranking["fields"]],
        ]


def ranking_xlsx(ranking: dict[str, Any]) -> bytes:
    """The CCHC ranking of a block and year: the table (index and sub-indices as numbers) and
    the decision it comes from."""
    wb, out = workbook()
    write_table(
        wb,
        f"Xếp hạng {ranking['block']} {ranking['year']}",
        ranking_columns(ranking),
        ranking_rows(ranking),
    )
    about = wb.add_worksheet("Quyết định")
    about.set_column(0, 0, 24)
    about.set_column(1, 1, 50)
    decision = ranking["decision"]
    for r, (k, v) in enumerate(
        [
            ("Khối", ranking["block"]),
            ("Năm", ranking["year"]),
            ("Quyết định", decision.get("number")),
            ("Ngày quyết định", fmt.vn_date(decision.get("date"))),
            ("Người ký", decision.get("signer")),
            ("Ngày công bố", fmt.vn_date(ranking.get("published_at"))),
            ("Mã quyết định xếp hạng", ranking["ranking_id"]),
        ]
    ):
        about.write_string(r, 0, k)
        about.write(r, 1, v)
    wb.close()
    return out.getvalue()  # type: ignore[attr-defined]
