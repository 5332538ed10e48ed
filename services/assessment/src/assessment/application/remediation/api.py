"""What the remediation context offers other contexts: last year's unremedied shortcomings of
a unit and of its persons, for next year's evaluation (seed 002; 366-QĐ/TW: "excellent"
needs earlier shortcomings remedied). The collective context reads it into the unit's file."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from assessment.application.kernel.executor import Read
from assessment.domain.kernel.listing import Listing, listing_id_for
from assessment.domain.remediation.plan import RemediationPlan
from assessment.domain.remediation.values import PlanStatus

LISTING = "remediation_plans"


def plans_of_year(read: Read, year: int) -> list[RemediationPlan]:
    """The tenant's plans for shortcomings found in ``year`` (the listing kept on opening)."""
    listing = read.find(Listing, listing_id_for(read.tenant, LISTING, str(year)), "danh sách")
    if listing is None:
        return []
    return [read.load(RemediationPlan, UUID(pid), "kế hoạch khắc phục") for pid in listing.entries]


def summary(plan: RemediationPlan, as_of: date) -> dict[str, Any]:
    return {
        "plan_id": str(plan.id),
        "title": plan.title,
        "status": plan.status.value,
        "source": plan.source,
        "subject": plan.subject,
        "owner": plan.owner,
        "follow_up_officer": plan.follow_up_officer,
        "milestones": len(plan.milestones),
        "milestones_done": sum(1 for m in plan.milestones.values() if m["done_on"]),
        "overdue": plan.overdue_milestones(as_of),
        "closed_on": plan.closed_on,
    }


def unremedied(read: Read, unit_id: UUID, year: int, as_of: date) -> list[dict[str, Any]]:
    """Plans on ``unit_id`` (the unit itself or one of its persons) for shortcomings found in
    ``year`` that are not closed (verified done) — carried into the next year's evaluation."""
    return [
        summary(p, as_of)
        for p in plans_of_year(read, year)
        if p.subject["unit_id"] == str(unit_id) and p.status is not PlanStatus.CLOSED
    ]
