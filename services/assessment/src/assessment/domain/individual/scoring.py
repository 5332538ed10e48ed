"""Decree 335/2025 scoring: 100 points per month or quarter, the year from its periods.

- General criteria up to 30 points; task results up to 70 [R31].
- Task results compare completed with assigned products (in converted units), each measured on
  quantity, quality and progress; each major content error costs 25 % of that product's quality
  points and each delay 25 % of its progress points, unless the competent level confirmed an
  objective cause [R30].
- Leaders are also scored on their unit's results: 100 % when every subordinate is at least
  "completed", 50 % when any is "not completed" [R32].
- Bands: ≥ 90 excellent; 70–< 90 good; 50–< 70 completed; < 50 not completed [R29].

Inputs and results are ``Decimal`` (never float); in between the arithmetic is exact
(``Fraction``: thirds stay thirds), and the period and the year are rounded half-up to cents.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from assessment.domain.individual.settings import IndividualSettings
from assessment.domain.kernel.values import Level

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


def exact(value: Decimal | int) -> Fraction:
    return Fraction(value)


def cents(value: Fraction) -> Decimal:
    """Round an exact value half up to two places: 48.125 is 48.13 however it was reached
    (28-digit Decimal division by 3 would leave 48.12499…)."""
    sign = -1 if value < 0 else 1
    hundredths = math.floor(abs(value) * 100 + Fraction(1, 2))
    return Decimal(sign * hundredths).scaleb(-2)


def approx(value: Fraction) -> Decimal:
    """An exact value shown as a Decimal (28 significant digits); for display only."""
    return Decimal(value.numerator) / Decimal(value.denominator)


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
    def completion(self) -> Fraction:
        if self.assigned <= 0:
            return Fraction(0)
        return min(Fraction(1), exact(self.completed) / exact(self.assigned))


@dataclass(frozen=True)
class ProductPoints:
    """A product's points, exact (``Fraction``); ``cents``/``approx`` turn them into Decimal."""

    code: str
    quantity: Fraction
    quality: Fraction
    progress: Fraction

    @property
    def total(self) -> Fraction:
        return self.quantity + self.quality + self.progress


def product_points(
    products: Sequence[ProductResult], budget: Fraction, settings: IndividualSettings
) -> list[ProductPoints]:
    """Share ``budget`` points over the products by weight, then over quantity/quality/progress
    by the tenant's shares. Quality and progress are earned on the completed part."""
    total_weight = sum((exact(p.weight) for p in products), Fraction(0))
    if total_weight <= 0:
        return []
    shares = (
        exact(settings.product_share_quantity),
        exact(settings.product_share_quality),
        exact(settings.product_share_progress),
    )
    share_total = sum(shares, Fraction(0))
    error_penalty, delay_penalty = exact(ERROR_PENALTY), exact(DELAY_PENALTY)
    out = []
    for p in products:
        points = budget * exact(p.weight) / total_weight
        q_max, ql_max, pr_max = (points * s / share_total for s in shares)
        done = p.completion
        quality_factor = max(Fraction(0), 1 - error_penalty * p.counted_errors)
        progress_factor = max(Fraction(0), 1 - delay_penalty * p.counted_delays)
        out.append(
            ProductPoints(
                code=p.code,
                quantity=q_max * done,
                quality=ql_max * done * quality_factor,
                progress=pr_max * done * progress_factor,
            )
        )
    return out


def own_task_points(
    products: Sequence[ProductResult], budget: Fraction, settings: IndividualSettings
) -> Fraction:
    """The sum of ``product_points`` totals, in integer arithmetic (one exact fraction, no
    per-product ``Fraction`` objects): a period's own tasks are scored fast and exactly."""
    weight_n, weight_d = 0, 1
    share_q, share_ql, share_pr = (
        settings.product_share_quantity.as_integer_ratio(),
        settings.product_share_quality.as_integer_ratio(),
        settings.product_share_progress.as_integer_ratio(),
    )
    # shares over a common denominator: s = (sq, sql, spr) / sd
    sd = share_q[1] * share_ql[1] * share_pr[1]
    sq = share_q[0] * share_ql[1] * share_pr[1]
    sql = share_ql[0] * share_q[1] * share_pr[1]
    spr = share_pr[0] * share_q[1] * share_ql[1]
    num, den = 0, 1
    for p in products:
        wn, wd = p.weight.as_integer_ratio()
        weight_n, weight_d = weight_n * wd + wn * weight_d, weight_d * wd
        if p.assigned <= 0 or wn == 0:
            continue
        an, ad = p.assigned.as_integer_ratio()
        cn, cd = min(p.completed, p.assigned).as_integer_ratio()
        quality4 = max(0, 4 - p.counted_errors)  # 25 % per counted error [R30]
        progress4 = max(0, 4 - p.counted_delays)  # 25 % per counted delay [R30]
        # weight × (completed / assigned) × (4·sq + sql·quality4 + spr·progress4) / 4
        n = wn * cn * ad * (4 * sq + sql * quality4 + spr * progress4)
        d = wd * cd * an * 4
        num, den = num * d + n * den, den * d
    if weight_n <= 0:
        return Fraction(0)
    share_total = sq + sql + spr
    return budget * Fraction(num * weight_d * sd, den * weight_n * share_total) / sd


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
    detail: bool = False,
) -> PeriodScore:
    """One month's or quarter's score. A leader's 70 task points split between their own tasks
    and their unit's results by the tenant's weight (no source fixes it, see settings).
    ``detail`` adds each product's quantity/quality/progress points."""
    general = min(max(general, ZERO), GENERAL_MAX)
    tasks_max = exact(TASKS_MAX)
    if leader:
        unit_budget = tasks_max * exact(settings.leader_unit_results_weight)
        own_budget = tasks_max - unit_budget
        unit_factor = UNIT_ALL_COMPLETED if subordinates_all_completed else UNIT_SOME_NOT_COMPLETED
        unit_points = unit_budget * exact(unit_factor)
    else:
        own_budget, unit_points = tasks_max, Fraction(0)
    points = product_points(products, own_budget, settings) if detail else []
    tasks = own_task_points(products, own_budget, settings) + unit_points
    return PeriodScore(
        general=cents(exact(general)), tasks=cents(min(tasks, tasks_max)), products=tuple(points)
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
