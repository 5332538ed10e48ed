"""Time in service counted in exact calendar months (NĐ 90/2020 Điều 2, sửa đổi bởi NĐ 48/2023
[R10]: < 6 months worked → not rated; 3 to < 6 months absent → not "good" or above)."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.domain.individual.service_time import months, service_time


def test_second_half_of_a_year_is_exactly_six_months() -> None:
    assert months([(date(2024, 7, 1), date(2024, 12, 31))]) == 6


def test_first_half_of_a_common_year_is_exactly_six_months_despite_181_days() -> None:
    assert months([(date(2025, 1, 1), date(2025, 6, 30))]) == 6


def test_six_months_minus_a_day() -> None:
    assert months([(date(2024, 7, 2), date(2024, 12, 31))]) == Fraction(6) - Fraction(1, 31)


def test_overlapping_intervals_are_counted_once() -> None:
    spans = [(date(2024, 1, 1), date(2024, 3, 31)), (date(2024, 3, 1), date(2024, 4, 30))]
    assert months(spans) == 4


def test_employment_is_clipped_to_the_year_and_split_by_agency() -> None:
    st = service_time(
        2024,
        [(date(2019, 5, 1), date(2024, 4, 30), "A"), (date(2024, 5, 1), None, "B")],
        [],
    )
    assert st.employed == 12
    assert st.by_agency == {"A": 4, "B": 8}


def test_maternity_counts_toward_the_six_months_but_sick_leave_does_not() -> None:
    st = service_time(
        2024,
        [(date(2010, 1, 1), None, "A")],
        [
            ("maternity", date(2024, 1, 1), date(2024, 6, 30)),
            ("sick", date(2024, 7, 1), date(2024, 8, 31)),
        ],
    )
    assert st.maternity == 6 and st.absent == 2
    assert st.counted_for_rating == 10
    assert st.worked == 4


def test_absence_outside_employment_is_ignored() -> None:
    st = service_time(
        2024,
        [(date(2024, 7, 1), None, "A")],
        [("sick", date(2024, 1, 1), date(2024, 6, 30))],
    )
    assert st.absent == 0 and st.employed == 6


def test_a_day_both_sick_and_on_maternity_leave_counts_once_as_maternity() -> None:
    st = service_time(
        2024,
        [(date(2010, 1, 1), None, "A")],
        [
            ("maternity", date(2024, 3, 1), date(2024, 5, 31)),
            ("sick", date(2024, 5, 1), date(2024, 6, 30)),
        ],
    )
    assert st.maternity == 3 and st.absent == 1


def slow_months(spans: list[tuple[date, date]]) -> Fraction:
    """Day by day: each covered day adds 1 / (days in its month)."""
    import calendar
    from datetime import timedelta

    days: set[date] = set()
    for start, end in spans:
        d = start
        while d <= end:
            days.add(d)
            d += timedelta(days=1)
    return sum((Fraction(1, calendar.monthrange(d.year, d.month)[1]) for d in days), Fraction(0))


_day = st.dates(min_value=date(2023, 11, 1), max_value=date(2025, 2, 28))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_day, _day), min_size=0, max_size=4))
def test_months_equals_the_day_by_day_count(pairs: list[tuple[date, date]]) -> None:
    spans = [(min(a, b), max(a, b)) for a, b in pairs]
    assert months(spans) == slow_months(spans)
