"""Decree 335/2025 scoring: 100 points per month or quarter, the year from its periods.

- General criteria up to 30 points; task results up to 70 [R31].
- Task results compare completed with assigned products (in converted units), each measured on
  quantity, quality and progress; each major content error costs 25 % of that product's quality
  points and each delay 25 % of its progress points, unless the competent level confirmed an
  objective cause [R30].
- Leaders are also scored on their unit's results: 100 % when every subordinate is at least
  "completed", 50 % when any is "not completed" [R32].
- Bands: ≥ 90 excellent; 70–< 90 good; 50–< 70 completed; < 50 not completed [R29].

Every figure is a ``Decimal``; the period and the year are rounded half-up to two places.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from assessment.domain.individual.settings import IndividualSettings
from assessment.domain.values import Level

GENERAL_MAX = Decimal(30)  # NĐ 335/2025, nhóm tiêu chí chung [R31]
TASKS_MAX = Decimal(70)  # NĐ 335/2025, nhóm kết quả thực hiện nhiệm vụ [R31]
ERROR_PENALTY = Decimal("0.25")  # mỗi lỗi lớn về nội dung: trừ 25 % điểm chất lượng [R30]
DELAY_PENALTY = Decimal("0.25")  # mỗi lần chậm tiến độ: trừ 25 % điểm tiến độ [R30]
UNIT_ALL_COMPLETED = Decimal(1)  # lãnh đạo: mọi cấp dưới từ "hoàn thành" trở lên → 100 % [R32]
UNIT_SOME_NOT_COMPLETED = Decimal("0.5")  # có cấp dưới "không hoàn thành" → 50 % [R32]
BAND_EXCELLENT = Decimal(90)  # [R29]
BAND_GOOD = Decimal(70)  # [R29]
BAND_COMPLETED = Decimal(50)  # [R29]
CENT = Decimal("0.01")
ZERO = Decimal(0)
ONE = Decimal(1)


def rounded(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ProductResult:
    """One product or task of a period: assigned vs completed, errors and delays."""

    code: str
    weight: Decimal  # converted units (sản phẩm quy đổi)
    assigned: Decimal
    completed: Decimal
    major_errors: int = 0
    delays: int = 0
    excused_errors: int = 0  # objective cause confirmed by the competent level
    excused_delays: int = 0

    @property
    def counted_errors(self) -> int:
        return max(0, self.major_errors - self.excused_errors)

    @property
    def counted_delays(self) -> int:
        return max(0, self.delays - self.excused_delays)

    @property
    def completion(self) -> Decimal:
        if self.assigned <= 0:
            return ZERO
        return min(ONE, self.completed / self.assigned)


@dataclass(frozen=True)
class ProductPoints:
    code: str
    quantity: Decimal
    quality: Decimal
    progress: Decimal

    @property
    def total(self) -> Decimal:
        return self.quantity + self.quality + self.progress


def product_points(
    products: Sequence[ProductResult], budget: Decimal, settings: IndividualSettings
) -> list[ProductPoints]:
    """Share ``budget`` points over the products by weight, then over quantity/quality/progress
    by the tenant's shares. Quality and progress are earned on the completed part."""
    total_weight = sum((p.weight for p in products), ZERO)
    if total_weight <= 0:
        return []
    shares = (
        settings.product_share_quantity,
        settings.product_share_quality,
        settings.product_share_progress,
    )
    share_total = sum(shares, ZERO)
    out = []
    for p in products:
        points = budget * p.weight / total_weight
        q_max, ql_max, pr_max = (points * s / share_total for s in shares)
        done = p.completion
        quality_factor = max(ZERO, ONE - ERROR_PENALTY * p.counted_errors)
        progress_factor = max(ZERO, ONE - DELAY_PENALTY * p.counted_delays)
        out.append(
            ProductPoints(
                code=p.code,
                quantity=q_max * done,
                quality=ql_max * done * quality_factor,
                progress=pr_max * done * progress_factor,
            )
        )
    return out


@dataclass(frozen=True)
class PeriodScore:
    general: Decimal
    tasks: Decimal
    products: tuple[ProductPoints, ...]

    @property
    def total(self) -> Decimal:
        return rounded(self.general + self.tasks)


def score_period(
    *,
    general: Decimal,
    products: Sequence[ProductResult],
    settings: IndividualSettings,
    leader: bool = False,
    subordinates_all_completed: bool = True,
) -> PeriodScore:
    """One month's or quarter's score. A leader's 70 task points split between their own tasks
    and their unit's results by the tenant's weight (no source fixes it, see settings)."""
    general = min(max(general, ZERO), GENERAL_MAX)
    if leader:
        unit_budget = TASKS_MAX * settings.leader_unit_results_weight
        own_budget = TASKS_MAX - unit_budget
        unit_factor = UNIT_ALL_COMPLETED if subordinates_all_completed else UNIT_SOME_NOT_COMPLETED
        unit_points = unit_budget * unit_factor
    else:
        own_budget, unit_points = TASKS_MAX, ZERO
    points = product_points(products, own_budget, settings)
    tasks = sum((p.total for p in points), ZERO) + unit_points
    return PeriodScore(
        general=rounded(general), tasks=rounded(min(tasks, TASKS_MAX)), products=tuple(points)
    )


def year_score(period_totals: Iterable[Decimal], settings: IndividualSettings) -> Decimal | None:
    """The year's score from the scored periods (periods not worked are left out [R33])."""
    totals = list(period_totals)
    if not totals:
        return None
    if settings.annual_score_method == "min":
        return rounded(min(totals))
    return rounded(sum(totals, ZERO) / len(totals))


def band(score: Decimal) -> Level:
    """NĐ 335/2025 [R29]: ≥ 90 / 70–< 90 / 50–< 70 / < 50."""
    if score >= BAND_EXCELLENT:
        return Level.EXCELLENT
    if score >= BAND_GOOD:
        return Level.GOOD
    if score >= BAND_COMPLETED:
        return Level.COMPLETED
    return Level.NOT_COMPLETED
