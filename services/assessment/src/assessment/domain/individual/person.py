"""A person rated each year: only what rating needs (no birth date, no identity numbers).

Category (cán bộ / công chức / viên chức), agency and sub-unit, position (head, deputy, staff;
member of the leadership collective), job position (vị trí việc làm), the group of similar tasks
(for the "excellent" quota), employment periods with transfers, absences, discipline, findings of
degradation and, for leaders, corruption or waste found in the unit they manage.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from assessment.domain.individual.errors import InvalidInput, PersonInactive
from assessment.domain.individual.person_record import PersonRecord
from assessment.domain.individual.values import (
    AbsenceKind,
    Category,
    DisciplineForm,
    DisciplineTrack,
    Position,
    parse_day,
    parse_enum,
    text,
)
from assessment.domain.kernel.base import TenantAggregate

PERSON_NAMESPACE = uuid.UUID("5e2d8c1a-7b3f-5d4e-9a6c-2f1e0d9c8b7a")


def person_id_for(tenant: str, code: str) -> UUID:
    """One person per (tenant, staff code)."""
    return uuid.uuid5(PERSON_NAMESPACE, f"{tenant}/{code}")


def assignment(position: str, job_position: str, task_group: str) -> dict[str, str]:
    """Position, job position and task group, checked (one place for every event)."""
    return {
        "position": parse_enum(Position, position, "chức vụ").value,
        "job_position": text(job_position, "vị trí việc làm", limit=200),
        "task_group": text(task_group, "nhóm nhiệm vụ tương đồng", limit=100),
    }


def check_code(code: str) -> str:
    code = (code or "").strip()
    if not code or len(code) > 64 or not all(c.isalnum() or c in "-_." for c in code):
        raise InvalidInput("mã cán bộ chỉ gồm chữ, số, '-', '_' hoặc '.' (tối đa 64 ký tự)")
    return code


class Person(TenantAggregate, PersonRecord):
    TOPIC = "assessment.Person"

    class Event(TenantAggregate.Event):
        TOPIC = "assessment.Person.Event"

    class Registered(Event, TenantAggregate.Created):
        TOPIC = "assessment.Person.Registered"
        code: str
        full_name: str
        category: str
        agency_id: str
        unit_id: str | None
        position: str
        leadership_collective: bool
        job_position: str
        task_group: str
        employed_from: str
        account: str | None  # the person's sign-in subject, to let them read their own file

    class Transferred(Event):
        TOPIC = "assessment.Person.Transferred"
        effective_date: str
        agency_id: str
        unit_id: str | None
        position: str
        job_position: str
        task_group: str
        decision_number: str

        def apply(self, aggregate: Any) -> None:
            aggregate._close_period(self.effective_date)
            aggregate._open_period(
                start=self.effective_date,
                agency_id=self.agency_id,
                unit_id=self.unit_id,
                position=self.position,
                leadership_collective=self.position != Position.STAFF.value,
                job_position=self.job_position,
                task_group=self.task_group,
            )

    class PositionChanged(Event):
        TOPIC = "assessment.Person.PositionChanged"
        effective_date: str
        position: str
        leadership_collective: bool
        job_position: str
        task_group: str
        decision_number: str

        def apply(self, aggregate: Any) -> None:
            current = aggregate.periods[-1]
            aggregate._close_period(self.effective_date)
            aggregate._open_period(
                start=self.effective_date,
                agency_id=current["agency_id"],
                unit_id=current["unit_id"],
                position=self.position,
                leadership_collective=self.leadership_collective,
                job_position=self.job_position,
                task_group=self.task_group,
            )

    class EmploymentEnded(Event):
        TOPIC = "assessment.Person.EmploymentEnded"
        last_day: str
        reason: str

        def apply(self, aggregate: Any) -> None:
            aggregate.periods[-1]["end"] = self.last_day

    class EmploymentStarted(Event):
        TOPIC = "assessment.Person.EmploymentStarted"
        start: str
        agency_id: str
        unit_id: str | None
        position: str
        job_position: str
        task_group: str

        def apply(self, aggregate: Any) -> None:
            aggregate._open_period(
                start=self.start,
                agency_id=self.agency_id,
                unit_id=self.unit_id,
                position=self.position,
                leadership_collective=self.position != Position.STAFF.value,
                job_position=self.job_position,
                task_group=self.task_group,
            )

    class AbsenceRecorded(Event):
        TOPIC = "assessment.Person.AbsenceRecorded"
        kind: str
        start: str
        end: str
        reference: str

        def apply(self, aggregate: Any) -> None:
            aggregate.absences.append(
                {"kind": self.kind, "start": self.start, "end": self.end, "ref": self.reference}
            )

    class DisciplineRecorded(Event):
        TOPIC = "assessment.Person.DisciplineRecorded"
        violation_id: str
        track: str
        form: str
        decided_on: str
        decision_number: str

        def apply(self, aggregate: Any) -> None:
            aggregate.disciplines.append(
                {
                    "violation_id": self.violation_id,
                    "track": self.track,
                    "form": self.form,
                    "decided_on": self.decided_on,
                    "decision_number": self.decision_number,
                }
            )

    class DegradationFound(Event):
        TOPIC = "assessment.Person.DegradationFound"
        found_on: str
        reference: str

        def apply(self, aggregate: Any) -> None:
            aggregate.degradations.append({"found_on": self.found_on, "ref": self.reference})

    class UnitViolationFound(Event):
        """Corruption, embezzlement or waste in a unit the person manages, handled by law."""

        TOPIC = "assessment.Person.UnitViolationFound"
        found_on: str
        kind: str
        reference: str

        def apply(self, aggregate: Any) -> None:
            aggregate.unit_violations.append(
                {"found_on": self.found_on, "kind": self.kind, "ref": self.reference}
            )

    class ViolationCounted(Event):
        TOPIC = "assessment.Person.ViolationCounted"
        violation_id: str
        year: int

        def apply(self, aggregate: Any) -> None:
            aggregate.counted[self.violation_id] = self.year

    def __init__(
        self,
        tenant: str,
        actor: dict[str, Any],
        occurred_at: datetime,
        code: str,
        full_name: str,
        category: str,
        agency_id: str,
        unit_id: str | None,
        position: str,
        leadership_collective: bool,
        job_position: str,
        task_group: str,
        employed_from: str,
        account: str | None,
    ) -> None:
        self.tenant = tenant
        self.code = code
        self.account = account
        self.full_name = full_name
        self.category = Category(category)
        self.periods: list[dict[str, Any]] = []
        self.absences: list[dict[str, str]] = []
        self.disciplines: list[dict[str, str]] = []
        self.degradations: list[dict[str, str]] = []
        self.unit_violations: list[dict[str, str]] = []
        self.counted: dict[str, int] = {}
        self._open_period(
            start=employed_from,
            agency_id=agency_id,
            unit_id=unit_id,
            position=position,
            leadership_collective=leadership_collective,
            job_position=job_position,
            task_group=task_group,
        )

    # -- state helpers (used by apply) -------------------------------------------------------

    def _open_period(self, *, start: str, **fields: Any) -> None:
        self.periods.append({"start": start, "end": None, **fields})

    def _close_period(self, next_start: str) -> None:
        last_day = date.fromisoformat(next_start) - timedelta(days=1)
        self.periods[-1]["end"] = last_day.isoformat()

    # -- commands ----------------------------------------------------------------------------

    @classmethod
    def register(
        cls,
        *,
        tenant: str,
        actor: dict[str, Any],
        occurred_at: datetime,
        code: str,
        full_name: str,
        category: str,
        agency_id: str,
        position: str,
        job_position: str,
        task_group: str,
        employed_from: str,
        unit_id: str | None = None,
        leadership_collective: bool | None = None,
        account: str | None = None,
    ) -> Person:
        pos = parse_enum(Position, position, "chức vụ")
        return cls._create(
            cls.Registered,
            id=person_id_for(tenant, check_code(code)),
            tenant=tenant,
            actor=actor,
            occurred_at=occurred_at,
            code=code.strip(),
            full_name=text(full_name, "họ và tên", limit=200),
            category=parse_enum(Category, category, "đối tượng").value,
            agency_id=text(agency_id, "cơ quan", limit=64),
            unit_id=(unit_id or "").strip() or None,
            position=pos.value,
            leadership_collective=pos.is_leader
            if leadership_collective is None
            else bool(leadership_collective),
            job_position=text(job_position, "vị trí việc làm", limit=200),
            task_group=text(task_group, "nhóm nhiệm vụ tương đồng", limit=100),
            employed_from=parse_day(employed_from, "ngày bắt đầu công tác").isoformat(),
            account=text(account, "tài khoản", limit=200, required=False) or None,
        )

    @property
    def current(self) -> dict[str, Any]:
        return self.periods[-1]

    @property
    def employed(self) -> bool:
        return self.current["end"] is None

    def _require_employed_on(self, day: date) -> None:
        if not self.employed or day <= date.fromisoformat(self.current["start"]):
            raise PersonInactive(
                f"ngày {day.isoformat()} phải sau ngày bắt đầu giai đoạn công tác hiện tại "
                f"({self.current['start']}) và người này phải đang công tác"
            )

    def transfer(
        self,
        *,
        actor: dict[str, Any],
        occurred_at: datetime,
        effective_date: str,
        agency_id: str,
        position: str,
        job_position: str,
        task_group: str,
        decision_number: str,
        unit_id: str | None = None,
    ) -> None:
        day = parse_day(effective_date, "ngày điều động")
        self._require_employed_on(day)
        self._trigger(
            self.Transferred,
            actor=actor,
            occurred_at=occurred_at,
            effective_date=day.isoformat(),
            agency_id=text(agency_id, "cơ quan mới", limit=64),
            unit_id=(unit_id or "").strip() or None,
            **assignment(position, job_position, task_group),
            decision_number=text(decision_number, "số quyết định", limit=100),
        )

    def change_position(
        self,
        *,
        actor: dict[str, Any],
        occurred_at: datetime,
        effective_date: str,
        position: str,
        job_position: str,
        task_group: str,
        decision_number: str,
        leadership_collective: bool | None = None,
    ) -> None:
        day = parse_day(effective_date, "ngày hiệu lực")
        self._require_employed_on(day)
        pos = parse_enum(Position, position, "chức vụ")
        self._trigger(
            self.PositionChanged,
            actor=actor,
            occurred_at=occurred_at,
            effective_date=day.isoformat(),
            position=pos.value,
            leadership_collective=pos.is_leader
            if leadership_collective is None
            else bool(leadership_collective),
            job_position=text(job_position, "vị trí việc làm", limit=200),
            task_group=text(task_group, "nhóm nhiệm vụ tương đồng", limit=100),
            decision_number=text(decision_number, "số quyết định", limit=100),
        )

    def end_employment(
        self, *, actor: dict[str, Any], occurred_at: datetime, last_day: str, reason: str
    ) -> None:
        day = parse_day(last_day, "ngày cuối công tác")
        if not self.employed or day < date.fromisoformat(self.current["start"]):
            raise PersonInactive("người này không công tác vào ngày đó")
        self._trigger(
            self.EmploymentEnded,
            actor=actor,
            occurred_at=occurred_at,
            last_day=day.isoformat(),
            reason=text(reason, "lý do", limit=500),
        )

    def start_employment(
        self,
        *,
        actor: dict[str, Any],
        occurred_at: datetime,
        start: str,
        agency_id: str,
        position: str,
        job_position: str,
        task_group: str,
        unit_id: str | None = None,
    ) -> None:
        day = parse_day(start, "ngày bắt đầu công tác")
        if self.employed or day <= date.fromisoformat(self.current["end"]):
            raise InvalidInput("người này đang công tác hoặc ngày bắt đầu trùng giai đoạn trước")
        self._trigger(
            self.EmploymentStarted,
            actor=actor,
            occurred_at=occurred_at,
            start=day.isoformat(),
            agency_id=text(agency_id, "cơ quan", limit=64),
            unit_id=(unit_id or "").strip() or None,
            **assignment(position, job_position, task_group),
        )

    def record_absence(
        self,
        *,
        actor: dict[str, Any],
        occurred_at: datetime,
        kind: str,
        start: str,
        end: str,
        reference: str = "",
    ) -> None:
        first, last = parse_day(start, "ngày bắt đầu nghỉ"), parse_day(end, "ngày kết thúc nghỉ")
        if last < first:
            raise InvalidInput("ngày kết thúc nghỉ phải từ ngày bắt đầu trở đi")
        self._trigger(
            self.AbsenceRecorded,
            actor=actor,
            occurred_at=occurred_at,
            kind=parse_enum(AbsenceKind, kind, "loại nghỉ").value,
            start=first.isoformat(),
            end=last.isoformat(),
            reference=text(reference, "căn cứ", limit=200, required=False),
        )

    def record_discipline(
        self,
        *,
        actor: dict[str, Any],
        occurred_at: datetime,
        violation_id: str,
        track: str,
        form: str,
        decided_on: str,
        decision_number: str,
    ) -> None:
        self._trigger(
            self.DisciplineRecorded,
            actor=actor,
            occurred_at=occurred_at,
            violation_id=text(violation_id, "mã hành vi vi phạm", limit=100),
            track=parse_enum(DisciplineTrack, track, "loại kỷ luật").value,
            form=parse_enum(DisciplineForm, form, "hình thức kỷ luật").value,
            decided_on=parse_day(decided_on, "ngày quyết định kỷ luật").isoformat(),
            decision_number=text(decision_number, "số quyết định", limit=100),
        )

    def find_degradation(
        self, *, actor: dict[str, Any], occurred_at: datetime, found_on: str, reference: str
    ) -> None:
        self._trigger(
            self.DegradationFound,
            actor=actor,
            occurred_at=occurred_at,
            found_on=parse_day(found_on, "ngày kết luận").isoformat(),
            reference=text(reference, "văn bản kết luận", limit=200),
        )

    def find_unit_violation(
        self,
        *,
        actor: dict[str, Any],
        occurred_at: datetime,
        found_on: str,
        kind: str,
        reference: str,
    ) -> None:
        if kind not in ("corruption", "waste"):
            raise InvalidInput("loại vi phạm trong đơn vị phải là 'corruption' hoặc 'waste'")
        self._trigger(
            self.UnitViolationFound,
            actor=actor,
            occurred_at=occurred_at,
            found_on=parse_day(found_on, "ngày kết luận").isoformat(),
            kind=kind,
            reference=text(reference, "văn bản kết luận", limit=200),
        )

    def mark_counted(
        self, *, actor: dict[str, Any], occurred_at: datetime, violation_id: str, year: int
    ) -> None:
        if self.counted.get(violation_id) == year:
            return
        self._trigger(
            self.ViolationCounted,
            actor=actor,
            occurred_at=occurred_at,
            violation_id=violation_id,
            year=year,
        )
