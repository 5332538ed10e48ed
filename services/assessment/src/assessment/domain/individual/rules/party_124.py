"""Regulation 124-QĐ/TW (04/10/2023) of the Politburo — party-side rating of collectives and
individuals, replaced by 366-QĐ/TW (30/08/2025) [R23]. Used only where the province enables
party-side rating; criteria-based like Decree 90.
"""

from __future__ import annotations

from datetime import date

from assessment.domain.individual.rules import common
from assessment.domain.individual.rules.base import Accumulator, Outcome, RatingFacts
from assessment.domain.individual.settings import IndividualSettings

CODE = "party_124"
ISSUED = date(2023, 10, 4)  # [R23]

SRC_HEAD_AFTER = "QĐ 124-QĐ/TW (người đứng đầu xếp loại sau tập thể) [R19]"
SRC_HEAD_CAP = "HD 21-HD/BTCTW (không cao hơn tập thể) [R18] — QĐ 124 chưa rõ (thiết lập)"
SRC_DISCIPLINE = "QĐ 124-QĐ/TW; NĐ 48/2023 (kỷ luật đảng và hành chính: một lần) [R15]"
SRC_QUOTA = "HD 21-HD/BTCTW (xuất sắc ≤ 20 % số hoàn thành tốt) [R17][R18]"


class Party124:
    code = CODE
    title_vi = "Quy định 124-QĐ/TW"

    def evaluate(self, facts: RatingFacts, settings: IndividualSettings) -> Outcome:
        acc = Accumulator(self.code)
        common.disciplined(acc, facts, SRC_DISCIPLINE)
        if settings.party_head_not_above_unit:
            common.head_after_unit(acc, facts, f"{SRC_HEAD_AFTER}; {SRC_HEAD_CAP}")
        return acc.outcome()
