"""Criteria sets and survey results as XLSX: read with openpyxl, written with XlsxWriter.

The cells go to the pure readers in ``assessment.domain.cchc`` (``sheet``, ``survey_sheet``),
which check everything and name the row of every problem; this module only moves cells. A file
that is not a workbook, or is too large, is refused the same way (``SheetRejected``).
"""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from typing import Any

import openpyxl
import xlsxwriter

from assessment.domain.cchc.errors import SheetRejected
from assessment.domain.cchc.sheet import CRITERIA_SHEET, PARAMS_SHEET, norm, read_set, write_set
from assessment.domain.cchc.survey_sheet import SURVEY_SHEET, read_survey
from assessment.domain.cchc.tree import SetContent

MAX_ROWS = 5_000
MAX_COLUMNS = 40
HEADER_SEARCH_ROWS = 15  # provinces put a title block above the table


def _value(cell: Any) -> Any:
    """Numbers as Decimal through their shortest text (0.1 stays 0.1), text as text."""
    if isinstance(cell, bool):
        return str(cell)
    if isinstance(cell, float):
        return Decimal(repr(cell))
    if isinstance(cell, int):
        return Decimal(cell)
    return cell


def _refuse(sheet: str, detail: str, row: int | None = None) -> SheetRejected:
    return SheetRejected(
        [{"sheet": sheet, "row": row, "code": SheetRejected.code, "detail": detail}]
    )


def _open(data: bytes, sheet: str) -> Any:
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise _refuse(sheet, f"tệp không phải bảng tính XLSX ({type(exc).__name__})") from None


def _rows(ws: Any, sheet: str) -> list[tuple[int, list[Any]]]:
    out = []
    for number, row in enumerate(ws.iter_rows(values_only=True, max_col=MAX_COLUMNS), start=1):
        if number > MAX_ROWS:
            raise _refuse(sheet, f"bảng tính có quá {MAX_ROWS} dòng", number)
        out.append((number, [_value(c) for c in row]))
    return out


def _split_header(
    rows: list[tuple[int, list[Any]]], sheet: str, first_column: str
) -> tuple[list[Any], list[tuple[int, list[Any]]]]:
    for i, (_, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if any(norm(c) == first_column for c in cells):
            return cells, rows[i + 1 :]
    raise _refuse(sheet, f"không thấy dòng tiêu đề có cột '{first_column}'", 1)


def _sheet(workbook: Any, name: str, *, required: bool) -> Any:
    for ws in workbook.worksheets:
        if norm(ws.title) == norm(name):
            return ws
    if required:
        return workbook.worksheets[0]
    return None


def read_criteria_xlsx(data: bytes) -> dict[str, Any]:
    """The checked content of a criteria set (``SetContent.to_dict`` form) from a workbook."""
    workbook = _open(data, CRITERIA_SHEET)
    try:
        header, rows = _split_header(
            _rows(_sheet(workbook, CRITERIA_SHEET, required=True), CRITERIA_SHEET),
            CRITERIA_SHEET,
            "stt",
        )
        params_ws = _sheet(workbook, PARAMS_SHEET, required=False)
        params = _rows(params_ws, PARAMS_SHEET) if params_ws is not None else []
    finally:
        workbook.close()
    return read_set(header, rows, params)


def write_criteria_xlsx(content: SetContent | dict[str, Any], title: str) -> bytes:
    if isinstance(content, dict):
        content = SetContent.from_dict(content)
    header, rows, params = write_set(content)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top", "border": 1})
    wrap = book.add_format({"text_wrap": True, "valign": "top", "border": 1})
    number = book.add_format({"num_format": "0.00", "valign": "top", "border": 1})
    field = book.add_format({"bold": True, "text_wrap": True, "valign": "top", "border": 1})
    ws = book.add_worksheet(CRITERIA_SHEET)
    ws.write(0, 0, title, book.add_format({"bold": True, "font_size": 13}))
    for col, name in enumerate(header):
        ws.write_string(2, col, name, bold)
    widths = [7, 60, 10, 10, 60, 22, 40, 16, 10]
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    for r, cells in enumerate(rows, start=3):
        is_field = bool(cells[0]) and not any(ch.isdigit() for ch in str(cells[0]))
        for col, value in enumerate(cells):
            if isinstance(value, Decimal):
                ws.write_number(r, col, float(value), number)
            else:
                ws.write_string(r, col, str(value), field if is_field else wrap)
    ps = book.add_worksheet(PARAMS_SHEET)
    ps.set_column(0, 0, 24)
    ps.set_column(1, 2, 30)
    for r, cells in enumerate(params):
        for col, value in enumerate(cells):
            if isinstance(value, (Decimal, int)):
                ps.write_number(r, col, float(value))
            else:
                ps.write_string(r, col, str(value))
    book.close()
    return buffer.getvalue()


def read_survey_xlsx(
    data: bytes, content: SetContent | dict[str, Any], known_units: set[str]
) -> dict[str, dict[str, dict[str, Any]]]:
    if isinstance(content, dict):
        content = SetContent.from_dict(content)
    workbook = _open(data, SURVEY_SHEET)
    try:
        rows = _rows(_sheet(workbook, SURVEY_SHEET, required=True), SURVEY_SHEET)
    finally:
        workbook.close()
    header, body = _split_header(rows, SURVEY_SHEET, "mã đơn vị")
    return read_survey(header, body, content, known_units)


def survey_unit_codes(data: bytes) -> list[str]:
    """The unit codes a survey file names (its 'Mã đơn vị' column), for the caller to check."""
    workbook = _open(data, SURVEY_SHEET)
    try:
        rows = _rows(_sheet(workbook, SURVEY_SHEET, required=True), SURVEY_SHEET)
    finally:
        workbook.close()
    header, body = _split_header(rows, SURVEY_SHEET, "mã đơn vị")
    at = [norm(h) for h in header].index("mã đơn vị")
    return sorted({str(cells[at]).strip() for _, cells in body if at < len(cells) and cells[at]})
