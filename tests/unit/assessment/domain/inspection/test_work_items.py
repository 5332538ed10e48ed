"""Work items: derived status at the boundaries, working-day delays, figures per group."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.domain.inspection.calendar import DeadlineRule, WorkingCalendar
from assessment.domain.inspection.work_items import (
    ItemKind,
    ItemStatus,
    WorkItem,
    assess,
    figures,
)
from assessment.domain.kernel.errors import ValidationFailed
from assessment.domain.kernel.values import VN_TZ

# Tết 2024: Thu 8/2 … Wed 14/2 off; Sat 17/2 not a make-up day. 30/4 (Tue), 1/5 (Wed) off,
# Sat 4/5 a make-up working day (as in the 2024 swap of 29/4).
HOLIDAYS = {date(2024, 2, d) for d in range(8, 15)} | {
    date(2024, 4, 29),
    date(2024, 4, 30),
    date(2024, 5, 1),
}
CAL = WorkingCalendar(frozenset(HOLIDAYS), frozenset({date(2024, 5, 4)}))


def vn(y: int, m: int, d: int, hh: int = 0, mm: int = 0, ss: int = 0, us: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, ss, us, tzinfo=VN_TZ)


def item(**kw: object) -> WorkItem:
    base: dict[str, object] = dict(
        item_id="123/UBND-VP",
        person="pgd.nguyen-van-a",
        field="dat_dai",
        kind=ItemKind.DISPATCH,
        received_at=vn(2024, 3, 1, 8),
        deadline=date(2024, 3, 8),
    )
    base.update(kw)
    return WorkItem(**base)  # type: ignore[arg-type]


LATER = vn(2025, 1, 1)


def test_handled_at_the_last_instant_of_the_deadline_day_is_on_time() -> None:
    a = assess(item(handled_at=vn(2024, 3, 8, 23, 59, 59, 999999)), CAL, LATER)
    assert a.status is ItemStatus.ON_TIME and a.delay_working_days == 0


def test_handled_the_next_morning_is_one_working_day_late() -> None:
    a = assess(item(handled_at=vn(2024, 3, 9, 0, 0)), CAL, LATER)  # Saturday
    assert a.status is ItemStatus.LATE
    assert (a.delay_working_days, a.delay_calendar_days) == (0, 1)
    a = assess(item(handled_at=vn(2024, 3, 11, 9)), CAL, LATER)  # Monday
    assert (a.status, a.delay_working_days, a.delay_calendar_days) == (ItemStatus.LATE, 1, 3)


def test_a_moment_deadline_is_inclusive() -> None:
    deadline = vn(2024, 3, 8, 17, 0)
    assert assess(item(deadline=deadline, handled_at=deadline), CAL, LATER).status is (
        ItemStatus.ON_TIME
    )
    late = assess(item(deadline=deadline, handled_at=deadline + timedelta(seconds=1)), CAL, LATER)
    assert late.status is ItemStatus.LATE and late.delay_working_days == 0


def test_a_deadline_on_a_holiday_moves_to_the_next_working_day() -> None:
    it = item(received_at=vn(2024, 2, 1), deadline=date(2024, 2, 10))  # Sat during Tết
    on_15 = it.__class__(**{**_fields(it), "handled_at": vn(2024, 2, 15, 16)})
    assert assess(on_15, CAL, LATER).status is ItemStatus.ON_TIME  # Thu 15/2 = first working day
    on_16 = it.__class__(**{**_fields(it), "handled_at": vn(2024, 2, 16, 8)})
    a = assess(on_16, CAL, LATER)
    assert (a.status, a.delay_working_days) == (ItemStatus.LATE, 1)


def test_the_tenant_rule_can_move_it_back_or_keep_it() -> None:
    it = item(received_at=vn(2024, 2, 1), deadline=date(2024, 2, 10), handled_at=vn(2024, 2, 9))
    back = WorkingCalendar(CAL.holidays, deadline_rule=DeadlineRule.PREVIOUS_WORKING_DAY)
    keep = WorkingCalendar(CAL.holidays, deadline_rule=DeadlineRule.UNCHANGED)
    assert back.effective_deadline(date(2024, 2, 10)) == date(2024, 2, 7)
    assert assess(it, back, LATER).status is ItemStatus.LATE
    assert assess(it, keep, LATER).status is ItemStatus.ON_TIME
    assert assess(it, CAL, LATER).status is ItemStatus.ON_TIME


def test_a_moment_deadline_on_a_holiday_ends_with_the_moved_day() -> None:
    it = item(received_at=vn(2024, 4, 20), deadline=vn(2024, 4, 30, 10))
    done = it.__class__(**{**_fields(it), "handled_at": vn(2024, 5, 2, 23)})
    assert assess(done, CAL, LATER).status is ItemStatus.ON_TIME


def test_make_up_saturday_counts_as_a_working_day() -> None:
    assert CAL.is_working_day(date(2024, 5, 4))
    assert CAL.working_days_between(date(2024, 5, 3), date(2024, 5, 6)) == 2  # Sat 4 + Mon 6
    it = item(received_at=vn(2024, 5, 2), deadline=date(2024, 5, 3), handled_at=vn(2024, 5, 4))
    assert assess(it, CAL, LATER).delay_working_days == 1


def test_overdue_left_and_pending_depend_on_the_moment() -> None:
    it = item()
    assert assess(it, CAL, vn(2024, 3, 8, 23)).status is ItemStatus.PENDING
    a = assess(it, CAL, vn(2024, 3, 12, 10))
    assert (a.status, a.delay_working_days, a.left_untouched) == (ItemStatus.OVERDUE, 2, True)
    handled_later = item(handled_at=vn(2024, 3, 20))
    assert assess(handled_later, CAL, vn(2024, 3, 12)).status is ItemStatus.OVERDUE
    assert assess(handled_later, CAL, LATER).status is ItemStatus.LATE


def test_a_request_for_advice_is_complete_only_when_advised() -> None:
    it = item(kind=ItemKind.ADVICE_REQUEST, handled_at=vn(2024, 3, 5))
    a = assess(it, CAL, vn(2024, 3, 12))
    assert a.status is ItemStatus.OVERDUE and not a.left_untouched
    advised = item(
        kind=ItemKind.ADVICE_REQUEST, handled_at=vn(2024, 3, 5), advised_at=vn(2024, 3, 8, 17)
    )
    assert assess(advised, CAL, LATER).status is ItemStatus.ON_TIME


def test_passed_on_without_handling_is_counted_apart() -> None:
    it = item(passed_to="cv.tran-thi-b")
    assert assess(it, CAL, LATER).status is ItemStatus.PASSED_ON
    handled = item(passed_to="cv.tran-thi-b", handled_at=vn(2024, 3, 4))
    assert assess(handled, CAL, LATER).status is ItemStatus.ON_TIME


@pytest.mark.parametrize(
    "kw",
    [
        {"handled_at": vn(2024, 2, 1)},
        {"advised_at": vn(2024, 3, 2), "handled_at": vn(2024, 3, 3)},
        {"received_at": datetime(2024, 3, 1)},
    ],
)
def test_impossible_timestamps_are_refused(kw: dict[str, object]) -> None:
    with pytest.raises(ValidationFailed):
        item(**kw)


def test_figures_per_person_field_and_year() -> None:
    items = [
        item(item_id="1", handled_at=vn(2024, 3, 8, 12)),
        item(item_id="2", handled_at=vn(2024, 3, 13)),  # 3 working days late
        item(item_id="3"),  # overdue, left
        item(item_id="4", passed_to="cv.b"),
        item(item_id="5", deadline=None, handled_at=vn(2024, 3, 2)),
        item(item_id="6", person="gd.le-van-c", handled_at=vn(2024, 3, 1, 9)),
        item(
            item_id="7",
            received_at=vn(2023, 6, 1),
            deadline=date(2023, 6, 5),
            handled_at=vn(2023, 6, 5),
        ),
        item(item_id="8", received_at=vn(2025, 6, 1)),  # after as_of: not counted
    ]
    as_of = vn(2024, 3, 15)
    by_person = figures(items, CAL, as_of, by=("person",))
    a = by_person[("pgd.nguyen-van-a",)]
    assert (a.total, a.on_time, a.late, a.overdue, a.passed_on, a.no_deadline) == (6, 2, 1, 1, 1, 1)
    assert a.left_untouched == 1 and a.passed_to == {"cv.b": 1}
    assert a.due == 4 and a.on_time_share == 0.5
    assert (a.delay_working_days_total, a.delay_working_days_max) == (3 + 5, 5)
    assert by_person[("gd.le-van-c",)].on_time_share == 1.0
    by_year = figures(items, CAL, as_of, by=("person", "year"))
    assert by_year[("pgd.nguyen-van-a", 2023)].on_time == 1
    assert by_year[("pgd.nguyen-van-a", 2024)].total == 5
    assert set(figures(items, CAL, as_of, by=())) == {()}
    with pytest.raises(ValidationFailed):
        figures(items, CAL, as_of, by=("colour",))


def test_round_trip_through_dict() -> None:
    for it in (item(handled_at=vn(2024, 3, 2), passed_to="x"), item(deadline=vn(2024, 3, 9, 17))):
        assert WorkItem.from_dict(it.to_dict()) == it


def _fields(it: WorkItem) -> dict[str, object]:
    return {name: getattr(it, name) for name in WorkItem.__slots__}


@settings(max_examples=200, deadline=None)
@given(st.dates(date(2023, 1, 1), date(2026, 12, 31)), st.integers(0, 120))
def test_working_days_count_matches_a_day_by_day_count(start: date, span: int) -> None:
    end = start + timedelta(days=span)
    naive = sum(1 for i in range(1, span + 1) if CAL.is_working_day(start + timedelta(days=i)))
    assert CAL.working_days_between(start, end) == naive


@settings(max_examples=100, deadline=None)
@given(st.dates(date(2024, 1, 1), date(2024, 12, 31)))
def test_an_effective_deadline_is_a_working_day_not_before_the_deadline(day: date) -> None:
    moved = CAL.effective_deadline(day)
    assert CAL.is_working_day(moved) and moved >= day
    assert all(not CAL.is_working_day(day + timedelta(days=i)) for i in range((moved - day).days))


def test_several_groupings_in_one_pass_equal_separate_passes() -> None:
    from assessment.domain.inspection.work_items import figures_by

    items = [
        item(
            item_id=str(i),
            person=f"p{i % 3}",
            field=f"f{i % 2}",
            handled_at=vn(2024, 3, 1 + i % 20, 9) if i % 4 else None,
        )
        for i in range(40)
    ]
    as_of = vn(2024, 3, 25)
    one, two = figures_by(items, CAL, as_of, ("person",), ("person", "field"))
    assert one == figures(items, CAL, as_of, by=("person",))
    assert two == figures(items, CAL, as_of, by=("person", "field"))
