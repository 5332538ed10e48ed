"""Decree 90/2020 as amended by Decree 48/2023: bounds on the level, each with its source."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from assessment.domain.individual.errors import (
    HeadAboveUnit,
    LevelAboveCeiling,
    LevelForced,
    NotRateable,
    UnitResultPending,
)
from assessment.domain.individual.rules.base import TaskStats
from assessment.domain.individual.rules.decree_90_48 import Decree90
from assessment.domain.individual.service_time import service_time
from assessment.domain.individual.values import Category, Position
from assessment.domain.kernel.values import Level
from individual_builders import SETTINGS, facts, full_year

D90_48 = Decree90(amended_by_48=True)
D90 = Decree90(amended_by_48=False)


def employed_from(start: date, year: int = 2024) -> object:
    return service_time(year, [(start, None, "SNN")], [])


def test_d90_art2_six_months_minus_a_day_is_reviewed_not_rated() -> None:
    """NĐ 90 Điều 2 [R10]: 02/07–31/12 is 6 months minus a day → not rated."""
    out = D90_48.evaluate(facts(service=employed_from(date(2024, 7, 2))), SETTINGS)
    assert not out.rated
    out.check(None)
    with pytest.raises(NotRateable) as err:
        out.check(Level.COMPLETED)
    assert err.value.code == "individual.not_rateable"
    assert "R10" in err.value.detail


def test_d90_art2_exactly_six_months_is_rated() -> None:
    out = D90_48.evaluate(facts(service=employed_from(date(2024, 7, 1))), SETTINGS)
    assert out.rated
    out.check(Level.EXCELLENT)


def test_d90_art2_maternity_leave_does_not_stop_the_rating() -> None:
    """Maternity excepted [R10]: 8 months of maternity leave, still rated."""
    st = full_year(absent=(("maternity", date(2024, 1, 1), date(2024, 8, 31)),))
    out = D90_48.evaluate(facts(service=st), SETTINGS)
    assert out.rated and out.ceiling is Level.EXCELLENT


def test_d90_art2_seven_months_sick_is_not_rated() -> None:
    st = full_year(absent=(("sick", date(2024, 1, 1), date(2024, 7, 31)),))
    assert not D90_48.evaluate(facts(service=st), SETTINGS).rated


@pytest.mark.parametrize(
    ("end", "capped"),
    [
        (date(2024, 3, 31), True),  # exactly 3 months absent → capped
        (date(2024, 3, 30), False),  # 3 months minus a day → not capped
        (date(2024, 6, 29), True),  # 6 months minus a day absent → capped, still rated
    ],
)
def test_d90_art2_three_to_six_months_absent_is_not_above_completed(
    end: date, capped: bool
) -> None:
    st = full_year(absent=(("sick", date(2024, 1, 1), end),))
    out = D90_48.evaluate(facts(service=st), SETTINGS)
    assert out.rated
    if capped:
        out.check(Level.COMPLETED)
        with pytest.raises(LevelAboveCeiling) as err:
            out.check(Level.GOOD)
        assert err.value.code == "individual.level_above_ceiling"
    else:
        out.check(Level.EXCELLENT)


def test_d48_disciplined_excellent_proposal_is_refused() -> None:
    """NĐ 48/2023 [R15]: disciplined in the year → not completed, whatever is proposed."""
    out = D90_48.evaluate(facts(violations=("VP-2024-1",)), SETTINGS)
    assert out.forced is Level.NOT_COMPLETED
    with pytest.raises(LevelForced) as err:
        out.check(Level.EXCELLENT)
    assert err.value.code == "individual.level_forced"
    assert "R15" in err.value.detail and "VP-2024-1" in err.value.detail
    out.check(Level.NOT_COMPLETED)


def test_d90_before_48_does_not_force_discipline() -> None:
    """Results finalised before 15/09/2023 follow Decree 90 as issued [R15]."""
    out = D90.evaluate(facts(year=2022, violations=("VP-1",)), SETTINGS)
    assert out.forced is None
    assert out.rule_set == "decree_90"


def test_d90_degradation_forces_not_completed() -> None:
    out = D90_48.evaluate(facts(degraded=True), SETTINGS)
    with pytest.raises(LevelForced):
        out.check(Level.COMPLETED)


def test_d90_art15_public_employee_manager_with_corruption_in_unit() -> None:
    """NĐ 90 Điều 15 sửa đổi [R8]: corruption/waste in the managed unit → not completed."""
    out = D90_48.evaluate(
        facts(category=Category.PUBLIC_EMPLOYEE, position=Position.DEPUTY, unit_violation=True),
        SETTINGS,
    )
    assert out.forced is Level.NOT_COMPLETED


def test_head_rated_after_the_unit_pending_is_refused() -> None:
    """21-HD/BTCTW [R18]; NĐ 90 Điều 2 [R10]: a head waits for the unit's collective result."""
    with pytest.raises(UnitResultPending) as err:
        D90_48.evaluate(facts(position=Position.HEAD), SETTINGS)
    assert err.value.code == "individual.unit_result_pending"


