"""Remediation routes: its commands (derived) and a plan with its overdue milestones."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from assessment.application.remediation import CONTEXT
from assessment.entrypoints.api.commands import command_router
from assessment.entrypoints.api.deps import AppDep, CtxDep

router = command_router(CONTEXT)


@router.get(
    "/remediation-plans/{plan_id}",
    tags=["remediation"],
    summary="Kế hoạch khắc phục, các mốc quá hạn / A plan and its overdue milestones",
)
def get_remediation_plan(
    plan_id: UUID, app: AppDep, ctx: CtxDep, as_of: date | None = None
) -> dict[str, Any]:
    return app.get_remediation_plan(ctx, plan_id, as_of=as_of)
