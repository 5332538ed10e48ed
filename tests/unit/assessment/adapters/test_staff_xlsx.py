"""Staff-list import from XLSX: every bad row reported, nothing accepted from a bad file."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

import pytest
from openpyxl import Workbook

from assessment.adapters.individual.staff_xlsx import StaffFileUnreadable, parse_staff_xlsx
from assessment.domain.individual.staff_list import parse_staff_list

HEADER = [
    "Mã cán bộ",
    "Họ và tên",
    "Đối tượng",
    "Mã cơ quan",
    "Mã đơn vị",
    "Chức vụ",
    "Vị trí việc làm",
    "Nhóm nhiệm vụ",
    "Ngày bắt đầu công tác",
]


def good_row(code: str = "CB001", **kw: Any) -> list[Any]:
    row = {
        "code": code,
        "name": "Trần Thị Bình",
        "category": "Công chức",
        "agency": "SNN",
        "unit": "P.KH",
        "position": "Không",
        "job": "Chuyên viên",
        "group": "chuyen_vien",
        "start": datetime(2018, 3, 1),
    }
    row.update(kw)
    return list(row.values())


def xlsx(rows: list[list[Any]], header: list[str] | None = None, blank_top: int = 0) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for _ in range(blank_top):
        sheet.append([None])
    sheet.append(header or HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_good_file_is_accepted_with_words_and_dates_understood() -> None:
    data = xlsx(
        [
            good_row(),
            good_row("CB002", category="Viên chức", position="Cấp phó", start="01/09/2020"),
            good_row("CB003", category="cán bộ", position="Người đứng đầu", start="2021-01-15"),
            [None] * 9,
        ]
    )
    staff = parse_staff_xlsx(data, known_agencies={"SNN"})
    assert staff.accepted, staff.errors
    assert [r.code for r in staff.rows] == ["CB001", "CB002", "CB003"]
    assert staff.rows[0].employed_from == "2018-03-01" and staff.rows[0].position == "staff"
    assert staff.rows[1].category == "vien_chuc" and staff.rows[1].employed_from == "2020-09-01"
    assert staff.rows[1].leadership_collective is True
    assert staff.rows[2].position == "head" and staff.rows[2].category == "can_bo"


def test_bad_file_reports_every_bad_row_and_accepts_nothing() -> None:
    data = xlsx(
        [
            good_row(),
            good_row("CB 2"),  # bad code
            good_row("CB003", category="Hợp đồng"),  # bad category
            good_row("CB004", start="31/02/2024"),  # no such day
            good_row("CB001"),  # duplicate of row 2
            good_row("CB005", agency="SXX"),  # unknown agency
            good_row("CB006", name=""),  # missing name
        ]
    )
    staff = parse_staff_xlsx(data, known_agencies={"SNN"})
    assert not staff.accepted
    by_row = {(e.row, e.code) for e in staff.errors}
    assert by_row == {
        (3, "individual.staff_cell_invalid"),
        (4, "individual.staff_cell_invalid"),
        (5, "individual.staff_cell_invalid"),
        (6, "individual.staff_code_duplicated"),
        (7, "individual.staff_agency_unknown"),
        (8, "individual.staff_cell_missing"),
    }
    assert all(e.message.startswith("dòng ") for e in staff.errors)
    assert "Đối tượng" in next(e.message for e in staff.errors if e.row == 4)


def test_missing_column_is_a_file_error_at_the_header_row() -> None:
    staff = parse_staff_xlsx(xlsx([good_row()[:-1]], header=HEADER[:-1], blank_top=2))
    assert not staff.accepted and staff.rows == ()
    (error,) = staff.errors
    assert error.row == 3 and error.code == "individual.staff_column_missing"
    assert error.column == "Ngày bắt đầu công tác"


def test_existing_codes_are_refused() -> None:
    staff = parse_staff_xlsx(xlsx([good_row()]), existing_codes={"CB001"})
    assert [e.code for e in staff.errors] == ["individual.staff_code_exists"]


def test_empty_file_and_non_xlsx_are_refused() -> None:
    staff = parse_staff_xlsx(xlsx([]))
    assert [e.code for e in staff.errors] == ["individual.staff_file_empty"]
    with pytest.raises(StaffFileUnreadable) as err:
        parse_staff_xlsx(b"Ma can bo,Ho ten\nCB1,An\n")
    assert err.value.code == "individual.staff_file_unreadable"


def test_headers_match_without_accents_or_case() -> None:
    header = [h.upper() for h in HEADER]
    header[1] = "ho va ten"
    staff = parse_staff_list(header, [(2, good_row())])
    assert staff.accepted
