"""Register row validation (pure): all rows or none, one error per bad cell, stable codes."""

from __future__ import annotations

from datetime import date

from assessment.domain.inspection.register_rows import fold, parse_rows

HEADER = ["Số, ký hiệu", "Lĩnh vực", "Người xử lý", "Ngày nhận", "Hạn xử lý", "Ngày xử lý"]


def rows(n: int) -> list[tuple[int, list[object]]]:
    return [
        (i + 2, [f"{i}/VB", "Đất đai", f"p{i % 7}", "01/03/2024", "08/03/2024", "05/03/2024"])
        for i in range(n)
    ]


def test_fold_removes_accents_case_and_punctuation() -> None:
    assert fold("Số, ký hiệu") == fold("SO KY HIEU") == "so ky hieu"
    assert fold("Đề nghị tham mưu") == "de nghi tham muu"


def test_two_thousand_good_rows_are_all_accepted() -> None:
    result = parse_rows(HEADER, rows(2000))
    assert result.ok and len(result.items) == 2000 and result.rows_read == 2000
    assert result.items[0].deadline == date(2024, 3, 8)


def test_one_bad_row_among_two_thousand_rejects_the_whole_file() -> None:
    data = rows(2000)
    data[1500][1][3] = "32/03/2024"
    result = parse_rows(HEADER, data)
    assert result.items == []
    assert [(e.row, e.code) for e in result.errors] == [(1502, "register.bad_date")]


def test_blank_lines_are_skipped_and_errors_are_capped() -> None:
    data: list[tuple[int, list[object]]] = [(2, [None, "", "  "])]
    data += [(i + 3, ["", "", "", "", "", ""]) for i in range(2000)]  # blank: skipped
    data += [(i + 3000, [f"{i}", "", "p", "x", "", ""]) for i in range(2000)]
    result = parse_rows(HEADER, data)
    assert len(result.errors) >= 1000 and result.items == []
    assert result.errors[0].row == 3000


def test_a_column_named_twice_is_refused() -> None:
    result = parse_rows([*HEADER, "Ngày đến"], rows(1))
    assert [e.code for e in result.errors] == ["register.duplicate_column"]
