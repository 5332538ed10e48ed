"""Remediation queries: a plan with its overdue milestones as of a day; the board of a year."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from assessment.application.kernel.catalogue import query
from assessment.application.kernel.executor import Read
from assessment.application.remediation.api import plans_of_year, summary
from assessment.domain.kernel.values import VN_TZ
from assessment.domain.remediation.plan import RemediationPlan

UNIT_ROLES = frozenset({"unit_head", "unit_officer"})


@query()
def get_remediation_plan(read: Read, plan_id: UUID, as_of: date | None = None) -> dict[str, Any]:
    plan = read.load(RemediationPlan, plan_id, "kế hoạch khắc phục")
    day = as_of or read.app.clock().astimezone(VN_TZ).date()
    return {
        "id": str(plan.id),
        "status": plan.status.value,
        "source": plan.source,
        "subject": plan.subject,
        "title": plan.title,
        "owner": plan.owner,
        "follow_up_officer": plan.follow_up_officer,
        "solutions": plan.solutions,
        "milestones": plan.milestones,
        "progress": plan.progress,
        "verifications": plan.verifications,
        "escalations": plan.escalations,
        "closed_on": plan.closed_on,
        "as_of": day.isoformat(),
        "overdue": plan.overdue_milestones(day),
        "version": plan.version,
    }


@query()
def list_remediation_plans(read: Read, year: int, as_of: date | None = None) -> dict[str, Any]:
    """The remediation board of a year: every plan for a shortcoming found that year, with
    its status and overdue milestones as of ``as_of`` (today in Vietnam by default)."""
    day = as_of or read.app.clock().astimezone(VN_TZ).date()
    plans = plans_of_year(read, year)
    if read.ctx.actor.get("role") in UNIT_ROLES:  # a unit's officials: their own unit's plans
        own = read.app.acting_unit(read.ctx)
        plans = [p for p in plans if own is not None and p.subject["unit_id"] == str(own)]
    items = [summary(p, day) for p in plans]
    items.sort(key=lambda i: (not i["overdue"], i["status"] == "closed", i["title"]))
    return {"year": year, "as_of": day.isoformat(), "items": items}
