"""The XLSX writer's fast path: dates become Excel day numbers under the column's dd/mm/yyyy
format (read back by openpyxl as dates, the day taken in Vietnam time), None and "" stay
empty, numbers stay numbers, text that looks like a link stays text; a row of the wrong width
is refused."""

from __future__ import annotations

import io
from datetime import date, datetime

import openpyxl
import pytest

from reporting.render import xlsx
from reporting.render.xlsx import Column


@pytest.mark.parametrize(
    ("value", "serial"),
    [
        ("1900-01-01", 1),
        ("1900-02-28", 59),  # Excel's phantom 29/02/1900 is serial 60
        ("1900-03-01", 61),
        (date(2014, 2, 1), 41671),
        (datetime(2014, 2, 1, 23, 0), 41671),  # a naive datetime: its own day
        ("2013-12-04T20:00:00+00:00", 41613),  # 03:00 on 05/12/2013 in Vietnam
        ("", None),
        (None, None),
    ],
)
def test_excel_day_numbers(value: object, serial: int | None) -> None:
    assert xlsx.excel_day(value) == serial


def test_a_table_reads_back_with_dates_numbers_blanks_and_plain_text() -> None:
    columns = [Column("Tên"), Column("Ngày", kind="date"), Column("Số", kind="int")]
    rows = [
        ["Sở Y tế: http://example.org", "2013-12-04T20:00:00+00:00", 3],
        ["Sở Nội vụ", None, None],
        ["", "2013-12-04T20:00:00+00:00", 0],
    ]
    wb, out = xlsx.workbook()
    assert xlsx.write_table(wb, "Bảng", columns, rows) == 3
    wb.close()
    ws = openpyxl.load_workbook(io.BytesIO(out.getvalue()))["Bảng"]  # type: ignore[attr-defined]
    got = list(ws.iter_rows(min_row=1, values_only=True))
    assert got == [
        ("Tên", "Ngày", "Số"),
        ("Sở Y tế: http://example.org", datetime(2013, 12, 5), 3),
        ("Sở Nội vụ", None, None),
        (None, datetime(2013, 12, 5), 0),
    ]
    assert ws["B2"].number_format == "dd/mm/yyyy" and ws["A2"].hyperlink is None
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:C4"


def test_a_row_of_the_wrong_width_is_refused() -> None:
    wb, _ = xlsx.workbook()
    with pytest.raises(ValueError, match="row 1: 2 values for 3 columns"):
        xlsx.write_table(wb, "x", [Column("a"), Column("b"), Column("c")], [["1", "2"]])
    wb.close()


def test_text_like_a_formula_stays_text_and_other_types_go_through_write() -> None:
    """The per-kind fast calls: a name starting with "=" is a string, not a formula; a value
    of another type than its column's (a number in a text column, text or a float in an int
    column, a date in a date column) is still written as what it is."""
    columns = [Column("Tên"), Column("Số", kind="int"), Column("Ngày", kind="date")]
    rows = [
        ["=1+2", "chưa có", date(2014, 2, 1)],
        [7.5, 2.25, datetime(2014, 2, 1, 23, 0)],
    ]
    wb, out = xlsx.workbook()
    xlsx.write_table(wb, "x", columns, rows)
    wb.close()
    ws = openpyxl.load_workbook(io.BytesIO(out.getvalue()))["x"]  # type: ignore[attr-defined]
    assert ws["A2"].data_type == "s" and ws["A2"].value == "=1+2"
    assert [ws["B2"].value, ws["A3"].value, ws["B3"].value] == ["chưa có", 7.5, 2.25]
    assert ws["C2"].value == ws["C3"].value == datetime(2014, 2, 1)