def test_head_equal_to_unit_is_accepted_above_is_refused() -> None:
    out = D90_48.evaluate(facts(position=Position.HEAD, unit_level=Level.GOOD), SETTINGS)
    out.check(Level.GOOD)
    out.check(Level.COMPLETED)
    with pytest.raises(HeadAboveUnit) as err:
        out.check(Level.EXCELLENT)
    assert err.value.code == "individual.head_above_unit"
    assert out.highest is Level.GOOD


def test_deputy_is_not_capped_by_the_unit() -> None:
    out = D90_48.evaluate(facts(position=Position.DEPUTY), SETTINGS)
    out.check(Level.EXCELLENT)


@pytest.mark.parametrize(
    ("on_time", "exceeded", "highest"),
    [
        (10, 5, Level.EXCELLENT),  # 100 % on time, exactly 50 % exceeded [R7]
        (10, 4, Level.GOOD),  # 100 % on time, 40 % exceeded [R5]
        (9, 9, Level.COMPLETED),  # 10 % missed ≤ 20 % [R6]
        (8, 8, Level.COMPLETED),  # exactly 20 % missed [R6]
        (7, 7, Level.NOT_COMPLETED),  # 30 % missed: not "completed" [R6]
    ],
)
def test_d90_public_employee_task_thresholds(on_time: int, exceeded: int, highest: Level) -> None:
    out = D90_48.evaluate(
        facts(
            category=Category.PUBLIC_EMPLOYEE,
            tasks=TaskStats(total=10, on_time_quality=on_time, exceeded=exceeded),
        ),
        SETTINGS,
    )
    assert out.highest is highest


def test_d90_art15_half_of_tasks_missed_forces_not_completed() -> None:
    out = D90_48.evaluate(
        facts(category=Category.PUBLIC_EMPLOYEE, tasks=TaskStats(total=10, on_time_quality=5)),
        SETTINGS,
    )
    assert out.forced is Level.NOT_COMPLETED


@pytest.mark.parametrize(
    ("targets", "on_time", "highest"),
    [
        (Decimal(100), Decimal(80), Level.EXCELLENT),  # good criteria met [R5]
        (Decimal(100), Decimal(79), Level.COMPLETED),  # < 80 % on time [R5]
        (Decimal(71), None, Level.COMPLETED),  # > 70 % of targets [R6]
        (Decimal(70), None, Level.NOT_COMPLETED),  # not > 70 % [R6]
        (Decimal(49), None, Level.NOT_COMPLETED),  # < 50 % forced [R8]
    ],
)
def test_d90_public_employee_manager_thresholds(
    targets: Decimal, on_time: Decimal | None, highest: Level
) -> None:
    out = D90_48.evaluate(
        facts(
            category=Category.PUBLIC_EMPLOYEE,
            position=Position.DEPUTY,
            tasks=TaskStats(
                total=1,
                on_time_quality=1,
                unit_targets_pct=targets,
                unit_targets_on_time_pct=on_time,
            ),
        ),
        SETTINGS,
    )
    assert out.highest is highest


def test_d90_art4_cadre_excellent_needs_half_exceeded_and_managed_units() -> None:
    """NĐ 90 Điều 4 [R4]: 100 % of managed units ≥ completed, ≥ 70 % good or excellent."""
    good = TaskStats(
        total=4,
        on_time_quality=4,
        exceeded=2,
        managed_units=10,
        managed_units_completed=10,
        managed_units_good=7,
    )
    weak = TaskStats(
        total=4,
        on_time_quality=4,
        exceeded=2,
        managed_units=10,
        managed_units_completed=10,
        managed_units_good=6,
    )
    assert D90_48.evaluate(facts(category=Category.CADRE, tasks=good), SETTINGS).highest is (
        Level.EXCELLENT
    )
    assert D90_48.evaluate(facts(category=Category.CADRE, tasks=weak), SETTINGS).highest is (
        Level.GOOD
    )
