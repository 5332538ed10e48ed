"""Remediation handlers: one per command. An inspection finding is read through
``inspection.api`` (never its domain); the owner's side is checked on the plan's unit."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from assessment.application.inspection.api import finding_source
from assessment.application.kernel.catalogue import Outcome, saved
from assessment.application.kernel.executor import Run
from assessment.application.kernel.permissions import role_scope
from assessment.application.registry.api import require_active_in
from assessment.application.remediation.api import LISTING
from assessment.application.remediation.commands import (
    AddSolution,
    EscalatePlan,
    ExtendMilestone,
    OpenRemediationPlan,
    ReportProgress,
    ScheduleMilestone,
    VerifyRemediation,
)
from assessment.domain.kernel.errors import AlreadyExists, ValidationFailed
from assessment.domain.kernel.listing import Listing, listing_id_for
from assessment.domain.remediation.plan import RemediationPlan, remediation_plan_id_for


def _json(cmd: Any, *, exclude: set[str] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = cmd.model_dump(mode="json", exclude=exclude)
    return out


def _plan(run: Run, plan_id: UUID, *, owner_side: bool = False) -> RemediationPlan:
    if owner_side:  # checked on the plan's unit after loading; a role never allowed: before
        role_scope(run.app.catalogue.matrix, run.command, str(run.ctx.actor.get("role")))
    plan = run.load(RemediationPlan, plan_id, "kế hoạch khắc phục")
    if owner_side:
        run.authorize_for(UUID(plan.subject["unit_id"]), int(plan.source["year"]))
    return plan


def open_remediation_plan(run: Run, cmd: OpenRemediationPlan) -> Outcome:
    fields = _json(
        cmd,
        exclude={
            "inspection_id",
            "finding_id",
            "source_reference",
            "source_description",
            "source_year",
        },
    )
    if cmd.source_kind == "inspection_finding":
        if cmd.inspection_id is None or cmd.finding_id is None:
            raise ValidationFailed("hạn chế từ kiểm tra công vụ cần inspection_id và finding_id")
        found = finding_source(run, cmd.inspection_id, cmd.finding_id)
        reference, description = found["reference"], found["description"]
        year, raised_by = found["year"], found["raised_by"]
    else:
        if not (cmd.source_reference and cmd.source_description and cmd.source_year):
            raise ValidationFailed(
                "cần source_reference, source_description và source_year của hạn chế"
            )
        reference, description = cmd.source_reference, cmd.source_description
        year, raised_by = cmd.source_year, run.ctx.actor
    require_active_in(run, [cmd.subject_unit_id], year)
    if run.exists(remediation_plan_id_for(run.tenant, cmd.source_kind, reference)):
        raise AlreadyExists("hạn chế này đã có kế hoạch khắc phục")
    plan = RemediationPlan.open(
        tenant=run.tenant,
        **run.by,
        source_reference=reference,
        source_description=description,
        source_year=year,
        raised_by=raised_by,
        **fields,
    )
    # the year's listing: the board and next year's evaluation walk it (remediation.api)
    listing = run.find(Listing, listing_id_for(run.tenant, LISTING, str(year)), "danh sách")
    if listing is None:
        listing = Listing.open(tenant=run.tenant, **run.by, name=LISTING, key=str(year))
    listing.add(**run.by, entry_id=str(plan.id), entry={"unit_id": str(cmd.subject_unit_id)})
    return saved(plan, listing)


def add_solution(run: Run, cmd: AddSolution, plan_id: UUID) -> Outcome:
    plan = _plan(run, plan_id, owner_side=True)
    solution_id = plan.add_solution(**run.by, **_json(cmd))
    return saved(plan, solution_id=solution_id)


def schedule_milestone(run: Run, cmd: ScheduleMilestone, plan_id: UUID) -> Outcome:
    plan = _plan(run, plan_id, owner_side=True)
    milestone_id = plan.schedule_milestone(**run.by, **_json(cmd))
    return saved(plan, milestone_id=milestone_id)


def report_progress(run: Run, cmd: ReportProgress, plan_id: UUID, milestone_id: UUID) -> Outcome:
    plan = _plan(run, plan_id, owner_side=True)
    plan.report_progress(**run.by, milestone_id=str(milestone_id), **_json(cmd))
    return saved(plan, status=plan.status.value)


def extend_milestone(run: Run, cmd: ExtendMilestone, plan_id: UUID, milestone_id: UUID) -> Outcome:
    plan = _plan(run, plan_id)
    plan.extend(**run.by, milestone_id=str(milestone_id), **_json(cmd))
    return saved(plan)


def escalate_plan(run: Run, cmd: EscalatePlan, plan_id: UUID) -> Outcome:
    plan = _plan(run, plan_id)
    plan.escalate(**run.by, **_json(cmd))
    return saved(plan, status=plan.status.value)


def verify_remediation(run: Run, cmd: VerifyRemediation, plan_id: UUID) -> Outcome:
    plan = _plan(run, plan_id)
    plan.verify(**run.by, **_json(cmd))
    return saved(plan, status=plan.status.value)
