"""An inspection of public-service work (kiểm tra công vụ, DOMAIN.md §6, seed 003).

Rules kept here:
- created by the chairman's decision (number, date, signer, legal basis) with the team and its
  head and the mode; a complaint-prompted inspection names its complaint;
- the plan (scope, period, units, persons: heads and deputies, sample sizes per field) may be
  revised until the first visit starts;
- a scheduled inspection notifies a unit before visiting it; an unannounced one gives **no
  notice until the visit** has started;
- a team member who declared a conflict of interest and stood aside for a unit records nothing
  on that unit;
- sampling per unit is its own aggregate (:mod:`.case_file_sample`), opened once the visit to
  the unit has started, with the sizes of this plan;
- minutes and findings need the visit to the unit; an explanation answers a finding; the
  conclusions close the findings; the report to the chairman needs the conclusions.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from assessment.domain.inspection.inspection_findings import FindingsMixin
from assessment.domain.inspection.values import (
    Mode,
    day,
    ids,
    parse_decision,
    parse_enum,
    parse_member,
    parse_persons,
    parse_sizes,
    text,
)
from assessment.domain.kernel.base import TenantAggregate
from assessment.domain.kernel.errors import (
    NotFound,
    StepClosed,
    StepOrderViolation,
    ValidationFailed,
)

INSPECTION_NAMESPACE = uuid.UUID("3c1f6a52-8e0d-5b7a-9c44-2d6e8f0a1b37")
_PLAN_FIELDS = ("scope", "period_from", "period_to", "units", "persons", "sample_sizes")
_FINDING_FIELDS = (
    "unit_id",
    "person",
    "kind",
    "severity",
    "description",
    "evidence",
    "item_ids",
    "file_ids",
)


def _state(event: Any, *names: str, at: str | None = None, by: str | None = None) -> dict[str, Any]:
    """A state record copied from an event's fields (deep: state never aliases the event)."""
    out = {name: copy.deepcopy(getattr(event, name)) for name in names}
    if at:
        out[at] = event.occurred_at.isoformat()
    if by:
        out[by] = copy.deepcopy(event.actor)
    return out


def inspection_id_for(tenant: str, decision_number: str) -> UUID:
    return uuid.uuid5(INSPECTION_NAMESPACE, f"{tenant}/{decision_number.strip()}")


