"""Registry routes: its commands (derived) and its reads."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from assessment.application.registry import CONTEXT
from assessment.entrypoints.api.commands import command_router
from assessment.entrypoints.api.deps import AppDep, CtxDep

router = command_router(CONTEXT)


@router.get("/units/{unit_id}", tags=["units"], summary="Xem đơn vị / Get a unit")
def get_unit(unit_id: UUID, app: AppDep, ctx: CtxDep) -> dict[str, Any]:
    return app.get_unit(ctx, unit_id)


@router.get(
    "/assignments/{assignments_id}", tags=["assignments"], summary="Xem phân công / Get assignments"
)
def get_assignments(assignments_id: UUID, app: AppDep, ctx: CtxDep) -> dict[str, Any]:
    return app.get_assignments(ctx, assignments_id)
