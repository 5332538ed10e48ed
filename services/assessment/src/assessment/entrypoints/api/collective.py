"""Collective routes: its commands (derived) and its reads."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from assessment.application.collective import CONTEXT
from assessment.application.collective.commands import UA
from assessment.entrypoints.api.commands import command_router
from assessment.entrypoints.api.deps import AppDep, CtxDep

router = command_router(CONTEXT)


@router.get("/cycles/{cycle_id}", tags=["cycles"], summary="Xem kỳ đánh giá / Get a cycle")
def get_cycle(cycle_id: UUID, app: AppDep, ctx: CtxDep) -> dict[str, Any]:
    return app.get_cycle(ctx, cycle_id)


@router.get(UA, tags=["assessments"], summary="Hồ sơ đánh giá của đơn vị / Unit assessment")
def get_unit_assessment(cycle_id: UUID, unit_id: UUID, app: AppDep, ctx: CtxDep) -> dict[str, Any]:
    return app.get_unit_assessment(ctx, cycle_id, unit_id)
