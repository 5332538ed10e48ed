"""Registry routes: its commands (derived) and its reads."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import Query

from assessment.application.registry import CONTEXT
from assessment.application.registry.commands import UnitKindCode
from assessment.entrypoints.api.commands import command_router
from assessment.entrypoints.api.deps import AppDep, CtxDep

router = command_router(CONTEXT)


@router.get(
    "/units",
    tags=["units"],
    summary="Danh sách đơn vị: tìm, lọc theo nhóm, phân trang / List units",
    description=(
        "Đơn vị của tỉnh mình (theo token): tìm theo mã hoặc tên (mọi tên đã có, không phân "
        "biệt dấu), lọc theo nhóm (`kind`) và ngày còn hiệu lực (`valid_on`), kèm hiệu lực và "
        "quan hệ sáp nhập / chia tách. Tham số sai: 422 problem+json / The caller's tenant's "
        "units, searched, filtered, paged, with validity and lineage."
    ),
)
def list_units(
    app: AppDep,
    ctx: CtxDep,
    q: Annotated[str, Query(max_length=200, description="mã hoặc tên / code or name")] = "",
    kind: Annotated[UnitKindCode | None, Query(description="nhóm đơn vị / group")] = None,
    valid_on: Annotated[date | None, Query(description="còn hiệu lực ngày / valid on")] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict[str, Any]:
    return app.list_units(ctx, q=q, kind=kind, valid_on=valid_on, page=page, page_size=page_size)


@router.get("/units/{unit_id}", tags=["units"], summary="Xem đơn vị / Get a unit")
def get_unit(unit_id: UUID, app: AppDep, ctx: CtxDep) -> dict[str, Any]:
    return app.get_unit(ctx, unit_id)


@router.get(
    "/assignments/{assignments_id}", tags=["assignments"], summary="Xem phân công / Get assignments"
)
def get_assignments(assignments_id: UUID, app: AppDep, ctx: CtxDep) -> dict[str, Any]:
    return app.get_assignments(ctx, assignments_id)
