"""Remediation routes: its commands (derived) and a plan with its overdue milestones."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import Query

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


@router.get(
    "/remediation-plans",
    tags=["remediation"],
    summary="Bảng theo dõi khắc phục của một năm / The remediation board of a year",
)
def list_remediation_plans(
    app: AppDep,
    ctx: CtxDep,
    year: Annotated[int, Query(ge=1990, le=2200)],
    as_of: date | None = None,
) -> dict[str, Any]:
    return app.list_remediation_plans(ctx, year, as_of=as_of)
