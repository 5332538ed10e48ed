"""CCHC routes: its commands (derived from the catalogue), its reads, and the spreadsheets —
a criteria set imported from / exported to XLSX in the published shape, survey results imported
from XLSX. An upload is the raw workbook as the request body (``Content-Type: application/
vnd.openxmlformats-officedocument.spreadsheetml.sheet``, at most 5 MB); a refused file answers
422 ``cchc.sheet_rejected`` with ``errors``: one entry per row at fault, and stores nothing."""

from __future__ import annotations

import hashlib
from typing import Annotated, Any
from urllib.parse import quote
from uuid import UUID

from fastapi import Query, Request, Response
from starlette.concurrency import run_in_threadpool

from assessment.adapters.cchc.xlsx import (
    read_criteria_xlsx,
    read_survey_xlsx,
    survey_unit_codes,
    write_criteria_xlsx,
)
from assessment.application.cchc import CONTEXT
from assessment.application.cchc.commands import SCORING, SET, TAG_RANKING, TAG_SCORING, TAG_SETS
from assessment.application.kernel.commands import CommandResult
from assessment.entrypoints.api.commands import command_router
from assessment.entrypoints.api.deps import AppDep, CtxDep
from shared.problems import AppError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD = 5 * 1024 * 1024
UPLOAD_DOC: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}},
    }
}

router = command_router(CONTEXT)


async def _workbook(request: Request) -> bytes:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != XLSX:
        raise AppError(
            code="request.invalid",
            title="Thân yêu cầu phải là tệp XLSX",
            title_en="The request body must be an XLSX workbook",
            status=422,
            detail=f"Content-Type phải là {XLSX}",
            extra={"errors": [{"loc": ["body"], "msg": f"Content-Type '{media}' ≠ {XLSX}"}]},
        )
    data = await request.body()
    if not data:
        raise AppError(
            code="request.invalid",
            title="Cần tệp XLSX trong thân yêu cầu",
            title_en="An XLSX file is required as the request body",
            status=422,
        )
    if len(data) > MAX_UPLOAD:
        raise AppError(
            code="request.too_large",
            title="Tệp quá lớn (tối đa 5 MB)",
            title_en="File too large (5 MB at most)",
            status=413,
        )
    return data


@router.post(
    "/cchc/criteria-sets/import",
    status_code=201,
    response_model=CommandResult,
    tags=[TAG_SETS],
    summary="Nhập bộ tiêu chí từ XLSX / Import a set from XLSX",
    openapi_extra=UPLOAD_DOC,
)
async def import_criteria_set(
    request: Request,
    app: AppDep,
    ctx: CtxDep,
    year: Annotated[int, Query(ge=2000, le=2100)],
    block: Annotated[str, Query(pattern=r"^[a-z][a-z0-9_]{0,39}$")],
    title: Annotated[str, Query(min_length=1, max_length=300)],
    supersedes: UUID | None = None,
) -> dict[str, Any]:
    app.authorize(ctx, "draft_criteria_set")  # a wrong role hears 403 before any parsing
    data = await _workbook(request)
    content = await run_in_threadpool(read_criteria_xlsx, data)
    return await run_in_threadpool(
        app.draft_criteria_set,
        ctx,
        year=year,
        block=block,
        title=title,
        content=content,
        supersedes=supersedes,
    )


@router.get(
    SET + "/export.xlsx",
    tags=[TAG_SETS],
    summary="Xuất bộ tiêu chí ra XLSX / Export a set as XLSX",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}}},
)
def export_criteria_set(set_id: UUID, app: AppDep, ctx: CtxDep) -> Response:
    found = app.get_criteria_set(ctx, set_id)
    content = found["content"]
    title = f"{found['title']} (năm {found['year']}, phiên bản {found['set_version']})"
    data = write_criteria_xlsx(content, title)
    name = f"bo-tieu-chi-{found['block']}-{found['year']}-v{found['set_version']}.xlsx"
    return Response(
        data,
        media_type=XLSX,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"},
    )


@router.post(
    SET + "/surveys/import",
    response_model=CommandResult,
    tags=[TAG_SCORING],
    summary="Nhập kết quả điều tra từ XLSX / Import survey results",
    openapi_extra=UPLOAD_DOC,
)
async def import_surveys(
    set_id: UUID,
    request: Request,
    app: AppDep,
    ctx: CtxDep,
    year: Annotated[int, Query(ge=2000, le=2100)],
    reason: Annotated[str, Query(max_length=2000)] = "",
) -> dict[str, Any]:
    app.authorize(ctx, "record_surveys")
    data = await _workbook(request)
    found = await run_in_threadpool(app.get_criteria_set, ctx, set_id)
    content = found["content"]

    def parse() -> dict[str, Any]:
        # the units the file names that have a scoring year on this set; any other is refused
        known = app.cchc_units_scored(ctx, set_id, year, survey_unit_codes(data))
        return read_survey_xlsx(data, content, known_units=known)

    results = await run_in_threadpool(parse)
    return await run_in_threadpool(
        app.record_surveys,
        ctx,
        set_id,
        year=year,
        results=results,
        source_sha256=hashlib.sha256(data).hexdigest(),
        reason=reason,
    )


@router.get(SET, tags=[TAG_SETS], summary="Xem bộ tiêu chí / Get a criteria set")
def get_criteria_set(set_id: UUID, app: AppDep, ctx: CtxDep) -> dict[str, Any]:
    return app.get_criteria_set(ctx, set_id)


@router.get(SCORING, tags=[TAG_SCORING], summary="Hồ sơ chấm điểm / A unit's scoring")
def get_cchc_scoring(scoring_id: UUID, app: AppDep, ctx: CtxDep) -> dict[str, Any]:
    return app.get_cchc_scoring(ctx, scoring_id)


@router.get(
    SCORING + "/reconciliation",
    tags=[TAG_SCORING],
    summary="Đối chiếu tự chấm và thẩm định / Reconciliation",
)
def get_cchc_reconciliation(scoring_id: UUID, app: AppDep, ctx: CtxDep) -> dict[str, Any]:
    return app.get_cchc_reconciliation(ctx, scoring_id)


@router.get("/cchc/rankings/{ranking_id}", tags=[TAG_RANKING], summary="Xếp hạng khối / A ranking")
def get_cchc_ranking(ranking_id: UUID, app: AppDep, ctx: CtxDep) -> dict[str, Any]:
    return app.get_cchc_ranking(ctx, ranking_id)


@router.get("/cchc/flags/{flag_id}", tags=[TAG_SETS], summary="Phản ánh tiêu chí / A flag")
def get_criterion_flag(flag_id: UUID, app: AppDep, ctx: CtxDep) -> dict[str, Any]:
    return app.get_criterion_flag(ctx, flag_id)
