"""Work items of the persons inspected and the figures derived from them (seed 003, §6.3).

Seed 003 asks the team to examine "thời gian xử lý công việc (từ tiếp nhận, xử lý và tham mưu)"
of each head and deputy. A work item stores only facts — received, handled and advised moments,
the deadline that applied, to whom it was passed on — and every status is derived as of a
moment, never entered (DOMAIN.md §6.3 design note):

* an item is **complete** when its last required step is done: *handled* for a dispatch
  (văn bản đến), *advised* (tham mưu, submitted) for a task assigned by the province or a
  request for advice;
* a date deadline ends at the last instant of its (calendar-moved) day, tenant time; a moment
  deadline is inclusive: completing **exactly at the deadline is on time**;
* **on time** / **late**: complete by / after the deadline; **overdue**: not complete and the
  deadline has passed; **pending**: not complete, not yet due; **passed on** (đùn đẩy): sent on
  to someone else without being handled — outside the on-time share, counted apart;
  **left**: overdue with no step done at all;
* **days of delay**: working days after the deadline day up to the completion (or the as-of)
  day, by the tenant's calendar;
* moments after ``as_of`` have not happened yet; an item received after ``as_of`` is not counted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from assessment.domain.inspection.calendar import WorkingCalendar
from assessment.domain.kernel.errors import ValidationFailed


class ItemKind(StrEnum):
    DISPATCH = "van_ban_den"  # văn bản đến cần xử lý
    ASSIGNED_TASK = "nhiem_vu_duoc_giao"  # nhiệm vụ UBND tỉnh / Tỉnh ủy giao
    ADVICE_REQUEST = "de_nghi_tham_muu"  # đề nghị tham mưu

    @property
    def needs_advice(self) -> bool:
        return self is not ItemKind.DISPATCH


KIND_LABELS = {
    ItemKind.DISPATCH: "Văn bản đến",
    ItemKind.ASSIGNED_TASK: "Nhiệm vụ được giao",
    ItemKind.ADVICE_REQUEST: "Đề nghị tham mưu",
}


class ItemStatus(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    OVERDUE = "overdue"
    PENDING = "pending"
    PASSED_ON = "passed_on"
    NO_DEADLINE = "no_deadline"


@dataclass(frozen=True, slots=True)
class WorkItem:
    item_id: str
    person: str
    field: str
    kind: ItemKind
    received_at: datetime
    deadline: date | datetime | None
    handled_at: datetime | None = None
    advised_at: datetime | None = None
    passed_to: str | None = None
    title: str = ""
    quality_remark: str = ""

    def __post_init__(self) -> None:
        for name in ("received_at", "handled_at", "advised_at"):
            value = getattr(self, name)
            if value is not None and value.tzinfo is None:
                raise ValidationFailed(f"'{name}' của '{self.item_id}' cần múi giờ")
        if isinstance(self.deadline, datetime) and self.deadline.tzinfo is None:
            raise ValidationFailed(f"hạn xử lý của '{self.item_id}' cần múi giờ")
        if self.handled_at is not None and self.handled_at < self.received_at:
            raise ValidationFailed(f"'{self.item_id}': ngày xử lý trước ngày tiếp nhận")
        if self.advised_at is not None:
            if self.advised_at < self.received_at:
                raise ValidationFailed(f"'{self.item_id}': ngày tham mưu trước ngày tiếp nhận")
            if self.handled_at is not None and self.advised_at < self.handled_at:
                raise ValidationFailed(f"'{self.item_id}': ngày tham mưu trước ngày xử lý")

    def completed_at(self) -> datetime | None:
        if self.kind.needs_advice:
            return self.advised_at
        if self.handled_at is None:
            return self.advised_at
        return self.handled_at

    def to_dict(self) -> dict[str, Any]:
        deadline = self.deadline.isoformat() if self.deadline is not None else None
        return {
            "item_id": self.item_id,
            "person": self.person,
            "field": self.field,
            "kind": self.kind.value,
            "received_at": self.received_at.isoformat(),
            "deadline": deadline,
            "handled_at": self.handled_at.isoformat() if self.handled_at else None,
            "advised_at": self.advised_at.isoformat() if self.advised_at else None,
            "passed_to": self.passed_to,
            "title": self.title,
            "quality_remark": self.quality_remark,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> WorkItem:
        def moment(v: Any) -> datetime | None:
            return datetime.fromisoformat(v) if v else None

        raw = d.get("deadline")
        deadline: date | datetime | None = None
        if raw:
            deadline = datetime.fromisoformat(raw) if "T" in raw else date.fromisoformat(raw)
        received = moment(d["received_at"])
        if received is None:
            raise ValidationFailed(f"'{d.get('item_id')}': thiếu ngày tiếp nhận")
        return cls(
            item_id=d["item_id"],
            person=d["person"],
            field=d["field"],
            kind=ItemKind(d["kind"]),
            received_at=received,
            deadline=deadline,
            handled_at=moment(d.get("handled_at")),
            advised_at=moment(d.get("advised_at")),
            passed_to=d.get("passed_to") or None,
            title=d.get("title", ""),
            quality_remark=d.get("quality_remark", ""),
        )


@dataclass(frozen=True, slots=True)
class Assessment:
    """One item's derived status as of a moment."""

    status: ItemStatus
    deadline_end: datetime | None
    delay_working_days: int
    delay_calendar_days: int
    left_untouched: bool


