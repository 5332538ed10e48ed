"""Remediation commands (seed 002): a plan for a finding, its roadmap, progress, verification."""

from __future__ import annotations

from typing import ClassVar, Literal
from uuid import UUID

from pydantic import Field

from assessment.application.kernel.commands import Command, Data, Day, Route, Text

PLAN = "/remediation-plans/{plan_id}"
Subject = Field(min_length=1, max_length=200, pattern=r"^\S+$")


def at(path: str, summary: str, *, created: bool = True) -> Route:
    return Route(PLAN + path, summary, "remediation", created=created)


class OnSubjectUnit(Command):
    """Checked against the plan's unit once the plan is loaded (the owner's side)."""

    checked_on_target: ClassVar = True


class OpenRemediationPlan(Command):
    route: ClassVar = Route(
        "/remediation-plans",
        "Lập kế hoạch khắc phục một hạn chế / Open a remediation plan",
        "remediation",
    )

    source_kind: Literal[
        "inspection_finding", "collective_limitation", "cchc_gap", "vote_low_confidence"
    ]
    inspection_id: UUID | None = Field(default=None, description="với inspection_finding")
    finding_id: UUID | None = Field(default=None, description="với inspection_finding")
    source_reference: Text | None = Field(
        default=None, max_length=300, description="mã hạn chế (các nguồn khác)"
    )
    source_description: Text | None = Field(default=None, max_length=20_000)
    source_year: int | None = Field(default=None, ge=2000, le=2100)
    subject_kind: Literal["unit", "person"]
    subject_id: str = Subject
    subject_unit_id: UUID
    title: Text = Field(min_length=1, max_length=500)
    owner: str = Subject
    follow_up_officer: str = Subject


class AddSolution(OnSubjectUnit):
    route: ClassVar = at("/solutions", "Thêm giải pháp / Add a solution")

    solution: Text = Field(min_length=1)


class ScheduleMilestone(OnSubjectUnit):
    route: ClassVar = at("/milestones", "Thêm mốc lộ trình / Schedule a milestone")

    title: Text = Field(min_length=1, max_length=500)
    due_on: Day
    solution_id: UUID | None = None


class EvidenceIn(Data):
    name: Text = Field(min_length=1, max_length=255)
    sha256: str = Field(pattern=r"^[0-9a-fA-F]{64}$")
    size: int = Field(ge=0, le=10 * 1024**3)


class ReportProgress(OnSubjectUnit):
    route: ClassVar = at("/milestones/{milestone_id}/progress", "Báo cáo tiến độ / Report progress")

    report: Text = Field(min_length=1)
    evidence: list[EvidenceIn] = Field(default_factory=list, max_length=200)
    done: bool = False


class ExtendMilestone(Command):
    route: ClassVar = at(
        "/milestones/{milestone_id}/extension",
        "Gia hạn một mốc (có lý do) / Extend a milestone",
        created=False,
    )

    due_on: Day
    reason: Text = Field(min_length=1, max_length=5000)


class EscalatePlan(Command):
    route: ClassVar = at("/escalation", "Báo cáo cấp trên / Escalate")

    escalated_to: Text = Field(min_length=1, max_length=200)
    reason: Text = Field(min_length=1, max_length=5000)


class VerifyRemediation(Command):
    route: ClassVar = at("/verification", "Xác nhận hoàn thành khắc phục / Verify the remediation")

    accepted: bool
    remark: Text = Field(default="", max_length=5000)
