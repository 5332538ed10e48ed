"""Decree 335/2025 (from 01/01/2026): bands by score and the cases 'not completed' whatever
the score [R29]."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assessment.domain.individual.errors import (
    HeadAboveUnit,
    LevelForced,
    LevelNotMatchingScore,
    NotRateable,
)
from assessment.domain.individual.rules.decree_335 import Decree335
from assessment.domain.individual.settings import IndividualSettings
from assessment.domain.individual.values import Position
from assessment.domain.kernel.values import Level
from individual_builders import SETTINGS, facts

D335 = Decree335()


@pytest.mark.parametrize(
    ("score", "level"),
    [
        ("90", Level.EXCELLENT),
        ("89.99", Level.GOOD),
        ("70", Level.GOOD),
        ("69.99", Level.COMPLETED),
        ("50", Level.COMPLETED),
        ("49.99", Level.NOT_COMPLETED),
        ("100", Level.EXCELLENT),
        ("0", Level.NOT_COMPLETED),
    ],
)
def test_nd335_bands_at_their_boundaries(score: str, level: Level) -> None:
    """NĐ 335 [R29]: ≥ 90 / 70–< 90 / 50–< 70 / < 50; the level must match the score."""
    out = D335.evaluate(facts(2026, score=Decimal(score)), SETTINGS)
    assert out.suggested is level and out.highest is level
    out.check(level)


def test_nd335_level_below_the_band_is_refused_too() -> None:
    out = D335.evaluate(facts(2026, score=Decimal(90)), SETTINGS)
    with pytest.raises(LevelNotMatchingScore) as err:
        out.check(Level.GOOD)
    assert err.value.code == "individual.level_not_matching_score"


def test_nd335_reprimand_makes_95_points_not_completed() -> None:
    """NĐ 335 [R29]: reprimand or higher in the year → not completed regardless of score."""
    out = D335.evaluate(facts(2026, score=Decimal(95), violations=("VP-7",)), SETTINGS)
    with pytest.raises(LevelForced):
        out.check(Level.EXCELLENT)
    out.check(Level.NOT_COMPLETED)


def test_nd335_degradation_makes_any_score_not_completed() -> None:
    out = D335.evaluate(facts(2026, score=Decimal(92), degraded=True), SETTINGS)
    assert out.highest is Level.NOT_COMPLETED


def test_nd335_leader_with_corruption_in_the_unit_is_not_completed() -> None:
    out = D335.evaluate(
        facts(2026, position=Position.DEPUTY, score=Decimal(91), unit_violation=True), SETTINGS
    )
    assert out.forced is Level.NOT_COMPLETED


def test_nd335_staff_is_not_touched_by_a_unit_violation() -> None:
    out = D335.evaluate(facts(2026, score=Decimal(91), unit_violation=True), SETTINGS)
    assert out.forced is None


def test_nd335_head_with_92_points_in_a_good_unit_is_good() -> None:
    out = D335.evaluate(
        facts(2026, position=Position.HEAD, score=Decimal(92), unit_level=Level.GOOD), SETTINGS
    )
    with pytest.raises(HeadAboveUnit):
        out.check(Level.EXCELLENT)
    out.check(Level.GOOD)


def test_nd335_no_scored_period_means_not_rated() -> None:
    out = D335.evaluate(facts(2026), SETTINGS)
    assert not out.rated
    with pytest.raises(NotRateable):
        out.check(Level.GOOD)


def test_nd335_six_month_rule_is_a_tenant_setting() -> None:
    from datetime import date

    from individual_builders import full_year

    st = full_year(2026, absent=(("sick", date(2026, 1, 1), date(2026, 7, 31)),))
    assert not D335.evaluate(facts(2026, service=st, score=Decimal(80)), SETTINGS).rated
    off = IndividualSettings(extra={"decree_335_six_month_rule": False})
    assert D335.evaluate(facts(2026, service=st, score=Decimal(80)), off).rated
