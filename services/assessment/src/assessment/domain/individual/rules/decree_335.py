"""Decree 335/2025/NĐ-CP (21/12/2025, in force 01/01/2026) — công chức in state agencies.

A 100-point score kept month by month or quarter by quarter (see ``scoring``); the year's score
suggests the level by band, and some cases are "not completed" whatever the score.
"""

from __future__ import annotations

from datetime import date

from assessment.domain.individual import scoring
from assessment.domain.individual.rules import common
from assessment.domain.individual.rules.base import Accumulator, Outcome, RatingFacts
from assessment.domain.individual.settings import IndividualSettings

CODE = "decree_335"
EFFECTIVE = date(2026, 1, 1)  # [R28]

SRC_BANDS = "NĐ 335/2025 (≥ 90 xuất sắc; 70–< 90 tốt; 50–< 70 hoàn thành; < 50) [R29]"
SRC_DISCIPLINE = "NĐ 335/2025 (bị kỷ luật từ khiển trách trở lên trong năm) [R29]"
SRC_DEGRADATION = "NĐ 335/2025 (suy thoái được cấp có thẩm quyền kết luận) [R29]"
SRC_UNIT_VIOLATION = "NĐ 335/2025 (lãnh đạo: tham nhũng, lãng phí trong đơn vị quản lý) [R29]"
SRC_TIME = (
    "NĐ 335/2025 (vắng mặt, ốm đau, thai sản: đánh giá theo thời gian công tác thực tế) [R33]; "
    "ngưỡng 6 tháng / 3 tháng theo NĐ 90/2020 [R10] (thiết lập của tỉnh)"
)
SRC_HEAD = "NĐ 335/2025 (lãnh đạo chấm theo kết quả đơn vị) [R32]; HD 21-HD/BTCTW [R18]"
SRC_QUOTA = "NĐ 335/2025 (xuất sắc ≤ 20 % số hoàn thành tốt, theo cơ quan và nhóm nhiệm vụ) [R29]"
SRC_SCORING = "NĐ 335/2025 (30 điểm tiêu chí chung + 70 điểm kết quả; trừ 25 %) [R30][R31][R32]"
SRC_DEADLINE = "NĐ 335/2025 (trước 15/12; cơ quan đặc thù trước 15/01 năm sau) [R33]"
SRC_NOTICE = "NĐ 335/2025 (thông báo cho cá nhân, công khai trong cơ quan, lưu hồ sơ) [R35]"


class Decree335:
    code = CODE
    title_vi = "Nghị định 335/2025/NĐ-CP"

    def evaluate(self, facts: RatingFacts, settings: IndividualSettings) -> Outcome:
        acc = Accumulator(self.code)
        if settings.extra.get("decree_335_six_month_rule", True):
            common.time_in_service(acc, facts, SRC_TIME)
        if acc.rated:
            if facts.score is None:
                acc.not_rated(SRC_SCORING, "chưa có điểm của kỳ nào trong năm (tháng/quý)")
            else:
                level = scoring.band(facts.score)
                acc.suggested = level
                acc.score_based = True
                acc.cap(level, SRC_BANDS, f"điểm năm {facts.score}: mức '{level.label_vi}'")
        common.disciplined(acc, facts, SRC_DISCIPLINE)
        common.degraded(acc, facts, SRC_DEGRADATION)
        common.unit_violation(acc, facts, SRC_UNIT_VIOLATION)
        common.head_after_unit(acc, facts, SRC_HEAD)
        return acc.outcome()
