"""Party-side frames: 124-QĐ/TW and 366-QĐ/TW (where the province enables them)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assessment.domain.individual.errors import HeadAboveUnit, LevelForced
from assessment.domain.individual.rules.base import TaskStats
from assessment.domain.individual.rules.party_124 import Party124
from assessment.domain.individual.rules.party_366 import Party366
from assessment.domain.individual.settings import IndividualSettings
from assessment.domain.individual.values import Position
from assessment.domain.kernel.values import Level
from individual_builders import facts

ON = IndividualSettings(party_rating_enabled=True)


def stats(**kw: int | bool) -> TaskStats:
    args: dict[str, int | bool] = {"total": 10, "on_time_quality": 10, "exceeded": 3, "late": 0}
    args.update(kw)
    return TaskStats(**args)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("score", "tasks", "level"),
    [
        ("90", stats(), Level.EXCELLENT),  # ≥ 90, 100 % on time, exactly 30 % beyond [R24]
        ("95", stats(exceeded=2), Level.GOOD),  # < 30 % beyond [R24][R25]
        ("95", stats(on_time_quality=9, late=1), Level.COMPLETED),  # not 100 % on time [R26]
        ("80", stats(on_time_quality=8, late=3), Level.NOT_COMPLETED),  # > 20 % late [R26]
        ("70", stats(), Level.GOOD),
        ("50", stats(), Level.COMPLETED),
    ],
)
def test_366_bands_with_task_conditions(score: str, tasks: TaskStats, level: Level) -> None:
    out = Party366().evaluate(facts(2025, score=Decimal(score), tasks=tasks), ON)
    assert out.highest is level
    out.check(level)


def test_366_leader_with_a_disciplined_sub_unit_is_not_excellent() -> None:
    out = Party366().evaluate(
        facts(
            2025,
            position=Position.DEPUTY,
            score=Decimal(95),
            tasks=stats(sub_units_disciplined=True),
        ),
        ON,
    )
    assert out.highest is Level.GOOD


def test_366_head_not_above_unit_is_a_setting_default_on() -> None:
    """UNCERTAIN (DOMAIN §3.4, §11.3): default from 21-HD/BTCTW [R18]."""
    f = facts(2025, position=Position.HEAD, score=Decimal(95), unit_level=Level.GOOD)
    with pytest.raises(HeadAboveUnit):
        Party366().evaluate(f, ON).check(Level.EXCELLENT)
    off = IndividualSettings(party_rating_enabled=True, party_head_not_above_unit=False)
    Party366().evaluate(f, off).check(Level.EXCELLENT)


def test_124_discipline_counts_once_and_forces_not_completed() -> None:
    out = Party124().evaluate(facts(2024, violations=("VP-1",)), ON)
    with pytest.raises(LevelForced):
        out.check(Level.GOOD)
