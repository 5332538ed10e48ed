"""Remediation queries: a plan with its overdue milestones as of a day."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from assessment.application.kernel.catalogue import query
from assessment.application.kernel.executor import Read
from assessment.domain.kernel.values import VN_TZ
from assessment.domain.remediation.plan import RemediationPlan


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
