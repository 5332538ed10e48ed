"""Reporting routes of the CCHC read model: scores by unit × criterion × year, self vs
appraised gaps, a unit's index history (internal, officials only), and published rankings
(also for the public role: they are published)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request

from reporting.adapters.db import Database
from reporting.read_models.cchc_scores import queries
from shared.http import PROBLEM_RESPONSES
from shared.identity import PUBLIC_ROLE, Caller, CallerDep
from shared.problems import AppError

router = APIRouter(prefix="/v1/reports/cchc", responses=PROBLEM_RESPONSES, tags=["reports-cchc"])
Year = Annotated[int | None, Query(ge=2000, le=2100)]
BlockQ = Annotated[str | None, Query(pattern=r"^[a-z][a-z0-9_]{0,39}$")]


def _db(request: Request) -> Database:
    db: Database = request.app.state.reporting_db
    return db


def _official(caller: Caller) -> None:
    if caller.role == PUBLIC_ROLE:
        raise AppError(
            code="auth.forbidden",
            title="Không có quyền thực hiện",
            title_en="Forbidden",
            status=403,
            detail="báo cáo nội bộ không dành cho vai trò công chúng",
        )


@router.get("/scores", summary="Điểm theo đơn vị × tiêu chí × năm / Scores")
def cchc_scores(
    request: Request,
    caller: CallerDep,
    year: Year = None,
    block: BlockQ = None,
    unit_id: UUID | None = None,
) -> dict[str, Any]:
    _official(caller)
    unit = str(unit_id) if unit_id else None
    return queries.scores(_db(request), caller.tenant, year=year, block=block, unit_id=unit)


@router.get("/gaps", summary="Chênh lệch tự chấm và thẩm định / Self vs appraised gaps")
def cchc_gaps(
    request: Request,
    caller: CallerDep,
    year: Annotated[int, Query(ge=2000, le=2100)],
    block: BlockQ = None,
    threshold: Annotated[Decimal, Query(ge=0, le=100)] = Decimal(5),
) -> dict[str, Any]:
    _official(caller)
    return queries.gaps(_db(request), caller.tenant, year=year, block=block, threshold=threshold)


@router.get("/units/{unit_id}/history", summary="Chỉ số qua các năm / Index history")
def cchc_history(unit_id: UUID, request: Request, caller: CallerDep) -> dict[str, Any]:
    _official(caller)
    return queries.index_history(_db(request), caller.tenant, str(unit_id))


@router.get("/rankings", summary="Xếp hạng đã công bố / Published rankings")
def cchc_rankings(
    request: Request, caller: CallerDep, year: Year = None, block: BlockQ = None
) -> dict[str, Any]:
    return queries.published_rankings(_db(request), caller.tenant, year=year, block=block)
