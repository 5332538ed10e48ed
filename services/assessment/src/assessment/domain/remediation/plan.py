"""A remediation plan: solutions, a roadmap of dated milestones, an owner, a follow-up officer.

Seed 002: "Ngay sau kiểm điểm, xếp loại chất lượng, phải xây dựng kế hoạch, xác định rõ các giải
pháp, lộ trình để khắc phục những hạn chế…; đồng thời phân công theo dõi, tổ chức kiểm tra, giám
sát, đôn đốc việc thực hiện khắc phục". Rules kept here:
- one plan per finding (id from tenant, source kind and source reference);
- the owner reports progress with evidence; a milestone reported done is done as of that day;
- a milestone is **overdue** on any day after its due day while not done — derived, never
  entered; a milestone's due day moves only by an extension with a reason;
- once every milestone is done the plan awaits verification by whoever raised the finding
  (the same person, or the same role acting for the same body); a rejection reopens the
  milestones; an acceptance closes the plan;
- escalation (to the chairman, to Home Affairs…) is on record and leaves the plan open.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from uuid import UUID

from assessment.domain.kernel.base import TenantAggregate
from assessment.domain.kernel.errors import NotFound, StepOrderViolation, ValidationFailed
from assessment.domain.kernel.values import VN_TZ
from assessment.domain.remediation.values import (
    NotTheRaiser,
    PlanClosed,
    PlanStatus,
    SourceKind,
    SubjectKind,
    day,
    parse_enum,
    parse_evidence,
    text,
)

REMEDIATION_NAMESPACE = uuid.UUID("e2d4c6b8-1a3f-5e7d-9b0c-4f6a8e2c0d19")


def remediation_plan_id_for(tenant: str, source_kind: str, source_reference: str) -> UUID:
    return uuid.uuid5(REMEDIATION_NAMESPACE, f"{tenant}/{source_kind}/{source_reference}")


def _who(actor: dict[str, Any]) -> dict[str, Any]:
    return {k: actor.get(k) for k in ("subject", "role", "acting_for")}


class RemediationPlan(TenantAggregate):
    TOPIC = "assessment.RemediationPlan"

    class Event(TenantAggregate.Event):
        TOPIC = "assessment.RemediationPlan.Event"

    class Opened(Event, TenantAggregate.Created):
        TOPIC = "assessment.RemediationPlan.Opened"
        source: dict[str, Any]
        subject: dict[str, Any]
        title: str
        owner: str
        follow_up_officer: str

    class SolutionAdded(Event):
        TOPIC = "assessment.RemediationPlan.SolutionAdded"
        solution_id: str
        solution: str

        def apply(self, aggregate: Any) -> None:
            aggregate.solutions[self.solution_id] = self.solution

    class MilestoneScheduled(Event):
        TOPIC = "assessment.RemediationPlan.MilestoneScheduled"
        milestone_id: str
        solution_id: str | None
        title: str
        due_on: str

        def apply(self, aggregate: Any) -> None:
            aggregate.milestones[self.milestone_id] = {
                "solution_id": self.solution_id,
                "title": self.title,
                "due_on": self.due_on,
                "done_on": None,
                "extensions": [],
            }

    class ProgressReported(Event):
        TOPIC = "assessment.RemediationPlan.ProgressReported"
        milestone_id: str
        report: str
        evidence: list[dict[str, Any]]
        done: bool

        def apply(self, aggregate: Any) -> None:
            aggregate.progress.append(
                {
                    "milestone_id": self.milestone_id,
                    "report": self.report,
                    "evidence": copy.deepcopy(self.evidence),
                    "done": self.done,
                    "reported_at": self.occurred_at.isoformat(),
                    "by": copy.deepcopy(self.actor),
                }
            )
            if self.done:
                aggregate.milestones[self.milestone_id]["done_on"] = self.done_on

        @property
        def done_on(self) -> str:
            return self.occurred_at.astimezone(VN_TZ).date().isoformat()

    class MilestoneExtended(Event):
        TOPIC = "assessment.RemediationPlan.MilestoneExtended"
        milestone_id: str
        previous_due_on: str
        due_on: str
        reason: str

        def apply(self, aggregate: Any) -> None:
            m = aggregate.milestones[self.milestone_id]
            m["extensions"].append(
                {"from": self.previous_due_on, "to": self.due_on, "reason": self.reason}
            )
            m["due_on"] = self.due_on

    class CompletionVerified(Event):
        TOPIC = "assessment.RemediationPlan.CompletionVerified"
        accepted: bool
        remark: str

        def apply(self, aggregate: Any) -> None:
            aggregate.verifications.append(
                {
                    "accepted": self.accepted,
                    "remark": self.remark,
                    "at": self.occurred_at.isoformat(),
                    "by": copy.deepcopy(self.actor),
                }
            )
            if not self.accepted:
                for m in aggregate.milestones.values():
                    m["done_on"] = None

    class Closed(Event):
        TOPIC = "assessment.RemediationPlan.Closed"
        closed_on: str

        def apply(self, aggregate: Any) -> None:
            aggregate.closed_on = self.closed_on

    class Escalated(Event):
        TOPIC = "assessment.RemediationPlan.Escalated"
        escalated_to: str
        reason: str

        def apply(self, aggregate: Any) -> None:
            aggregate.escalations.append(
                {"to": self.escalated_to, "reason": self.reason, "at": self.occurred_at.isoformat()}
            )

    def __init__(
        self,
        tenant: str,
        actor: dict[str, Any],
        occurred_at: datetime,
        source: dict[str, Any],
        subject: dict[str, Any],
        title: str,
        owner: str,
        follow_up_officer: str,
    ) -> None:
        self.tenant = tenant
        self.source = copy.deepcopy(source)
        self.subject = dict(subject)
        self.title = title
        self.owner = owner
        self.follow_up_officer = follow_up_officer
        self.solutions: dict[str, str] = {}
        self.milestones: dict[str, dict[str, Any]] = {}
        self.progress: list[dict[str, Any]] = []
        self.verifications: list[dict[str, Any]] = []
        self.escalations: list[dict[str, Any]] = []
        self.closed_on: str | None = None

    @classmethod
    def open(
        cls,
        *,
        tenant: str,
        actor: dict[str, Any],
        occurred_at: datetime,
        source_kind: str,
        source_reference: str,
        source_description: str,
        source_year: int,
        raised_by: dict[str, Any],
        subject_kind: str,
        subject_id: str,
        subject_unit_id: str,
        title: str,
        owner: str,
        follow_up_officer: str,
    ) -> RemediationPlan:
        kind = parse_enum(SourceKind, source_kind, "nguồn hạn chế")
        reference = text(source_reference, "mã hạn chế", limit=300)
        raiser = _who(raised_by)
        if not raiser["subject"] or not raiser["role"]:
            raise ValidationFailed("cần người (và vai trò) đã nêu hạn chế")
        if isinstance(source_year, bool) or not isinstance(source_year, int):
            raise ValidationFailed("năm của hạn chế phải là số")
        return cls._create(
            cls.Opened,
            id=remediation_plan_id_for(tenant, kind.value, reference),
            tenant=tenant,
            actor=actor,
            occurred_at=occurred_at,
            source={
                "kind": kind.value,
                "reference": reference,
                "description": text(source_description, "nội dung hạn chế"),
                "year": source_year,
                "raised_by": raiser,
            },
            subject={
                "kind": parse_enum(SubjectKind, subject_kind, "đối tượng khắc phục").value,
                "id": text(subject_id, "đối tượng khắc phục", limit=200),
                "unit_id": text(subject_unit_id, "đơn vị", limit=200),
            },
            title=text(title, "tên kế hoạch khắc phục", limit=500),
            owner=text(owner, "người chịu trách nhiệm khắc phục", limit=200),
            follow_up_officer=text(follow_up_officer, "người theo dõi, đôn đốc", limit=200),
        )

    # -- roadmap ----------------------------------------------------------------------------

    def add_solution(self, *, actor: dict[str, Any], occurred_at: datetime, solution: str) -> str:
        self._not_closed()
        solution_id = str(uuid.uuid5(self.id, f"solution/{len(self.solutions)}"))
        self._trigger(
            self.SolutionAdded,
            actor=actor,
            occurred_at=occurred_at,
            solution_id=solution_id,
            solution=text(solution, "giải pháp"),
        )
        return solution_id

    def schedule_milestone(
        self,
        *,
        actor: dict[str, Any],
        occurred_at: datetime,
        title: str,
        due_on: str,
        solution_id: str | None = None,
    ) -> str:
        self._not_closed()
        if solution_id is not None and solution_id not in self.solutions:
            raise NotFound(f"giải pháp {solution_id} không có trong kế hoạch")
        milestone_id = str(uuid.uuid5(self.id, f"milestone/{len(self.milestones)}"))
        self._trigger(
            self.MilestoneScheduled,
            actor=actor,
            occurred_at=occurred_at,
            milestone_id=milestone_id,
            solution_id=solution_id,
            title=text(title, "mốc lộ trình", limit=500),
            due_on=day(due_on, "hạn hoàn thành"),
        )
        return milestone_id

    def report_progress(
        self,
        *,
        actor: dict[str, Any],
        occurred_at: datetime,
        milestone_id: str,
        report: str,
        evidence: Sequence[dict[str, Any]] = (),
        done: bool = False,
    ) -> None:
        self._not_closed()
        milestone = self.milestone(milestone_id)
        if milestone["done_on"] is not None:
            raise StepOrderViolation("mốc này đã báo cáo hoàn thành; chờ xác nhận")
        files = parse_evidence(list(evidence))
        if done and not files:
            raise ValidationFailed("báo cáo hoàn thành một mốc cần tài liệu minh chứng")
        self._trigger(
            self.ProgressReported,
            actor=actor,
            occurred_at=occurred_at,
            milestone_id=milestone_id,
            report=text(report, "nội dung báo cáo tiến độ"),
            evidence=files,
            done=bool(done),
        )

    def extend(
        self,
        *,
        actor: dict[str, Any],
        occurred_at: datetime,
        milestone_id: str,
        due_on: str,
        reason: str,
    ) -> None:
        self._not_closed()
        milestone = self.milestone(milestone_id)
        new_due = day(due_on, "hạn mới")
        if new_due <= milestone["due_on"]:
            raise ValidationFailed("hạn mới phải sau hạn hiện tại")
        self._trigger(
            self.MilestoneExtended,
            actor=actor,
            occurred_at=occurred_at,
            milestone_id=milestone_id,
            previous_due_on=milestone["due_on"],
            due_on=new_due,
            reason=text(reason, "lý do gia hạn"),
        )

    def escalate(
        self, *, actor: dict[str, Any], occurred_at: datetime, escalated_to: str, reason: str
    ) -> None:
        self._not_closed()
        self._trigger(
            self.Escalated,
            actor=actor,
            occurred_at=occurred_at,
            escalated_to=text(escalated_to, "cấp báo cáo", limit=200),
            reason=text(reason, "lý do báo cáo cấp trên"),
        )

    def verify(
        self, *, actor: dict[str, Any], occurred_at: datetime, accepted: bool, remark: str
    ) -> None:
        """Whoever raised the finding accepts (closing the plan) or rejects the completion."""
        self._not_closed()
        if not self.may_verify(actor):
            raise NotTheRaiser("chỉ người (hoặc cơ quan) đã nêu hạn chế xác nhận việc khắc phục")
        if self.status is not PlanStatus.AWAITING_VERIFICATION:
            raise StepOrderViolation("chưa hoàn thành mọi mốc của lộ trình")
        self._trigger(
            self.CompletionVerified,
            actor=actor,
            occurred_at=occurred_at,
            accepted=bool(accepted),
            remark=text(remark, "nhận xét", required=not accepted),
        )
        if accepted:
            self._trigger(
                self.Closed,
                actor=actor,
                occurred_at=occurred_at,
                closed_on=occurred_at.astimezone(VN_TZ).date().isoformat(),
            )

    # -- derived ----------------------------------------------------------------------------

    def may_verify(self, actor: dict[str, Any]) -> bool:
        raiser = self.source["raised_by"]
        if actor.get("subject") == raiser["subject"]:
            return True
        return bool(
            actor.get("role") == raiser["role"]
            and actor.get("acting_for")
            and actor.get("acting_for") == raiser["acting_for"]
        )

    def milestone(self, milestone_id: str) -> dict[str, Any]:
        found = self.milestones.get(milestone_id)
        if found is None:
            raise NotFound(f"mốc {milestone_id} không có trong kế hoạch")
        return found

    def overdue_milestones(self, as_of: date) -> list[dict[str, Any]]:
        """Milestones not done whose due day is before ``as_of`` (with days overdue)."""
        if self.closed_on is not None:
            return []
        out = []
        for mid, m in self.milestones.items():
            due = date.fromisoformat(m["due_on"])
            if m["done_on"] is None and as_of > due:
                out.append({"milestone_id": mid, **m, "days_overdue": (as_of - due).days})
        return out

    @property
    def status(self) -> PlanStatus:
        if self.closed_on is not None:
            return PlanStatus.CLOSED
        if self.milestones and all(m["done_on"] for m in self.milestones.values()):
            return PlanStatus.AWAITING_VERIFICATION
        return PlanStatus.ESCALATED if self.escalations else PlanStatus.OPEN

    def _not_closed(self) -> None:
        if self.closed_on is not None:
            raise PlanClosed("kế hoạch khắc phục đã đóng")
