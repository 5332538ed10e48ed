"""Read a unit's register from an XLSX (openpyxl) or CSV file into validated work items.

The first non-empty row is the header; every later row is checked by
:func:`assessment.domain.inspection.register_rows.parse_rows`, which accepts all rows or none.
CSV must be UTF-8 (with or without BOM); no other encoding is guessed — a file that
is not UTF-8 is refused with a message, since a wrong guess would silently corrupt names.
The delimiter (``,`` ``;`` or tab) is sniffed from the header line.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator, Sequence
from datetime import tzinfo
from typing import Any

from assessment.domain.inspection.register_rows import (
    RegisterImport,
    RowError,
    header_score,
    parse_rows,
)
from assessment.domain.kernel.values import VN_TZ

MAX_BYTES = 50 * 1024 * 1024
XLSX_MAGIC = b"PK\x03\x04"
HEADER_MIN_KNOWN = 3
HEADER_SEARCH_ROWS = 30


def _refused(code: str, vi: str, en: str) -> RegisterImport:
    return RegisterImport(errors=[RowError(0, None, code, vi, en)])


def _split_header(rows: Iterator[tuple[int, Sequence[Any]]]) -> tuple[int, Sequence[Any]] | None:
    """The header is the first row naming at least three known columns within the first 30
    non-empty rows (a register often has a title block above it); failing that, the row naming
    the most known columns, or the first non-empty row."""
    seen: list[tuple[int, Sequence[Any]]] = []
    for number, cells in rows:
        if header_score(cells) >= HEADER_MIN_KNOWN:
            return number, cells
        if any(c is not None and str(c).strip() for c in cells):
            seen.append((number, cells))
        if len(seen) >= HEADER_SEARCH_ROWS:
            break
    if not seen:
        return None
    return max(seen, key=lambda row: (header_score(row[1]), -row[0]))


def _finish(rows: Iterator[tuple[int, Sequence[Any]]], tz: tzinfo) -> RegisterImport:
    head = _split_header(rows)
    if head is None:
        return _refused("register.empty", "tệp không có dòng tiêu đề", "the file has no header")
    header_row, header = head
    return parse_rows(header, rows, header_row=header_row, tz=tz)


def read_csv(data: bytes, *, tz: tzinfo = VN_TZ) -> RegisterImport:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return _refused(
            "register.encoding",
            "tệp CSV phải mã hoá UTF-8 (Excel: Lưu thành → CSV UTF-8)",
            "the CSV file must be UTF-8",
        )
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = [(n, row) for n, row in enumerate(reader, start=1)]
    except csv.Error as exc:
        return _refused("register.unreadable", f"không đọc được tệp CSV: {exc}", "bad CSV")
    return _finish(iter(rows), tz)


def read_xlsx(data: bytes, *, tz: tzinfo = VN_TZ) -> RegisterImport:
    from openpyxl import load_workbook  # imported on use: no work at import time

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        return _refused(
            "register.unreadable",
            f"không đọc được tệp XLSX: {exc}",
            "the XLSX file cannot be read",
        )
    try:
        sheet = book.worksheets[0]
        rows = ((n, list(row)) for n, row in enumerate(sheet.iter_rows(values_only=True), 1))
        return _finish(rows, tz)
    finally:
        book.close()


def read_register(data: bytes, filename: str = "", *, tz: tzinfo = VN_TZ) -> RegisterImport:
    """Pick the reader by content (XLSX is a ZIP) or by the file name."""
    if len(data) > MAX_BYTES:
        return _refused(
            "register.too_large",
            f"tệp lớn quá {MAX_BYTES // (1024 * 1024)} MB",
            "the file is too large",
        )
    name = filename.lower()
    if data.startswith(XLSX_MAGIC) or name.endswith((".xlsx", ".xlsm")):
        return read_xlsx(data, tz=tz)
    if name.endswith(".xls"):
        return _refused(
            "register.unsupported",
            "định dạng .xls cũ không được hỗ trợ; lưu lại thành .xlsx hoặc CSV UTF-8",
            "legacy .xls is not supported; save as .xlsx or UTF-8 CSV",
        )
    return read_csv(data, tz=tz)
