"""Criteria sets and surveys as real XLSX files (openpyxl reads, XlsxWriter writes)."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest

from assessment.adapters.cchc.xlsx import (
    read_criteria_xlsx,
    read_survey_xlsx,
    write_criteria_xlsx,
)
from assessment.domain.cchc import demo
from assessment.domain.cchc.errors import SheetRejected
from assessment.domain.cchc.tree import SetContent
from cchc_builders import demo_content


def province_file(rows: list[list[Any]], params: list[list[Any]] | None = None) -> bytes:
    """A workbook laid out like a province's annex: title lines above the table, numbers as
    spreadsheet numbers (floats), written by openpyxl rather than by our own writer."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Bộ tiêu chí"
    ws.append(["PHỤ LỤC: BỘ TIÊU CHÍ XÁC ĐỊNH CHỈ SỐ CCHC CÁC SỞ, BAN, NGÀNH"])
    ws.append(["(Kèm theo Quyết định số …/QĐ-UBND)"])
    ws.append(demo.HEADER)
    for row in rows:
        ws.append([float(v.replace(",", ".")) if i == 2 and v else v for i, v in enumerate(row)])
    if params is not None:
        ps = book.create_sheet("Thông số")
        for p in params:
            ps.append(p)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def params() -> list[list[Any]]:
    return [r for _, r in demo.params("so_nganh")]


def test_a_province_style_workbook_reads_as_the_demo_set() -> None:
    assert read_criteria_xlsx(province_file(demo.ROWS, params())) == demo_content()


def test_export_then_import_gives_the_same_set() -> None:
    content = SetContent.from_dict(demo_content("huyen"))
    data = write_criteria_xlsx(content, "Bộ tiêu chí CCHC khối huyện 2020")
    assert data[:2] == b"PK"
    assert read_criteria_xlsx(data) == content.to_dict()
    ws = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    assert [c.value for c in ws[3]][:3] == [
        "STT",
        "Lĩnh vực, tiêu chí, tiêu chí thành phần",
        "Điểm tối đa",
    ]
    assert ws["C5"].value == 2 and ws["E7"].value.startswith("100%: 1")


def test_a_wrong_total_is_refused_with_its_row() -> None:
    rows = [*demo.ROWS[:-1], ["", "Tổng cộng", "99,5"]]
    with pytest.raises(SheetRejected) as err:
        read_criteria_xlsx(province_file(rows, params()[1:]))
    (problem,) = err.value.problems
    assert problem["row"] == 3 + len(rows) and "khác tổng 99.5" in problem["detail"]


def test_an_unknown_rule_is_refused_with_its_row() -> None:
    rows = [list(r) for r in demo.ROWS]
    rows[4][3] = "theo hướng dẫn"  # criterion 2, sheet row 8
    with pytest.raises(SheetRejected) as err:
        read_criteria_xlsx(province_file(rows, params()))
    assert [(p["row"], p["code"]) for p in err.value.problems] == [(8, "cchc.rule_invalid")]


def test_not_a_workbook_is_refused() -> None:
    with pytest.raises(SheetRejected, match="XLSX"):
        read_criteria_xlsx(b"STT;Tieu chi\n1;x\n")


def survey_file(rows: list[list[Any]]) -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Kết quả điều tra"
    ws.append(["KẾT QUẢ ĐIỀU TRA XÃ HỘI HỌC NĂM 2021"])
    ws.append(["Mã đơn vị", "Tên đơn vị", "Số phiếu", "26", "27"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_survey_results_per_unit() -> None:
    content = SetContent.from_dict(demo_content())
    got = read_survey_xlsx(
        survey_file([["STP", "Sở Tư pháp", 420, 85.3, "90,5"], ["SYT", "Sở Y tế", 380, 78, 81]]),
        content,
        {"STP", "SYT"},
    )
    assert got["STP"] == {
        "26": {"percent": "85.3", "respondents": 420},
        "27": {"percent": "90.5", "respondents": 420},
    }
    assert Decimal(got["SYT"]["26"]["percent"]) == 78


def test_survey_file_problems_name_rows_and_store_nothing() -> None:
    content = SetContent.from_dict(demo_content())
    data = survey_file(
        [
            ["STP", "", 10, 85, 90],
            ["XXX", "", 10, 85, 90],
            ["STP", "", 1, 1, 1],
            ["SYT", "", 10, 101, 90],
        ]
    )
    with pytest.raises(SheetRejected) as err:
        read_survey_xlsx(data, content, {"STP", "SYT"})
    assert [p["row"] for p in err.value.problems] == [4, 5, 6]
