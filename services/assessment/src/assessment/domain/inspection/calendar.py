"""A tenant's working-day calendar: weekends, public holidays, make-up working days.

A deadline that falls on a day off moves by the tenant's rule. The default,
``next_working_day``, follows the civil-law reading of time limits (Bộ luật Dân sự 2015,
Điều 148 khoản 5: when the last day of a period is a weekend or holiday, the period ends at the
end of the next working day); ``previous_working_day`` and ``unchanged`` exist for tenants whose
rules say otherwise. Counting is O(log H) per call (H = holidays listed), not day by day.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from typing import Any

from assessment.domain.kernel.errors import ValidationFailed
from assessment.domain.kernel.values import VN_TZ


class DeadlineRule(StrEnum):
    NEXT_WORKING_DAY = "next_working_day"
    PREVIOUS_WORKING_DAY = "previous_working_day"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class WorkingCalendar:
    """``weekend`` holds ISO weekday numbers minus one (Monday = 0 … Sunday = 6)."""

    holidays: frozenset[date] = frozenset()
    make_up_days: frozenset[date] = frozenset()
    weekend: frozenset[int] = frozenset({5, 6})
    deadline_rule: DeadlineRule = DeadlineRule.NEXT_WORKING_DAY
    tz: tzinfo = VN_TZ
    _holidays_sorted: tuple[date, ...] = field(default=(), init=False, repr=False, compare=False)
    _make_up_sorted: tuple[date, ...] = field(default=(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.weekend <= set(range(7)) or len(self.weekend) == 7:
            raise ValidationFailed(
                "ngày nghỉ cuối tuần phải là thứ trong tuần (0–6), không phải cả 7"
            )
        # only the days that change something: holidays on weekdays, make-up days on weekends
        object.__setattr__(
            self,
            "_holidays_sorted",
            tuple(sorted(d for d in self.holidays if d.weekday() not in self.weekend)),
        )
        object.__setattr__(
            self,
            "_make_up_sorted",
            tuple(
                sorted(
                    d
                    for d in self.make_up_days
                    if d.weekday() in self.weekend and d not in self.holidays
                )
            ),
        )

    @classmethod
    def parse(cls, data: dict[str, Any] | None) -> WorkingCalendar:
        data = data or {}
        try:
            rule = DeadlineRule(data.get("deadline_rule", DeadlineRule.NEXT_WORKING_DAY.value))
        except ValueError:
            allowed = ", ".join(r.value for r in DeadlineRule)
            raise ValidationFailed(
                f"quy tắc hạn rơi vào ngày nghỉ phải là một trong: {allowed}"
            ) from None
        try:
            holidays = frozenset(date.fromisoformat(d) for d in data.get("holidays", ()))
            make_up = frozenset(date.fromisoformat(d) for d in data.get("make_up_days", ()))
        except (TypeError, ValueError):
            raise ValidationFailed("ngày nghỉ lễ / ngày làm bù phải có dạng YYYY-MM-DD") from None
        weekend = frozenset(int(d) for d in data.get("weekend", (5, 6)))
        return cls(holidays, make_up, weekend, rule)

    def to_dict(self) -> dict[str, Any]:
        return {
            "holidays": sorted(d.isoformat() for d in self.holidays),
            "make_up_days": sorted(d.isoformat() for d in self.make_up_days),
            "weekend": sorted(self.weekend),
            "deadline_rule": self.deadline_rule.value,
        }

    def is_working_day(self, day: date) -> bool:
        if day in self.holidays:
            return False
        if day in self.make_up_days:
            return True
        return day.weekday() not in self.weekend

    def effective_deadline(self, day: date) -> date:
        """The day a deadline on ``day`` really ends, per the tenant's rule."""
        if self.deadline_rule is DeadlineRule.UNCHANGED or self.is_working_day(day):
            return day
        step = 1 if self.deadline_rule is DeadlineRule.NEXT_WORKING_DAY else -1
        moved = day
        for _ in range(400):
            moved += timedelta(days=step)
            if self.is_working_day(moved):
                return moved
        raise ValidationFailed("không tìm được ngày làm việc trong vòng 400 ngày")

    def end_of(self, day: date) -> datetime:
        """The last instant of ``day`` in the tenant's time zone (inclusive bound)."""
        return datetime.combine(day, time.max, tzinfo=self.tz)

    def local_date(self, moment: datetime) -> date:
        return moment.astimezone(self.tz).date()

    def _weekdays_in(self, start: date, end: date) -> int:
        """Days in ``(start, end]`` whose weekday is not a weekend day."""
        span = (end - start).days
        if span <= 0:
            return 0
        full, rest = divmod(span, 7)
        count = full * (7 - len(self.weekend))
        wd = start.weekday()
        for i in range(1, rest + 1):
            if (wd + i) % 7 not in self.weekend:
                count += 1
        return count

    @staticmethod
    def _between(days: tuple[date, ...], start: date, end: date) -> int:
        return bisect.bisect_right(days, end) - bisect.bisect_right(days, start)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in ``(start, end]``; 0 when ``end <= start``."""
        if end <= start:
            return 0
        return (
            self._weekdays_in(start, end)
            - self._between(self._holidays_sorted, start, end)
            + self._between(self._make_up_sorted, start, end)
        )
