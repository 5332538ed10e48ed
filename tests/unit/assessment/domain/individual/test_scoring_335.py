"""Decree 335/2025 scoring [R30][R31][R32]: 30 + 70 points, 25 % deductions unless an objective
cause is confirmed, leaders' unit results, the year from its periods. Decimal throughout."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.domain.individual.errors import InvalidInput, ReasonRequired, SheetClosed
from assessment.domain.individual.scoring import (
    ProductResult,
    band,
    own_task_points,
    product_points,
    score_period,
    year_score,
)
from assessment.domain.individual.settings import IndividualSettings
from assessment.domain.individual.sheet import ScoreSheet, sheet_id_for
from assessment.domain.kernel.values import Level
from builders import at
from individual_builders import HEAD_ACTOR, PERSON_ACTOR, SETTINGS, TENANT, person

D = Decimal


def one(**kw: object) -> ProductResult:
    args: dict[str, object] = {"code": "SP1", "weight": D(1), "assigned": D(1), "completed": D(1)}
    args.update(kw)
    return ProductResult(**args)  # type: ignore[arg-type]


def test_nd335_full_marks_is_100() -> None:
    s = score_period(general=D(30), products=[one()], settings=SETTINGS)
    assert s.total == D("100.00")
    assert isinstance(s.total, Decimal)


def test_nd335_general_criteria_capped_at_30_and_tasks_at_70() -> None:
    s = score_period(general=D(45), products=[one(completed=D(5))], settings=SETTINGS)
    assert s.general == 30 and s.tasks == 70


def test_nd335_one_major_error_costs_a_quarter_of_the_quality_points() -> None:
    """[R30]: quality is one third of 70 by default → 70/3 × 25 % = 5.83 points."""
    s = score_period(general=D(30), products=[one(major_errors=1)], settings=SETTINGS)
    assert s.total == D("94.17")


def test_nd335_four_errors_take_all_quality_points_and_no_more() -> None:
    s = score_period(general=D(0), products=[one(major_errors=6)], settings=SETTINGS, detail=True)
    assert s.products[0].quality == 0
    assert s.total == D("46.67")


def test_nd335_each_delay_costs_a_quarter_of_the_progress_points() -> None:
    s = score_period(general=D(30), products=[one(delays=2)], settings=SETTINGS)
    assert s.total == D("88.33")


def test_nd335_objective_cause_confirmed_removes_the_deduction() -> None:
    s = score_period(general=D(30), products=[one(delays=2, excused_delays=2)], settings=SETTINGS)
    assert s.total == D("100.00")


def test_nd335_half_the_quantity_earns_half_of_each_measure() -> None:
    s = score_period(general=D(0), products=[one(assigned=D(4), completed=D(2))], settings=SETTINGS)
    assert s.total == D("35.00")


def test_nd335_products_are_weighted_by_converted_units() -> None:
    heavy = one(code="A", weight=D(3))
    missed = one(code="B", weight=D(1), completed=D(0))
    s = score_period(general=D(30), products=[heavy, missed], settings=SETTINGS)
    assert s.total == D("82.50")


def test_nd335_product_shares_are_a_tenant_setting() -> None:
    quality_only = IndividualSettings(
        product_share_quantity=D(0), product_share_quality=D(1), product_share_progress=D(0)
    )
    s = score_period(general=D(0), products=[one(major_errors=2)], settings=quality_only)
    assert s.total == D("35.00")


def test_nd335_leader_unit_results_100_percent_or_50_percent() -> None:
    """[R32]: all subordinates ≥ completed → 100 %; any not completed → 50 % (35 of the 70
    by default, half of it lost)."""
    full = score_period(general=D(30), products=[one()], settings=SETTINGS, leader=True)
    half = score_period(
        general=D(30),
        products=[one()],
        settings=SETTINGS,
        leader=True,
        subordinates_all_completed=False,
    )
    assert full.total == D("100.00")
    assert half.total == D("82.50")


def test_nd335_year_score_is_the_mean_of_scored_periods() -> None:
    totals = [D("90.00")] * 6 + [D("89.98")] * 6
    assert year_score(totals, SETTINGS) == D("89.99")
    assert band(year_score(totals, SETTINGS) or D(0)) is Level.GOOD
    assert year_score([], SETTINGS) is None
    assert year_score(totals, IndividualSettings(annual_score_method="min")) == D("89.98")


@pytest.mark.parametrize(
    ("general", "level"), [(D(20), Level.EXCELLENT), (D(0), Level.GOOD), (D("19.99"), Level.GOOD)]
)
def test_nd335_a_period_of_exactly_90_is_excellent(general: Decimal, level: Level) -> None:
    s = score_period(general=general, products=[one()], settings=SETTINGS)
    assert band(s.total) is level


def sheet() -> ScoreSheet:
    p = person()
    return ScoreSheet.open(
        tenant=TENANT,
        actor=HEAD_ACTOR,
        occurred_at=at("2026-01-31T17:00+07:00"),
        person_id=p.id,
        agency_id="SNN",
        year=2026,
        period_kind="month",
        period=1,
        leader=False,
        products=[
            {
                "code": "BC-01",
                "title": "Báo cáo tháng",
                "assigned": 1,
                "completed": "1",
                "major_errors": 1,
                "delays": 1,
            }
        ],
    )


def test_sheet_events_are_nested_and_carry_tenant_and_actor() -> None:
    s = sheet()
    events = s.collect_events()
    assert events[0].__class__.__qualname__ == "ScoreSheet.Opened"
    assert events[0].TOPIC == "assessment.ScoreSheet.Opened"  # type: ignore[attr-defined]
    assert events[0].tenant == TENANT and events[0].actor == HEAD_ACTOR  # type: ignore[attr-defined]
    assert s.id == sheet_id_for(s.person_id, 2026, "month", 1)


def test_sheet_objective_cause_then_approval_fixes_the_total() -> None:
    s = sheet()
    s.score_general(
        actor=HEAD_ACTOR, occurred_at=at("2026-02-01T08:00Z"), points="28", by_self=False
    )
    with pytest.raises(ReasonRequired):
        s.confirm_objective_cause(
            actor=HEAD_ACTOR,
            occurred_at=at("2026-02-01T08:00Z"),
            product_code="BC-01",
            kind="delay",
            count=1,
            reason=" ",
            reference="CV 1",
        )
    s.confirm_objective_cause(
        actor=HEAD_ACTOR,
        occurred_at=at("2026-02-01T08:00Z"),
        product_code="BC-01",
        kind="delay",
        count=1,
        reason="Chờ số liệu của Cục Thống kê",
        reference="CV 12/SNN",
    )
    with pytest.raises(InvalidInput):
        s.confirm_objective_cause(
            actor=HEAD_ACTOR,
            occurred_at=at("2026-02-01T08:00Z"),
            product_code="BC-01",
            kind="delay",
            count=1,
            reason="lần nữa",
            reference="CV 13",
        )
    result = s.approve(actor=HEAD_ACTOR, occurred_at=at("2026-02-02T08:00Z"), settings=SETTINGS)
    assert result.total == D("92.17")  # 28 + 70 − 5.83 (one error; the delay excused)
    assert s.approved_total == D("92.17")
    with pytest.raises(SheetClosed):
        s.score_general(
            actor=HEAD_ACTOR, occurred_at=at("2026-02-03T08:00Z"), points=30, by_self=False
        )
    s.reopen(actor=HEAD_ACTOR, occurred_at=at("2026-02-03T08:00Z"), reason="Sai số liệu")
    assert s.approved is None and s.history[0]["total"] == "92.17"


def test_sheet_refuses_float_points_and_out_of_range() -> None:
    s = sheet()
    with pytest.raises(InvalidInput):
        s.score_general(
            actor=PERSON_ACTOR, occurred_at=at("2026-02-01T08:00Z"), points=29.5, by_self=True
        )
    with pytest.raises(InvalidInput):
        s.score_general(
            actor=PERSON_ACTOR, occurred_at=at("2026-02-01T08:00Z"), points="31", by_self=True
        )


def test_sheet_before_2026_or_bad_period_is_refused() -> None:
    p = person()
    for year, period in ((2025, 1), (2026, 13)):
        with pytest.raises(InvalidInput):
            ScoreSheet.open(
                tenant=TENANT,
                actor=HEAD_ACTOR,
                occurred_at=at("2026-01-01T00:00Z"),
                person_id=p.id,
                agency_id="SNN",
                year=year,
                period_kind="month",
                period=period,
                leader=False,
            )


def test_sheet_approval_needs_general_criteria() -> None:
    with pytest.raises(InvalidInput):
        sheet().approve(actor=HEAD_ACTOR, occurred_at=at("2026-02-02T08:00Z"), settings=SETTINGS)


_product = st.builds(
    ProductResult,
    code=st.just("P"),
    weight=st.decimals(min_value=0, max_value=5, places=1),
    assigned=st.decimals(min_value=0, max_value=9, places=2),
    completed=st.decimals(min_value=0, max_value=9, places=2),
    major_errors=st.integers(0, 5),
    delays=st.integers(0, 5),
    excused_errors=st.integers(0, 2),
    excused_delays=st.integers(0, 2),
)
_share = st.decimals(min_value=0, max_value=3, places=2)


@settings(max_examples=300, deadline=None)
@given(st.lists(_product, max_size=6), _share, _share, _share, st.booleans())
def test_fast_task_points_equal_the_per_product_breakdown(
    products: list[ProductResult], sq: Decimal, sql: Decimal, spr: Decimal, leader: bool
) -> None:
    if sq + sql + spr == 0:
        sq = D(1)
    s = IndividualSettings(
        product_share_quantity=sq, product_share_quality=sql, product_share_progress=spr
    )
    budget = Fraction(35 if leader else 70)
    slow = sum((p.total for p in product_points(products, budget, s)), Fraction(0))
    assert own_task_points(products, budget, s) == slow


def test_approved_total_from_approval_events_alone_nd_335_r30() -> None:
    """NĐ 335/2025 [R30]: only an approved period counts; the last approval sets the total, a
    later reopening clears it — ``approved_total_of`` over the approval events equals
    ``ScoreSheet.approved_total`` at every step."""
    from assessment.domain.individual.sheet import APPROVAL_EVENTS, approved_total_of

    s = sheet()
    events: list[object] = []

    def quick() -> object:
        events.extend(s.collect_events())
        return approved_total_of(e for e in events if isinstance(e, APPROVAL_EVENTS))

    assert quick() is None and s.approved_total is None
    s.score_general(
        actor=HEAD_ACTOR, occurred_at=at("2026-02-01T08:00Z"), points="28", by_self=False
    )
    s.approve(actor=HEAD_ACTOR, occurred_at=at("2026-02-02T08:00Z"), settings=SETTINGS)
    assert quick() == s.approved_total is not None
    s.reopen(actor=HEAD_ACTOR, occurred_at=at("2026-02-03T08:00Z"), reason="Sai số liệu")
    assert quick() is None and s.approved_total is None
    s.score_general(
        actor=HEAD_ACTOR, occurred_at=at("2026-02-04T08:00Z"), points="20", by_self=False
    )
    s.approve(actor=HEAD_ACTOR, occurred_at=at("2026-02-05T08:00Z"), settings=SETTINGS)
    assert quick() == s.approved_total is not None
