"""The CCHC pages' helpers: numbers and answers read from a form the way the rule needs them,
deadlines in Vietnam time, a sheet problem placed beside the cell it is about, the row editor
reading back exactly what the tree view shows, and the forms validated by the API's own models."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from assessment.application.cchc.commands import PublishCriteriaSet, RecordSelfScore
from assessment.domain.cchc import demo, sheet
from assessment.domain.cchc.errors import SheetRejected
from assessment.entrypoints.web.cchc.appraisal import unit_codes
from assessment.entrypoints.web.cchc.common import (
    answer_from_form,
    answer_value,
    deadline_from_form,
    field_for,
    number_text,
    option_codes,
    validation_errors,
)
from assessment.entrypoints.web.cchc.sets import (
    KEYS,
    problems_by_cell,
    rows_from_form,
    sheet_rows,
)
from assessment.entrypoints.web.cchc.view import lines_of, recorded_evidence

OPTIONS = {
    "kind": "options",
    "options": [
        {"code": "dung_han", "label": "Đúng hạn", "points": "1"},
        {"code": "tre_han", "label": "Trễ hạn", "points": "0.5"},
    ],
}
YES_NO = {
    "kind": "yes_no",
    "options": [
        {"code": "co", "label": "Có", "points": "1"},
        {"code": "khong", "label": "Không", "points": "0"},
    ],
}


def demo_content() -> dict[str, Any]:
    return sheet.read_set(demo.HEADER, demo.rows(), demo.params("so_nganh"))


@pytest.mark.parametrize(
    ("typed", "read"),
    [("0,5", "0.5"), ("0.5", "0.5"), ("1.234,5", "1234.5"), (" 90 ", "90"), ("", "")],
)
def test_numbers_are_read_as_typed_in_vietnam(typed: str, read: str) -> None:
    assert number_text(typed) == read


def test_answers_follow_the_rule_kind() -> None:
    assert answer_from_form(OPTIONS, {"option": "tre_han"}) == {"option": "tre_han"}
    assert answer_from_form(YES_NO, {"option": "co"}) == {"yes": True}
    assert answer_from_form(YES_NO, {"option": "khong"}) == {"yes": False}
    assert answer_from_form(YES_NO, {}) == {"yes": None}
    assert answer_from_form({"kind": "percent"}, {"percent": "89,99"}) == {"percent": "89.99"}
    assert answer_from_form({"kind": "number"}, {"value": "3"}) == {"value": "3"}
    assert answer_from_form({"kind": "points"}, {"x.points": "0,75"}, "x.") == {"points": "0.75"}


def test_a_stored_answer_goes_back_into_the_input() -> None:
    assert answer_value(OPTIONS, {"option": "tre_han"}) == "tre_han"
    assert answer_value(YES_NO, {"yes": False}) == "khong"
    assert answer_value({"kind": "percent"}, {"percent": "89.5"}) == "89,5"
    assert answer_value({"kind": "points"}, None) == ""
    assert [v for v, _, _ in option_codes(YES_NO)] == ["co", "khong"]


def test_an_answer_outside_the_model_is_an_error_beside_its_input() -> None:
    with pytest.raises(ValidationError) as caught:
        RecordSelfScore.model_validate({"code": "1.1", "answer": {"percent": "150"}})
    errors = validation_errors(caught.value, "1.1.")
    assert "1.1.percent" in errors and "lớn hơn" in errors["1.1.percent"]
    with pytest.raises(ValidationError) as caught:
        PublishCriteriaSet.model_validate({"decision_date": "2021-01-05", "signer": "X"})
    assert validation_errors(caught.value) == {"decision_number": "Trường này là bắt buộc."}


def test_deadlines_are_vietnam_time() -> None:
    assert deadline_from_form("31/12/2099") == ("2099-12-31T17:00:00+07:00", None)
    assert deadline_from_form("31/12/2099", "08:30") == ("2099-12-31T08:30:00+07:00", None)
    moment, problem = deadline_from_form("31/13/2099")
    assert moment is None and problem is not None and "dd/mm/yyyy" in problem


@pytest.mark.parametrize(
    ("detail", "cell"),
    [
        ("'điểm tối đa' không phải là số: 'mười'", "max_points"),
        ("'1': điểm tối đa 7 khác tổng các mục con 2", "max_points"),
        ("STT '2' trùng với dòng 5", "stt"),
        ("cách chấm 'điểm' ghi 'Bước 0,25', không phải 'x'", "rule"),
        ("kiểu chấm 'abc' không có", "kind"),
        ("loại điểm 'x' (thưởng/trừ)", "point_kind"),
        ("không rõ", "rule"),
    ],
)
def test_a_sheet_problem_goes_beside_the_cell_it_names(detail: str, cell: str) -> None:
    assert field_for(detail) == cell


def test_the_row_editor_reads_back_exactly_what_the_tree_shows() -> None:
    content = demo_content()
    header, rows, params = sheet_rows(content)
    assert rows[-1]["level"] == "total" and rows[0]["level"] == "field"
    form = {f"r{i}.{k}": row[k] for i, row in enumerate(rows) for k in KEYS}
    numbered = rows_from_form(form, len(rows))
    assert numbered[0][0] == 2  # row 1 of a sheet is its header
    again = sheet.read_set(header, numbered, [(n, r) for n, r in enumerate(params, start=1)])
    assert again == content


def test_a_bad_cell_in_the_editor_is_named_by_row_and_cell() -> None:
    content = demo_content()
    header, rows, params = sheet_rows(content)
    form = {f"r{i}.{k}": row[k] for i, row in enumerate(rows) for k in KEYS}
    form["r1.max_points"] = "mười"
    with pytest.raises(SheetRejected) as caught:
        sheet.read_set(
            header, rows_from_form(form, len(rows)), [(n, r) for n, r in enumerate(params, 1)]
        )
    cells, general = problems_by_cell(caught.value.problems)
    assert list(cells) == ["r1.max_points"] and general == []
    cells, general = problems_by_cell([{"sheet": "Thông số", "row": 3, "detail": "nhóm trùng"}])
    assert cells == {} and general == ["Thông số, dòng 3: nhóm trùng"]


def test_lines_carry_rule_text_self_and_appraised_scores_and_requests() -> None:
    content = demo_content()
    leaf = next(n for n in content["nodes"] if n.get("method") == "appraisal")
    code = leaf["code"]
    doc = {"name": "a.pdf", "sha256": "a" * 64, "size": 3}
    reply = {"name": "b.pdf", "sha256": "b" * 64, "size": 4}
    scoring = {
        "self_scores": {code: {"points": "1", "answer": {}, "evidence": [doc]}},
        "appraised": {code: {"points": "0.5", "answer": {}, "reason": "trễ"}},
        "requests": {"YC-1": {"codes": [code], "reply": {"text": "x", "evidence": [reply]}}},
        "excluded": {},
    }
    line = next(x for x in lines_of(content, scoring) if x.node["code"] == code)
    assert line.scored and line.rule_text and line.requests == ["YC-1"]
    assert Decimal(line.difference or "0") == Decimal("-0.5")
    assert recorded_evidence(scoring, "b" * 64) == reply
    assert recorded_evidence(scoring, "c" * 64) is None


def test_unit_codes_of_a_block() -> None:
    assert unit_codes("SNV, SYT;STC\nSNV") == ["SNV", "SYT", "STC"]
    assert unit_codes(" , ") == []
