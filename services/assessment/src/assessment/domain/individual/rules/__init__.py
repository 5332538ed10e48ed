"""Rule sets by legal text, chosen by evaluation year, category and side (state or party).

| side  | year        | category              | text                                          |
|-------|-------------|-----------------------|-----------------------------------------------|
| state | 2020–2025   | all                   | NĐ 90/2020; amended by NĐ 48/2023 when the    |
|       |             |                       | result is finalised from 15/09/2023           |
| state | 2026–       | công chức             | NĐ 335/2025                                   |
| state | 2026–       | cán bộ, viên chức     | tenant setting, default NĐ 90/48 (UNCERTAIN)  |
| party | 2023–2024   | all (if enabled)      | QĐ 124-QĐ/TW                                  |
| party | 2025–       | all (if enabled)      | QĐ 366-QĐ/TW                                  |

Earlier texts (NĐ 56/2015, 88/2017; QĐ 132-QĐ/TW) are not implemented: refused, not guessed.
"""

from __future__ import annotations

from datetime import date

from assessment.domain.individual.errors import RuleSetUnavailable
from assessment.domain.individual.rules import decree_90_48, decree_335, party_124, party_366
from assessment.domain.individual.rules.base import (
    Finding,
    Outcome,
    RatingFacts,
    RuleSet,
    TaskStats,
)
from assessment.domain.individual.settings import RULES_DECREE_335, IndividualSettings
from assessment.domain.individual.values import Category

__all__ = [
    "Finding",
    "Outcome",
    "RatingFacts",
    "RuleSet",
    "TaskStats",
    "quota_source",
    "select",
    "uses_score",
]

STATE = "state"
PARTY = "party"


def select(
    year: int,
    category: Category,
    settings: IndividualSettings,
    *,
    side: str = STATE,
    decided_on: date | None = None,
) -> RuleSet:
    if side == PARTY:
        if not settings.party_rating_enabled:
            raise RuleSetUnavailable("tỉnh chưa bật đánh giá theo quy định của Đảng (124/366)")
        if year >= party_366.ISSUED.year:
            return party_366.Party366()
        if year >= party_124.ISSUED.year:
            return party_124.Party124()
        raise RuleSetUnavailable(f"năm {year}: QĐ 132-QĐ/TW chưa được hỗ trợ")
    if side != STATE:
        raise RuleSetUnavailable(f"phía đánh giá '{side}' không hợp lệ (state | party)")
    if year < decree_90_48.EFFECTIVE.year:
        raise RuleSetUnavailable(f"năm {year}: NĐ 56/2015, 88/2017 chưa được hỗ trợ")
    if year >= decree_335.EFFECTIVE.year:
        if category is Category.CIVIL_SERVANT:
            return decree_335.Decree335()
        if settings.non_civil_servants_from_2026 == RULES_DECREE_335:
            return decree_335.Decree335()
    return decree_90_48.Decree90(amended_by_48=decree_90_48.amended(decided_on))


def uses_score(rule_set: RuleSet) -> bool:
    return rule_set.code in (decree_335.CODE, party_366.CODE)


def quota_source(rule_set: RuleSet) -> str:
    return {
        decree_335.CODE: decree_335.SRC_QUOTA,
        party_124.CODE: party_124.SRC_QUOTA,
        party_366.CODE: party_124.SRC_QUOTA,
    }.get(rule_set.code, decree_90_48.SRC_QUOTA)
