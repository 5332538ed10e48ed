"""Index (exclusions, survey or none, weighted, bonus/penalty) and ranking (bands, ties)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from assessment.domain.cchc.index import IndexResult, UnitScores, compute_index
from assessment.domain.cchc.ranking import rank
from assessment.domain.cchc.tree import SetContent
from cchc_builders import demo_content, plan_answers

D = Decimal


def content(**changes: Any) -> SetContent:
    c = demo_content()
    c.update(changes)
    return SetContent.from_dict(c)


def scores(
    sc: SetContent,
    appraised: str,
    survey: dict[str, str] | None = None,
    excluded: frozenset[str] = frozenset(),
    name: str = "U",
    self_total: str | None = None,
) -> UnitScores:
    got = {c: p for c, (_, p) in plan_answers(sc, D(appraised)).items()}
    for code in sc.excluded_leaves(excluded):
        got.pop(code, None)
    mine = {c: p for c, (_, p) in plan_answers(sc, D(self_total or appraised)).items()}
    return UnitScores(
        unit_id=name,
        name=name,
        appraised=got,
        survey={k: D(v) for k, v in (survey or {}).items()},
        excluded=excluded,
        self_scored=mine,
    )


def test_year_without_survey_rescales_the_appraised_part_to_100() -> None:
    sc = content()
    r = compute_index(sc, scores(sc, "63"), survey_held=False)
    assert r.index == 90 and r.rescaled and r.appraised_max == 70 and r.survey_max == 0


def test_year_with_survey_adds_both_parts_over_100() -> None:
    sc = content()
    r = compute_index(sc, scores(sc, "63", {"26": "12", "27": "13.5"}), survey_held=True)
    assert r.index == D("88.5") and not r.rescaled and r.survey_points == D("25.5")
    missing = compute_index(sc, scores(sc, "63", {"26": "12"}), survey_held=True)
    assert missing.missing == ("27",)


def test_an_excluded_criterion_leaves_the_denominator() -> None:
    sc = content()
    # criterion 11 (6 points: 11.1 and 11.2) does not apply: maximum 64, 60 obtained elsewhere
    s = scores(sc, "64", excluded=frozenset({"11"}))
    r = compute_index(sc, s, survey_held=False)
    obtained = sum(s.appraised.values(), D(0))
    assert r.appraised_max == 64 and r.appraised_points == obtained
    assert r.index == obtained / 64 * 100 and not r.missing
    assert r.field_indices["III"] == (obtained_in(sc, s, "III")) / 8 * 100


def obtained_in(sc: SetContent, s: UnitScores, field: str) -> Decimal:
    return sum((s.appraised[n.code] for n in sc.leaves_under(field) if n.code in s.appraised), D(0))


def test_weighted_combination_keeps_the_survey_weight_after_exclusions() -> None:
    sc = content(combination="weighted", survey_weight="30")
    s = scores(sc, "64", {"26": "15", "27": "15"}, excluded=frozenset({"11"}))
    r = compute_index(sc, s, survey_held=True)
    assert r.index == r.appraised_points / 64 * 70 + 30
    plain = compute_index(content(), s, survey_held=True)
    assert plain.index == (plain.appraised_points + 30) / 94 * 100 != r.index


def test_bonus_and_penalty_points_move_the_index_within_0_100() -> None:
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
            "title": "Sáng kiến",
            "max_points": "2",
            "parent": "IX",
            "kind": "bonus",
            "rule": {"kind": "points", "step": "0.5"},
        },
        {"code": "X", "level": "field", "title": "Điểm trừ", "max_points": "3", "kind": "penalty"},
        {
            "code": "29",
            "level": "criterion",
            "title": "Vi phạm bị phê bình",
            "max_points": "3",
            "parent": "X",
            "kind": "penalty",
            "rule": {"kind": "points", "step": "1"},
        },
    ]
    sc = SetContent.from_dict(c)
    base = {c: p for c, (_, p) in plan_answers(sc, D(63)).items()}
    for bonus, penalty, expected in (("2", "0", "65"), ("0", "3", "60"), ("2", "1", "64")):
        s = UnitScores("U", "U", {**base, "28": D(bonus), "29": D(penalty)})
        r = compute_index(sc, s, survey_held=False)
        assert r.index == D(expected) / 70 * 100 and r.appraised_max == 70
    full = {c: p for c, (_, p) in plan_answers(sc, D(70)).items()}
    capped = compute_index(
        sc, UnitScores("U", "U", {**full, "28": D(2), "29": D(0)}), survey_held=False
    )
    assert capped.index == 100


def result(
    name: str,
    index: str,
    appraised: str = "60",
    survey: str = "0",
    fields: dict[str, Decimal | None] | None = None,
    self_points: str = "60",
) -> IndexResult:
    return IndexResult(
        unit_id=name,
        name=name,
        index=D(index),
        appraised_points=D(appraised),
        appraised_max=D(70),
        survey_points=D(survey),
        survey_max=D(0),
        bonus=D(0),
        penalty=D(0),
        self_points=D(self_points),
        rescaled=True,
        field_indices=fields or {},
        missing=(),
    )


def test_ties_without_tie_break_share_a_rank_and_are_reported() -> None:
    rows = rank(
        content(),
        [result("A", "91"), result("B", "90.004"), result("C", "89.996"), result("D", "85")],
    )
    assert [(r.result.name, r.rank, r.published_index) for r in rows] == [
        ("A", 1, D("91.00")),
        ("B", 2, D("90.00")),
        ("C", 2, D("90.00")),
        ("D", 4, D("85.00")),
    ]
    assert rows[1].tied_with == ("C",) and rows[2].tied_with == ("B",) and rows[0].tied_with == ()
    # the published figure 90,00 is Nhóm I whatever its unrounded tail
    assert [r.band.label for r in rows] == ["Nhóm I", "Nhóm I", "Nhóm I", "Nhóm II"]


@pytest.mark.parametrize(
    ("keys", "order", "ranks", "by"),
    [
        (["appraised_points"], ["B", "A"], [1, 2], "appraised_points"),
        (["self_gap"], ["A", "B"], [1, 2], "self_gap"),
        (["field:I"], ["A", "B"], [1, 2], "field:I"),
        (["survey_points"], ["A", "B"], [1, 1], None),  # equal on the only key: a tie
    ],
)
def test_tie_breaks_in_the_order_the_set_gives(
    keys: list[str], order: list[str], ranks: list[int], by: str | None
) -> None:
    a = result("A", "90", appraised="60", fields={"I": D(95)}, self_points="60")
    b = result("B", "90", appraised="61", fields={"I": D(90)}, self_points="65")
    rows = rank(content(tie_break=keys), [b, a])
    assert [r.result.name for r in rows] == order and [r.rank for r in rows] == ranks
    assert rows[1].separated_by == by
    assert bool(rows[0].tied_with) == (by is None)


def test_below_every_band_has_no_band_and_precision_is_the_sets() -> None:
    sc = content(bands=[{"code": "tot", "label": "Tốt", "min_index": "80"}], rank_precision=0)
    rows = rank(sc, [result("A", "79.5"), result("B", "79.4")])
    assert [(r.published_index, r.band.label if r.band else None) for r in rows] == [
        (D(80), "Tốt"),
        (D(79), None),
    ]