def deadline_end(item: WorkItem, calendar: WorkingCalendar) -> datetime | None:
    if item.deadline is None:
        return None
    if isinstance(item.deadline, datetime):
        day = calendar.local_date(item.deadline)
        moved = calendar.effective_deadline(day)
        return item.deadline if moved == day else calendar.end_of(moved)
    return calendar.end_of(calendar.effective_deadline(item.deadline))


_MISSING: Any = object()


def _seen(moment: datetime | None, as_of: datetime) -> datetime | None:
    return moment if moment is not None and moment <= as_of else None


def assess(
    item: WorkItem,
    calendar: WorkingCalendar,
    as_of: datetime,
    ends: dict[date | datetime, datetime | None] | None = None,
) -> Assessment:
    """``ends``: a cache of deadline ends by deadline (many items share a deadline)."""
    handled = _seen(item.handled_at, as_of)
    advised = _seen(item.advised_at, as_of)
    done = _seen(item.completed_at(), as_of)
    if ends is None or item.deadline is None:
        end = deadline_end(item, calendar)
    else:
        end = ends.get(item.deadline, _MISSING)
        if end is _MISSING:
            end = ends[item.deadline] = deadline_end(item, calendar)
    if item.passed_to and handled is None and advised is None:
        return Assessment(ItemStatus.PASSED_ON, end, 0, 0, False)
    if end is None:
        return Assessment(ItemStatus.NO_DEADLINE, None, 0, 0, False)
    if done is not None:
        if done <= end:
            return Assessment(ItemStatus.ON_TIME, end, 0, 0, False)
        status, upto = ItemStatus.LATE, done
    elif as_of > end:
        status, upto = ItemStatus.OVERDUE, as_of
    else:
        return Assessment(ItemStatus.PENDING, end, 0, 0, False)
    end_day = end.astimezone(calendar.tz).date()
    upto_day = calendar.local_date(upto)
    return Assessment(
        status,
        end,
        calendar.working_days_between(end_day, upto_day),
        max(0, (upto_day - end_day).days),
        status is ItemStatus.OVERDUE and handled is None and advised is None,
    )


