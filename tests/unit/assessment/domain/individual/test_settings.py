"""Tenant settings for the rules the sources leave open (DOMAIN §0, §3, §11)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from assessment.domain.individual.errors import InvalidInput
from assessment.domain.individual.settings import IndividualSettings
from assessment.domain.individual.tenant_settings import RatingSettings, settings_id_for
from assessment.domain.individual.values import PeriodKind
from builders import at
from individual_builders import HEAD_ACTOR, TENANT


def test_documented_defaults() -> None:
    s = IndividualSettings()
    assert s.decision_deadline(2024) == date(2024, 12, 15)  # [R9]
    assert s.excellent_quota_percent == Decimal(20)  # [R16][R29]
    assert s.quota_base_includes_excellent is False  # UNCERTAIN §3.3: literal text
    assert s.non_civil_servants_from_2026 == "decree_90_48"  # UNCERTAIN §0 / §11.1
    assert s.party_rating_enabled is False and s.party_head_not_above_unit is True
    assert s.scoring_period is PeriodKind.MONTH and s.annual_score_method == "mean"


@pytest.mark.parametrize(
    "values",
    [
        {"excellent_quota_percent": 20.5},  # float refused
        {"excellent_quota_percent": "120"},
        {"decision_deadline_day": 31, "decision_deadline_month": 2},
        {"non_civil_servants_from_2026": "decree_56"},
        {"annual_score_method": "max"},
        {"unknown": 1},
        {"party_rating_enabled": "yes"},
    ],
)
def test_bad_settings_are_refused(values: dict[str, object]) -> None:
    with pytest.raises(InvalidInput):
        IndividualSettings.from_dict(values)


def test_settings_round_trip_and_aggregate_change_with_basis() -> None:
    agg = RatingSettings.create(
        tenant=TENANT, actor=HEAD_ACTOR, occurred_at=at("2024-01-01T00:00Z")
    )
    assert agg.id == settings_id_for(TENANT) and agg.settings == IndividualSettings()
    agg.change(
        actor=HEAD_ACTOR,
        occurred_at=at("2024-01-02T00:00Z"),
        values={"excellent_quota_percent": "15", "scoring_period": "quarter"},
        basis="QĐ 30/2023/QĐ-UBND",
    )
    assert agg.settings.excellent_quota_percent == Decimal(15)
    assert agg.settings.scoring_period is PeriodKind.QUARTER
    with pytest.raises(InvalidInput):
        agg.change(
            actor=HEAD_ACTOR,
            occurred_at=at("2024-01-03T00:00Z"),
            values={"excellent_quota_percent": "x"},
            basis="QĐ 1",
        )
    assert agg.settings.excellent_quota_percent == Decimal(15)
    assert IndividualSettings.from_dict(agg.settings.to_dict()) == agg.settings
