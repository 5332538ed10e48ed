"""Scoring rules: every type, with its boundary cases (exact percentages, fractions, steps)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assessment.domain.cchc.errors import RuleInvalid, ScoreOutsideRule
from assessment.domain.cchc.rule_text import describe_rule, parse_rule
from assessment.domain.cchc.rules import Rule
from assessment.domain.kernel.errors import ValidationFailed

D = Decimal
BANDS_70_90 = "Từ 90% trở lên: 2; Từ 70% đến dưới 90%: 1; Dưới 70%: 0"


def rule(kind: str, text: str, source: str = "") -> Rule:
    return Rule.from_dict(parse_rule(kind, text, source))


@pytest.mark.parametrize(
    ("answer", "points"),
    [
        ({"percent": "90"}, "2"),  # exactly 90 %: not in "70 – < 90"
        ({"percent": "89.99"}, "1"),
        ({"percent": "70"}, "1"),  # 70 is in "từ 70 %"
        ({"percent": "69,99"}, "0"),
        ({"percent": "0"}, "0"),
        ({"percent": "100"}, "2"),
        ({"numerator": 9, "denominator": 10}, "2"),
        ({"numerator": 899, "denominator": 1000}, "1"),
        # 2/3 = 66,67 % once rounded but never rounded first: below 70
        ({"numerator": 2, "denominator": 3}, "0"),
        ({"numerator": 7, "denominator": 10}, "1"),
    ],
)
def test_percent_bands_hold_their_exact_bounds(answer: dict[str, object], points: str) -> None:
    assert rule("tỉ lệ", BANDS_70_90).score(answer, D(2)) == D(points)


def test_exclusive_lower_and_inclusive_upper_bounds() -> None:
    r = rule("tỉ lệ", "Trên 80% đến 100%: 1; Đến 80%: 0")
    assert r.score({"percent": "80"}, D(1)) == 0
    assert r.score({"percent": "80.001"}, D(1)) == 1


@pytest.mark.parametrize(
    "answer",
    [
        {"percent": "100.01"},
        {"percent": "-1"},
        {"numerator": 11, "denominator": 10},
        {"numerator": 1, "denominator": 0},
        {"percent": 0.9},
        {},
    ],
)
def test_percent_answers_outside_0_100_are_refused(answer: dict[str, object]) -> None:
    with pytest.raises(ScoreOutsideRule):
        rule("tỉ lệ", BANDS_70_90).score(answer, D(2))


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Từ 90% trở lên: 2; Từ 70% đến 90%: 1; Dưới 70%: 0", "thuộc cả hai"),
        ("Trên 90%: 2; Từ 70% đến dưới 90%: 1; Dưới 70%: 0", "không thuộc khoảng nào"),
        ("Từ 90% trở lên: 2; Dưới 70%: 0", "hở"),
        ("Từ 90% trở lên: 2; Từ 10% đến dưới 90%: 1", "bắt đầu từ 0"),
    ],
)
def test_bands_that_gap_or_overlap_are_refused(text: str, problem: str) -> None:
    with pytest.raises(RuleInvalid, match=problem):
        rule("tỉ lệ", text).validate(D(2))


def test_options_on_time_late_not_issued() -> None:
    r = rule("mức", "Đúng hạn: 1; Trễ hạn: 0,5; Không ban hành: 0")
    r.validate(D(1))
    assert [r.score({"option": c}, D(1)) for c in ("dung_han", "tre_han", "khong_ban_hanh")] == [
        D(1),
        D("0.5"),
        D(0),
    ]
    with pytest.raises(ScoreOutsideRule, match="dung_han"):
        r.score({"option": "som"}, D(1))


def test_yes_no() -> None:
    r = rule("có/không", "Có: 2; Không: 0")
    r.validate(D(2))
    assert r.score({"yes": True}, D(2)) == 2 and r.score({"yes": False}, D(2)) == 0
    with pytest.raises(ScoreOutsideRule):
        r.score({"yes": "co"}, D(2))
    with pytest.raises(RuleInvalid):
        rule("có/không", "Có: 2; Một phần: 1; Không: 0")


def test_number_read_from_data() -> None:
    r = rule("số liệu", "0: 3; Trên 0 đến 5: 1,5; Trên 5: 0", "dvc.tre_han")
    r.validate(D(3))
    assert [r.score({"value": v}, D(3)) for v in ("0", "1", "5", "6", "1000")] == [
        D(3),
        D("1.5"),
        D("1.5"),
        D(0),
        D(0),
    ]
    with pytest.raises(ScoreOutsideRule):
        r.score({"value": "-1"}, D(3))
    with pytest.raises(RuleInvalid, match="nguồn"):
        rule("số liệu", "0: 3; Trên 0: 0").validate(D(3))
    with pytest.raises(RuleInvalid, match="không giới hạn"):
        rule("số liệu", "0: 3; Trên 0 đến 5: 0", "x").validate(D(3))


def test_free_points_in_steps() -> None:
    r = rule("điểm", "Bước 0,25")
    r.validate(D("1.5"))
    assert r.score({"points": "1,25"}, D("1.5")) == D("1.25")
    for bad in ("1.3", "1.75", "-0.25"):
        with pytest.raises(ScoreOutsideRule):
            r.score({"points": bad}, D("1.5"))
    with pytest.raises(RuleInvalid, match="chia hết"):
        rule("điểm", "Bước 0,4").validate(D(1))


def test_survey_points_are_rounded_half_up_to_a_hundredth() -> None:
    r = rule("điều tra", "")
    assert r.score({"percent": "85.3"}, D(15)) == D("12.80")  # 12,795 → 12,80
    assert r.score({"percent": "100"}, D(15)) == D(15)


def test_best_outcome_must_equal_the_maximum() -> None:
    with pytest.raises(RuleInvalid, match="khác điểm tối đa"):
        rule("mức", "Đúng hạn: 1; Trễ hạn: 0,5").validate(D(2))


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("xếp hạng", "A: 1"),
        ("mức", "theo hướng dẫn của Sở Nội vụ"),
        ("mức", "Đúng hạn: một điểm"),
        ("tỉ lệ", "khoảng 90%: 1"),
        ("điểm", "tùy"),
    ],
)
def test_unknown_or_unreadable_rules_are_refused(kind: str, text: str) -> None:
    with pytest.raises(RuleInvalid):
        parse_rule(kind, text)


@pytest.mark.parametrize(
    ("kind", "text", "source"),
    [
        ("mức", "Đúng hạn: 1; Trễ hạn: 0,5; Không ban hành: 0", ""),
        ("có/không", "Có: 2; Không: 0", ""),
        ("tỉ lệ", "100%: 3; Từ 95% đến dưới 100%: 2; Trên 0% đến dưới 95%: 1; 0%: 0", ""),
        ("tỉ lệ", "Trên 80%: 1; Đến 80%: 0", ""),
        ("số liệu", "Từ 10 trở lên: 2; Trên 0 đến dưới 10: 1; 0: 0", "dvc.x"),
        ("điểm", "Bước 0,1", ""),
        ("điều tra", "", ""),
    ],
)
def test_written_form_reads_back_to_the_same_rule(kind: str, text: str, source: str) -> None:
    original = rule(kind, text, source)
    again = rule(*describe_rule(original), source)
    assert again == original


def test_floats_are_refused_in_points() -> None:
    with pytest.raises(ValidationFailed, match="float"):
        Rule.from_dict({"kind": "options", "options": [{"code": "a", "points": 0.5}]})