@dataclass
class Figures:
    """Counts and delays of a group of items (a person, a field, a year…)."""

    total: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    pending: int = 0
    passed_on: int = 0
    no_deadline: int = 0
    left_untouched: int = 0
    delay_working_days_total: int = 0
    delay_working_days_max: int = 0
    passed_to: dict[str, int] = field(default_factory=dict)

    def add(self, item: WorkItem, a: Assessment) -> None:
        self.total += 1
        s = a.status
        if s is ItemStatus.ON_TIME:
            self.on_time += 1
        elif s is ItemStatus.LATE:
            self.late += 1
        elif s is ItemStatus.OVERDUE:
            self.overdue += 1
        elif s is ItemStatus.PENDING:
            self.pending += 1
        elif s is ItemStatus.PASSED_ON:
            self.passed_on += 1
            key = item.passed_to or ""
            self.passed_to[key] = self.passed_to.get(key, 0) + 1
        else:
            self.no_deadline += 1
        if a.left_untouched:
            self.left_untouched += 1
        if a.delay_working_days:
            self.delay_working_days_total += a.delay_working_days
            self.delay_working_days_max = max(self.delay_working_days_max, a.delay_working_days)

    @property
    def due(self) -> int:
        """Items whose deadline has passed or that are complete: the on-time share's base."""
        return self.on_time + self.late + self.overdue

    @property
    def on_time_share(self) -> float | None:
        return round(self.on_time / self.due, 4) if self.due else None

    @property
    def average_delay_working_days(self) -> float | None:
        delayed = self.late + self.overdue
        return round(self.delay_working_days_total / delayed, 2) if delayed else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "on_time": self.on_time,
            "late": self.late,
            "overdue": self.overdue,
            "pending": self.pending,
            "passed_on": self.passed_on,
            "no_deadline": self.no_deadline,
            "left_untouched": self.left_untouched,
            "due": self.due,
            "on_time_share": self.on_time_share,
            "delay_working_days_total": self.delay_working_days_total,
            "delay_working_days_max": self.delay_working_days_max,
            "average_delay_working_days": self.average_delay_working_days,
            "passed_to": dict(sorted(self.passed_to.items())),
        }


DIMENSIONS: dict[str, Callable[[WorkItem, WorkingCalendar], str | int]] = {
    "person": lambda i, c: i.person,
    "field": lambda i, c: i.field,
    "kind": lambda i, c: i.kind.value,
    "year": lambda i, c: c.local_date(i.received_at).year,
    "quarter": lambda i, c: (lambda d: f"{d.year}-Q{(d.month - 1) // 3 + 1}")(
        c.local_date(i.received_at)
    ),
}


def figures(
    items: Iterable[WorkItem],
    calendar: WorkingCalendar,
    as_of: datetime,
    by: Sequence[str] = ("person", "field"),
) -> dict[tuple[str | int, ...], Figures]:
    """Figures per group; ``by`` names dimensions of :data:`DIMENSIONS` (empty = one total)."""
    return figures_by(items, calendar, as_of, by)[0]


def figures_by(
    items: Iterable[WorkItem],
    calendar: WorkingCalendar,
    as_of: datetime,
    *groupings: Sequence[str],
) -> list[dict[tuple[str | int, ...], Figures]]:
    """Several groupings in one pass: each item is assessed once."""
    unknown = [d for by in groupings for d in by if d not in DIMENSIONS]
    if unknown:
        raise ValidationFailed(
            f"chiều thống kê không hợp lệ: {', '.join(unknown)}; chọn: {', '.join(DIMENSIONS)}"
        )
    if as_of.tzinfo is None:
        raise ValidationFailed("thời điểm tính (as_of) cần múi giờ")
    keyers = [[DIMENSIONS[d] for d in by] for by in groupings]
    outs: list[dict[tuple[str | int, ...], Figures]] = [{} for _ in groupings]
    ends: dict[date | datetime, datetime | None] = {}
    for item in items:
        if item.received_at > as_of:
            continue
        a = assess(item, calendar, as_of, ends)
        for keys, out in zip(keyers, outs, strict=True):
            key = tuple(k(item, calendar) for k in keys)
            group = out.get(key)
            if group is None:
                group = out[key] = Figures()
            group.add(item, a)
    return outs
