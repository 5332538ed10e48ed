"""Rules whose wording several texts share; each caller passes its own legal source."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from assessment.domain.individual.rules.base import Accumulator, RatingFacts
from assessment.domain.individual.service_time import SIX_MONTHS, THREE_MONTHS
from assessment.domain.individual.values import Position
from assessment.domain.kernel.values import Level


def _months(value: Fraction) -> str:
    """Display only (two decimals); the thresholds are compared exactly."""
    shown = (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"))
    return str(shown).rstrip("0").rstrip(".")


def time_in_service(acc: Accumulator, facts: RatingFacts, source: str) -> None:
    """< 6 months worked in the year: reviewed, not rated (maternity leave does not count
    against it); 3 to < 6 months absent: not "good" or above."""
    counted = facts.service.counted_for_rating
    if counted < SIX_MONTHS:
        acc.not_rated(
            source,
            f"thời gian công tác trong năm {_months(counted)} tháng (dưới 6 tháng): "
            "chỉ kiểm điểm, không xếp loại",
        )
        return
    absent = facts.service.absent
    if THREE_MONTHS <= absent < SIX_MONTHS:
        acc.cap(
            Level.COMPLETED,
            source,
            f"vắng mặt {_months(absent)} tháng (từ 3 đến dưới 6 tháng): "
            "không xếp loại từ 'hoàn thành tốt nhiệm vụ' trở lên",
        )


def disciplined(acc: Accumulator, facts: RatingFacts, source: str) -> None:
    if facts.violations:
        acc.force(
            Level.NOT_COMPLETED,
            source,
            "bị kỷ luật trong năm đánh giá (mỗi hành vi vi phạm chỉ tính một lần, một năm): "
            + ", ".join(facts.violations),
        )


def degraded(acc: Accumulator, facts: RatingFacts, source: str) -> None:
    if facts.degraded:
        acc.force(
            Level.NOT_COMPLETED,
            source,
            "có biểu hiện suy thoái về tư tưởng chính trị, đạo đức, lối sống được cấp có "
            "thẩm quyền kết luận",
        )


def unit_violation(acc: Accumulator, facts: RatingFacts, source: str) -> None:
    if facts.position.is_leader and facts.unit_violation:
        acc.force(
            Level.NOT_COMPLETED,
            source,
            "để xảy ra tham nhũng, lãng phí trong cơ quan, đơn vị được giao quản lý, "
            "đã bị xử lý theo quy định",
        )


def head_after_unit(acc: Accumulator, facts: RatingFacts, source: str) -> None:
    if facts.position is Position.HEAD and acc.rated:
        acc.cap_by_unit(facts.unit_level, source)