class Inspection(TenantAggregate, FindingsMixin):
    TOPIC = "assessment.Inspection"

    class Event(TenantAggregate.Event):
        TOPIC = "assessment.Inspection.Event"

    class Decided(Event, TenantAggregate.Created):
        TOPIC = "assessment.Inspection.Decided"
        decision: dict[str, str]
        title: str
        mode: str
        complaint_reference: str | None
        head: dict[str, str]
        members: list[dict[str, str]]

    class Planned(Event):
        TOPIC = "assessment.Inspection.Planned"
        scope: str
        period_from: str
        period_to: str
        units: list[str]
        persons: list[dict[str, str]]
        sample_sizes: dict[str, dict[str, int]]

        def apply(self, aggregate: Any) -> None:
            aggregate.plan = _state(self, *_PLAN_FIELDS)
            aggregate.plan_revisions += 1

    class ConflictDeclared(Event):
        TOPIC = "assessment.Inspection.ConflictDeclared"
        member: str
        unit_id: str
        description: str
        stands_aside: bool

        def apply(self, aggregate: Any) -> None:
            aggregate.conflicts.append(
                _state(self, "member", "unit_id", "description", "stands_aside")
            )

    class NoticeSent(Event):
        TOPIC = "assessment.Inspection.NoticeSent"
        unit_id: str
        reference: str
        visit_on: str

        def apply(self, aggregate: Any) -> None:
            aggregate.notices[self.unit_id] = _state(self, "reference", "visit_on", at="sent_at")

    class VisitStarted(Event):
        TOPIC = "assessment.Inspection.VisitStarted"
        unit_id: str
        place: str

        def apply(self, aggregate: Any) -> None:
            aggregate.visits[self.unit_id] = _state(self, "place", at="started_at")

    class MinutesRecorded(Event):
        TOPIC = "assessment.Inspection.MinutesRecorded"
        minutes_id: str
        unit_id: str
        held_on: str
        place: str
        participants: list[str]
        content: str
        signed_by: list[str]

        def apply(self, aggregate: Any) -> None:
            aggregate.minutes[self.minutes_id] = _state(
                self,
                "unit_id",
                "held_on",
                "place",
                "participants",
                "content",
                "signed_by",
                at="recorded_at",
                by="recorded_by",
            )

    class FindingRecorded(Event):
        TOPIC = "assessment.Inspection.FindingRecorded"
        finding_id: str
        unit_id: str
        person: str | None
        kind: str
        severity: str
        description: str
        evidence: list[dict[str, Any]]
        item_ids: list[str]
        file_ids: list[str]

        def apply(self, aggregate: Any) -> None:
            aggregate.findings[self.finding_id] = _state(
                self, *_FINDING_FIELDS, at="recorded_at", by="recorded_by"
            ) | {"explanation": None}

    class ExplanationGiven(Event):
        TOPIC = "assessment.Inspection.ExplanationGiven"
        finding_id: str
        explanation: str
        evidence: list[dict[str, Any]]

        def apply(self, aggregate: Any) -> None:
            aggregate.findings[self.finding_id]["explanation"] = _state(
                self, "explanation", "evidence", at="given_at", by="by"
            )

    class Concluded(Event):
        TOPIC = "assessment.Inspection.Concluded"
        conclusions: str
        proposals: list[dict[str, Any]]

        def apply(self, aggregate: Any) -> None:
            aggregate.conclusion = _state(self, "conclusions", "proposals", at="concluded_at")

    class Reported(Event):
        TOPIC = "assessment.Inspection.Reported"
        report_number: str
        reported_on: str
        recipient: str
        summary: str

        def apply(self, aggregate: Any) -> None:
            aggregate.report = _state(
                self, "report_number", "reported_on", "recipient", "summary", at="recorded_at"
            )

    def __init__(
        self,
        tenant: str,
        actor: dict[str, Any],
        occurred_at: datetime,
        decision: dict[str, str],
        title: str,
        mode: str,
        complaint_reference: str | None,
        head: dict[str, str],
        members: list[dict[str, str]],
    ) -> None:
        self.tenant = tenant
        self.decision = dict(decision)
        self.title = title
        self.mode = mode
        self.complaint_reference = complaint_reference
        self.head = dict(head)
        self.members = [dict(m) for m in members]
        self.plan: dict[str, Any] | None = None
        self.plan_revisions = 0
        self.conflicts: list[dict[str, Any]] = []
        self.notices: dict[str, dict[str, Any]] = {}
        self.visits: dict[str, dict[str, Any]] = {}
        self.minutes: dict[str, dict[str, Any]] = {}
        self.findings: dict[str, dict[str, Any]] = {}
        self.conclusion: dict[str, Any] | None = None
        self.report: dict[str, Any] | None = None

    # -- creation and plan -----------------------------------------------------------------

    @classmethod
    def decide(
        cls,
        *,
        tenant: str,
        actor: dict[str, Any],
        occurred_at: datetime,
        decision: dict[str, Any],
        title: str,
        mode: str,
        head: dict[str, Any],
        members: Sequence[dict[str, Any]],
        complaint_reference: str | None = None,
    ) -> Inspection:
        parsed_decision = parse_decision(decision)
        number = parsed_decision["number"]
        the_mode = parse_enum(Mode, mode, "hình thức kiểm tra")
        complaint = text(complaint_reference, "phản ánh, kiến nghị", required=False, limit=500)
        if the_mode is Mode.COMPLAINT and not complaint:
            raise ValidationFailed("kiểm tra theo phản ánh, kiến nghị cần nêu phản ánh nào")
        the_head = parse_member(head, "trưởng đoàn")
        team = [parse_member(m, "thành viên đoàn") for m in members]
        subjects = [the_head["subject"], *(m["subject"] for m in team)]
        if len(set(subjects)) != len(subjects):
            raise ValidationFailed("một người có tên hai lần trong đoàn kiểm tra")
        return cls._create(
            cls.Decided,
            id=inspection_id_for(tenant, number),
            tenant=tenant,
            actor=actor,
            occurred_at=occurred_at,
            decision=parsed_decision,
            title=text(title, "tên cuộc kiểm tra", limit=500),
            mode=the_mode.value,
            complaint_reference=complaint or None,
            head=the_head,
            members=team,
        )

    def plan_inspection(
        self,
        *,
        actor: dict[str, Any],
        occurred_at: datetime,
        scope: str,
        period_from: str,
        period_to: str,
        units: Sequence[str],
        persons: Sequence[dict[str, Any]],
        sample_sizes: dict[str, dict[str, int]] | None = None,
    ) -> None:
        if self.visits:
            raise StepClosed("kế hoạch đã cố định vì Đoàn đã bắt đầu làm việc tại đơn vị")
        start, end = day(period_from, "từ ngày"), day(period_to, "đến ngày")
        if end < start:
            raise ValidationFailed("kỳ kiểm tra: 'đến ngày' phải sau 'từ ngày'")
        unit_list = ids(list(units), "đơn vị được kiểm tra")
        if not unit_list:
            raise ValidationFailed("cần ít nhất một đơn vị được kiểm tra")
        people = parse_persons(persons, unit_list)
        sizes = parse_sizes(sample_sizes, unit_list)
        self._trigger(
            self.Planned,
            actor=actor,
            occurred_at=occurred_at,
            scope=text(scope, "phạm vi, nội dung kiểm tra"),
            period_from=start,
            period_to=end,
            units=unit_list,
            persons=people,
            sample_sizes=sizes,
        )

    def declare_conflict(
        self,
        *,
        actor: dict[str, Any],
        occurred_at: datetime,
        member: str,
        unit_id: str,
        description: str,
        stands_aside: bool,
    ) -> None:
        if member not in self.team_subjects():
            raise ValidationFailed(f"'{member}' không phải thành viên đoàn kiểm tra")
        self._planned_unit(unit_id)
        self._trigger(
            self.ConflictDeclared,
            actor=actor,
            occurred_at=occurred_at,
            member=member,
            unit_id=unit_id,
            description=text(description, "nội dung xung đột lợi ích"),
            stands_aside=bool(stands_aside),
        )

    def send_notice(
        self,
        *,
        actor: dict[str, Any],
        occurred_at: datetime,
        unit_id: str,
        reference: str,
        visit_on: str,
    ) -> None:
        self._planned_unit(unit_id)
        if self.mode == Mode.UNANNOUNCED.value and unit_id not in self.visits:
            raise StepOrderViolation(
                "kiểm tra đột xuất: không thông báo trước cho đơn vị; thông báo khi Đoàn đến"
            )
        if unit_id in self.notices:
            raise StepClosed("đã gửi thông báo cho đơn vị này")
        self._trigger(
            self.NoticeSent,
            actor=actor,
            occurred_at=occurred_at,
            unit_id=unit_id,
            reference=text(reference, "số thông báo", limit=200),
            visit_on=day(visit_on, "ngày làm việc"),
        )

    def start_visit(
        self, *, actor: dict[str, Any], occurred_at: datetime, unit_id: str, place: str
    ) -> None:
        self._planned_unit(unit_id)
        if unit_id in self.visits:
            raise StepClosed("Đoàn đã bắt đầu làm việc tại đơn vị này")
        if self.mode == Mode.SCHEDULED.value and unit_id not in self.notices:
            raise StepOrderViolation("kiểm tra theo kế hoạch: cần thông báo cho đơn vị trước")
        self._trigger(
            self.VisitStarted,
            actor=actor,
            occurred_at=occurred_at,
            unit_id=unit_id,
            place=text(place, "địa điểm", limit=500),
        )

    # -- helpers --------------------------------------------------------------------------

    def team_subjects(self) -> set[str]:
        return {self.head["subject"], *(m["subject"] for m in self.members)}

    def stands_aside(self, member: str, unit_id: str) -> bool:
        return any(
            c["member"] == member and c["unit_id"] == unit_id and c["stands_aside"]
            for c in self.conflicts
        )

    def planned_persons(self, unit_id: str | None = None) -> list[dict[str, str]]:
        persons = self.plan["persons"] if self.plan else []
        return [p for p in persons if unit_id is None or p["unit_id"] == unit_id]

    def _planned_unit(self, unit_id: str) -> None:
        if self.plan is None:
            raise StepOrderViolation("cuộc kiểm tra chưa có kế hoạch")
        if unit_id not in self.plan["units"]:
            raise NotFound(f"đơn vị '{unit_id}' không có trong kế hoạch kiểm tra")

    def require_visited(self, unit_id: str) -> None:
        """The unit is in the plan and the team's visit to it has started."""
        self._visited(unit_id)

    def _visited(self, unit_id: str) -> None:
        self._planned_unit(unit_id)
        if unit_id not in self.visits:
            raise StepOrderViolation("Đoàn chưa bắt đầu làm việc tại đơn vị này")

    def _open(self) -> None:
        if self.conclusion is not None:
            raise StepClosed("cuộc kiểm tra đã có kết luận")

    def _not_aside(self, actor: dict[str, Any], unit_id: str) -> None:
        if self.stands_aside(str(actor.get("subject")), unit_id):
            raise ValidationFailed(
                "thành viên đã khai xung đột lợi ích với đơn vị này không ghi nhận nội dung về nó"
            )

    @property
    def status(self) -> str:
        if self.report is not None:
            return "reported"
        if self.conclusion is not None:
            return "concluded"
        if self.visits:
            return "in_progress"
        return "planned" if self.plan is not None else "decided"
