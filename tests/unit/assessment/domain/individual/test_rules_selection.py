"""Rule sets chosen by year, category and side (DOMAIN §0)."""

from __future__ import annotations

from datetime import date

import pytest

from assessment.domain.individual import rules
from assessment.domain.individual.errors import RuleSetUnavailable
from assessment.domain.individual.settings import IndividualSettings
from assessment.domain.individual.values import Category
from individual_builders import SETTINGS

CC, CB, VC = Category.CIVIL_SERVANT, Category.CADRE, Category.PUBLIC_EMPLOYEE


@pytest.mark.parametrize(
    ("year", "category", "decided_on", "code"),
    [
        (2020, CC, date(2020, 12, 10), "decree_90"),  # NĐ 90 from 20/08/2020 [R1]
        (2022, VC, date(2022, 12, 10), "decree_90"),
        (2023, CC, date(2023, 9, 14), "decree_90"),  # finalised before 15/09/2023 [R15]
        (2023, CC, date(2023, 9, 15), "decree_90_48"),  # NĐ 48 in force 15/09/2023 [R15]
        (2025, CB, None, "decree_90_48"),
        (2026, CC, None, "decree_335"),  # NĐ 335 from 01/01/2026, công chức [R28]
        (2026, CB, None, "decree_90_48"),  # UNCERTAIN: tenant default [DOMAIN §0]
        (2026, VC, None, "decree_90_48"),
    ],
)
def test_state_rule_set_by_year_and_category(
    year: int, category: Category, decided_on: date | None, code: str
) -> None:
    assert rules.select(year, category, SETTINGS, decided_on=decided_on).code == code


def test_non_civil_servants_from_2026_follow_the_tenant_setting() -> None:
    s = IndividualSettings(non_civil_servants_from_2026="decree_335")
    assert rules.select(2026, VC, s).code == "decree_335"


def test_texts_before_decree_90_are_refused_not_guessed() -> None:
    with pytest.raises(RuleSetUnavailable) as err:
        rules.select(2019, CC, SETTINGS)
    assert err.value.code == "individual.rule_set_unavailable"


def test_party_side_needs_the_province_to_enable_it() -> None:
    with pytest.raises(RuleSetUnavailable):
        rules.select(2025, CC, SETTINGS, side="party")
    on = IndividualSettings(party_rating_enabled=True)
    assert rules.select(2024, CC, on, side="party").code == "party_124"  # 124 of 04/10/2023
    assert rules.select(2025, CC, on, side="party").code == "party_366"  # 366 of 30/08/2025
    with pytest.raises(RuleSetUnavailable):
        rules.select(2022, CC, on, side="party")  # 132-QĐ/TW not implemented


def test_score_based_sets_and_quota_sources() -> None:
    assert rules.uses_score(rules.select(2026, CC, SETTINGS))
    assert not rules.uses_score(rules.select(2025, CC, SETTINGS))
    assert "R29" in rules.quota_source(rules.select(2026, CC, SETTINGS))
    assert "R16" in rules.quota_source(rules.select(2025, CC, SETTINGS))
