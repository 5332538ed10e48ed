"""Regulation 366-QĐ/TW (30/08/2025) of the Politburo — replaces 124-QĐ/TW [R23][R27].

A 100-point frame: general group 30 + task-results group 70 [R24]. Bands as Decree 335, each
with task conditions: excellent ≥ 90 with 100 % of tasks on time and ≥ 30 % beyond requirements
(leaders: for the units they lead, and no sub-unit or leadership member disciplined) [R24][R25];
good 70–< 90 with 100 % on time and to quality; completed 50–< 70 with 100 % done and ≤ 20 %
late [R26]. How quarterly ratings roll up is not settled (DOMAIN §11.3): a tenant setting.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from assessment.domain.individual import scoring
from assessment.domain.individual.rules import common
from assessment.domain.individual.rules.base import Accumulator, Outcome, RatingFacts
from assessment.domain.individual.settings import IndividualSettings
from assessment.domain.kernel.values import Level

CODE = "party_366"
ISSUED = date(2025, 8, 30)  # [R27]

SRC_BANDS = "QĐ 366-QĐ/TW, Phụ lục (thang 100 điểm; ≥ 90 / 70–< 90 / 50–< 70) [R24][R26]"
SRC_EXCELLENT = (
    "QĐ 366-QĐ/TW (xuất sắc: 100 % đúng hạn, ≥ 30 % vượt; không ai bị kỷ luật) [R24][R25]"
)
SRC_GOOD = "QĐ 366-QĐ/TW (tốt: 100 % nhiệm vụ đúng hạn, bảo đảm chất lượng) [R26]"
SRC_COMPLETED = "QĐ 366-QĐ/TW (hoàn thành: 100 % nhiệm vụ, ≤ 20 % chậm) [R26]"
SRC_DISCIPLINE = "QĐ 366-QĐ/TW; NĐ 48/2023 (kỷ luật đảng và hành chính: một lần) [R15]"
SRC_HEAD = "QĐ 124/366-QĐ/TW (sau tập thể) [R19]; HD 21-HD/BTCTW (không cao hơn) [R18]"


class Party366:
    code = CODE
    title_vi = "Quy định 366-QĐ/TW"

    def evaluate(self, facts: RatingFacts, settings: IndividualSettings) -> Outcome:
        acc = Accumulator(self.code)
        if facts.score is None:
            acc.not_rated(SRC_BANDS, "chưa có điểm theo khung 100 điểm")
        else:
            level = scoring.band(facts.score)
            acc.suggested = level
            acc.score_based = True
            acc.cap(level, SRC_BANDS, f"điểm {facts.score}: mức '{level.label_vi}'")
            if facts.tasks is not None:
                _task_conditions(acc, facts)
        common.disciplined(acc, facts, SRC_DISCIPLINE)
        if settings.party_head_not_above_unit:
            common.head_after_unit(acc, facts, SRC_HEAD)
        return acc.outcome()


def _task_conditions(acc: Accumulator, facts: RatingFacts) -> None:
    tasks = facts.tasks
    assert tasks is not None
    done = tasks.total if tasks.done is None else tasks.done
    if done < tasks.total or tasks.pct(tasks.late) > 20:
        acc.cap(
            Level.NOT_COMPLETED, SRC_COMPLETED, "chưa hoàn thành 100 % nhiệm vụ hoặc > 20 % chậm"
        )
    elif tasks.on_time_quality < tasks.total:
        acc.cap(Level.COMPLETED, SRC_GOOD, "chưa 100 % nhiệm vụ đúng hạn, bảo đảm chất lượng")
    elif tasks.pct(tasks.exceeded) < Decimal(30) or (
        facts.position.is_leader and tasks.sub_units_disciplined
    ):
        acc.cap(
            Level.GOOD, SRC_EXCELLENT, "dưới 30 % vượt yêu cầu hoặc có đơn vị/cá nhân bị kỷ luật"
        )
