"""Time worked in a year, in exact calendar months (``Fraction``), for the time-in-service rules.

A month counts by the share of its days covered: 01/07–31/12 is exactly 6 months, 02/07–31/12 is
6 months minus a day (5 + 30/31). Sums of disjoint intervals add up the same way, so the six-
and three-month thresholds of NĐ 90/2020 (sửa đổi bởi NĐ 48/2023) [R10] are tested exactly.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

Interval = tuple[date, date]  # inclusive both ends


def clip(interval: Interval, year: int) -> Interval | None:
    start = max(interval[0], date(year, 1, 1))
    end = min(interval[1], date(year, 12, 31))
    return (start, end) if start <= end else None


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    out: list[Interval] = []
    for start, end in sorted(intervals):
        if out and start <= out[-1][1] + timedelta(days=1):
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def intersect(a: list[Interval], b: list[Interval]) -> list[Interval]:
    out: list[Interval] = []
    for s1, e1 in a:
        for s2, e2 in b:
            s, e = max(s1, s2), min(e1, e2)
            if s <= e:
                out.append((s, e))
    return merge(out)


def _share(days: int, in_month: int) -> Fraction | int:
    return 1 if days == in_month else Fraction(days, in_month)


def months(intervals: Iterable[Interval]) -> Fraction:
    """Calendar months covered by inclusive intervals (overlaps counted once)."""
    total: Fraction | int = 0
    for start, end in merge(intervals):
        first_len = calendar.monthrange(start.year, start.month)[1]
        if (start.year, start.month) == (end.year, end.month):
            total += _share(end.day - start.day + 1, first_len)
            continue
        last_len = calendar.monthrange(end.year, end.month)[1]
        between = (end.year * 12 + end.month) - (start.year * 12 + start.month) - 1
        total += _share(first_len - start.day + 1, first_len) + between + _share(end.day, last_len)
    return Fraction(total)


SIX_MONTHS = Fraction(6)
THREE_MONTHS = Fraction(3)


@dataclass(frozen=True)
class ServiceTime:
    """One person's year: months employed, absent (maternity apart) and per agency."""

    year: int
    employed: Fraction
    absent: Fraction  # sick and other absences inside employment
    maternity: Fraction
    by_agency: dict[str, Fraction]

    @property
    def worked(self) -> Fraction:
        """Actual working time (absences of every kind removed)."""
        return self.employed - self.absent - self.maternity

    @property
    def counted_for_rating(self) -> Fraction:
        """Time that counts toward the 6-month test: maternity leave does not reduce it [R10]."""
        return self.employed - self.absent


def service_time(
    year: int,
    employment: Iterable[tuple[date, date | None, str]],
    absences: Iterable[tuple[str, date, date]],
) -> ServiceTime:
    """``employment``: (start, end or None, agency id); ``absences``: (kind, start, end)."""
    per_agency: dict[str, list[Interval]] = {}
    for start, end, agency in employment:
        clipped = clip((start, end or date(year, 12, 31)), year)
        if clipped:
            per_agency.setdefault(agency, []).append(clipped)
    employed = merge(i for spans in per_agency.values() for i in spans)
    sick_other: list[Interval] = []
    maternity: list[Interval] = []
    for kind, start, end in absences:
        clipped = clip((start, end), year)
        if clipped:
            (maternity if kind == "maternity" else sick_other).append(clipped)
    sick_other_in = intersect(employed, merge(sick_other))
    maternity_in = intersect(employed, merge(maternity))
    # a day both sick and on maternity leave counts as maternity
    maternity_months = months(maternity_in)
    overlap = months(intersect(sick_other_in, maternity_in))
    return ServiceTime(
        year=year,
        employed=months(employed),
        absent=months(sick_other_in) - overlap,
        maternity=maternity_months,
        by_agency={agency: months(spans) for agency, spans in per_agency.items()},
    )
