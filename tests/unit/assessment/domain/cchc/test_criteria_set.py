"""Criteria sets: tree checks, drafted → published → immutable, versions, row-named refusals."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest

from assessment.domain.cchc import demo, sheet
from assessment.domain.cchc.criteria_set import CriteriaSet, criteria_set_id_for
from assessment.domain.cchc.errors import (
    RuleInvalid,
    SetPublished,
    SheetRejected,
    TreeInvalid,
)
from assessment.domain.cchc.tree import SetContent
from builders import at
from cchc_builders import HOME_AFFAIRS, demo_content, published_set


def content_with(**changes: Any) -> dict[str, Any]:
    c = copy.deepcopy(demo_content())
    c.update(changes)
    return c


def test_demo_set_shape() -> None:
    s = SetContent.from_dict(demo_content())
    assert [n.code for n in s.roots()] == ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]
    assert len(s.leaves()) == 34 and s.total_points == 100
    kinds = {n.rule.kind for n in s.leaves() if n.rule}
    assert kinds == {"options", "yes_no", "percent", "number", "points", "survey"}
    assert s.node("7").appraisers == ("STP",) and s.node("26").method.value == "survey"


def test_parent_maximum_must_equal_the_sum_of_children() -> None:
    c = demo_content()
    c["nodes"][1]["max_points"] = "2.5"  # criterion 1 = 1 + 1 but says 2,5
    with pytest.raises(TreeInvalid, match=r"'1': điểm tối đa 2\.5 khác tổng các mục con 2$"):
        SetContent.from_dict(c)


def test_fields_must_add_up_to_the_total() -> None:
    with pytest.raises(TreeInvalid, match="khác tổng 90"):
        SetContent.from_dict(content_with(total_points="90"))


def test_bonus_and_penalty_fields_stand_outside_the_total() -> None:
    c = demo_content()
    c["nodes"] += [
        {
            "code": "IX",
            "level": "field",
            "title": "Điểm thưởng",
            "max_points": "2",
            "kind": "bonus",
        },
        {
            "code": "28",
            "level": "criterion",
            "title": "Sáng kiến cấp tỉnh",
            "max_points": "2",
            "parent": "IX",
            "kind": "bonus",
            "rule": {"kind": "points", "step": "0.5"},
        },
    ]
    assert SetContent.from_dict(c).total_points == 100
    c["nodes"][-1]["kind"] = "regular"
    with pytest.raises(TreeInvalid, match="loại điểm"):
        SetContent.from_dict(c)


def test_unknown_tie_break_and_bad_bands_are_refused() -> None:
    with pytest.raises(TreeInvalid, match="phân định"):
        SetContent.from_dict(content_with(tie_break=["luck"]))
    with pytest.raises(TreeInvalid, match="khác nhau"):
        SetContent.from_dict(
            content_with(bands=[{"code": "a", "min_index": "90"}, {"code": "b", "min_index": "90"}])
        )
    assert SetContent.from_dict(content_with(tie_break=["field:III", "self_gap"])).tie_break


def test_published_set_is_immutable_and_a_change_is_a_new_version() -> None:
    s = published_set()
    with pytest.raises(SetPublished, match="phiên bản 1"):
        s.revise(
            actor=HOME_AFFAIRS,
            occurred_at=at("2020-04-01T00:00Z"),
            content=demo_content(),
            reason="sửa",
        )
    with pytest.raises(SetPublished):
        s.publish(
            actor=HOME_AFFAIRS,
            occurred_at=at("2020-04-01T00:00Z"),
            decision_number="x",
            decision_date="2020-04-01",
            signer="y",
        )
    nxt = CriteriaSet.draft_next(
        s,
        actor=HOME_AFFAIRS,
        occurred_at=at("2021-02-01T00:00Z"),
        content=demo_content(),
        year=2021,
        prompted_by_flags=["flag-1"],
    )
    assert nxt.set_version == 2 and nxt.supersedes == str(s.id) and nxt.year == 2021
    assert nxt.id == criteria_set_id_for("t", 2021, "so_nganh", 2) != s.id
    assert nxt.prompted_by_flags == ["flag-1"] and not nxt.is_published


def test_draft_can_be_revised_and_every_event_names_tenant_and_actor() -> None:
    s = CriteriaSet.draft(
        tenant="t",
        actor=HOME_AFFAIRS,
        occurred_at=at("2020-01-01T00:00Z"),
        year=2020,
        block="so_nganh",
        title="Bộ tiêu chí",
        content=demo_content(),
    )
    c = demo_content()
    c["nodes"][2]["title"] = "Ban hành kế hoạch CCHC năm đúng thời hạn"
    s.revise(actor=HOME_AFFAIRS, occurred_at=at("2020-01-02T00:00Z"), content=c, reason="rõ hơn")
    assert s.content.node("1.1").title.endswith("đúng thời hạn")
    events = s.collect_events()
    assert [type(e).__name__ for e in events] == ["Drafted", "Revised"]
    assert {e.TOPIC for e in events} == {
        "assessment.CriteriaSet.Drafted",
        "assessment.CriteriaSet.Revised",
    }
    assert all(e.tenant == "t" and e.actor == HOME_AFFAIRS for e in events)


def test_sheet_with_a_wrong_total_is_refused_with_its_row() -> None:
    rows = demo.rows()
    rows[-1] = (rows[-1][0], ["", "Tổng cộng", "95"])
    with pytest.raises(SheetRejected) as err:
        sheet.read_set(demo.HEADER, rows, [])
    assert err.value.problems[0]["row"] == rows[-1][0]
    assert "khác tổng 95" in err.value.problems[0]["detail"]


def test_sheet_with_a_wrong_criterion_maximum_names_that_criterion_row() -> None:
    rows = demo.rows()
    number, cells = rows[1]  # criterion "1"
    rows[1] = (number, [cells[0], cells[1], "3"])
    with pytest.raises(SheetRejected) as err:
        sheet.read_set(demo.HEADER, rows, demo.params("so_nganh"))
    # the criterion whose components do not add up, then the field above it
    assert [(p["row"], p["code"], p["detail"]) for p in err.value.problems] == [
        (3, "cchc.tree_invalid", "'1': điểm tối đa 3 khác tổng các mục con 2"),
        (2, "cchc.tree_invalid", "'I': điểm tối đa 10 khác tổng các mục con 11"),
    ]


def test_sheet_names_every_row_with_an_unknown_rule() -> None:
    rows = demo.rows()
    for i in (2, 4):
        number, cells = rows[i]
        cells = list(cells)
        cells[3] = "xếp loại"
        rows[i] = (number, cells)
    with pytest.raises(SheetRejected) as err:
        sheet.read_set(demo.HEADER, rows, demo.params("so_nganh"))
    assert [p["row"] for p in err.value.problems] == [4, 6]
    assert all(p["code"] == RuleInvalid.code for p in err.value.problems)


def test_sheet_refuses_duplicate_stt_and_unknown_levels() -> None:
    rows = [
        *demo.rows(),
        (99, ["1.1", "Trùng", "1", "có/không", "Có: 1; Không: 0"]),
        (100, ["A.b", "?", "1"]),
    ]
    with pytest.raises(SheetRejected) as err:
        sheet.read_set(demo.HEADER, rows, demo.params("so_nganh"))
    assert [(p["row"], p["detail"][:12]) for p in err.value.problems] == [
        (99, "STT '1.1' tr"),
        (100, "STT 'A.b' kh"),
    ]


def test_sheet_without_the_required_columns_is_refused() -> None:
    with pytest.raises(SheetRejected, match="Điểm tối đa"):
        sheet.read_set(["STT", "Tên tiêu chí"], [], [])


def test_parameter_sheet_problems_name_their_row() -> None:
    params = [
        (1, ["Tổng điểm", "100"]),
        (2, ["Nhóm", "Nhóm I", "chín mươi"]),
        (3, ["Hệ số may mắn", "2"]),
    ]
    with pytest.raises(SheetRejected) as err:
        sheet.read_set(demo.HEADER, demo.rows(), params)
    assert [(p["sheet"], p["row"]) for p in err.value.problems] == [
        ("Thông số", 2),
        ("Thông số", 3),
    ]


def test_export_reads_back_identically() -> None:
    content = SetContent.from_dict(demo_content("huyen"))
    header, rows, params = sheet.write_set(content)
    again = sheet.read_set(
        header, [(i + 2, r) for i, r in enumerate(rows)], [(i + 1, p) for i, p in enumerate(params)]
    )
    assert again == content.to_dict()
    assert rows[-1][:3] == ["", "Tổng cộng", Decimal(100)]


def test_a_total_row_that_contradicts_the_parameter_sheet_is_refused_on_its_row() -> None:
    rows = [*demo.rows()[:-1], (len(demo.ROWS) + 1, ["", "Tổng cộng", "98"])]
    with pytest.raises(SheetRejected) as err:
        sheet.read_set(demo.HEADER, rows, demo.params("so_nganh"))
    (problem,) = err.value.problems
    assert problem["row"] == len(demo.ROWS) + 1 and "98" in problem["detail"]
