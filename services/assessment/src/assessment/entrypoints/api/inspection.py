"""Inspection routes: its commands (derived), the register upload, and its reads.

``POST …/work-items/upload`` takes the unit's register file as the request body (XLSX or
UTF-8 CSV; ``filename`` query parameter, or the content type, tells which). Every row is
checked; a bad file answers ``422 request.invalid`` with one entry per bad cell in ``errors``
(row, column, code, Vietnamese message, English message) and stores nothing. A good file runs
the ``import_work_items`` command (same permission, idempotency and transaction).
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import Query, Request
from starlette.concurrency import run_in_threadpool

from assessment.adapters.inspection.register_files import read_register
from assessment.application.inspection import CONTEXT
from assessment.application.inspection.commands import AT_UNIT, ImportWorkItems
from assessment.application.inspection.reads import READ_WORK_FIGURES, ReadFigures
from assessment.entrypoints.api.commands import command_router
from assessment.entrypoints.api.deps import AppDep, CtxDep
from shared.problems import AppError

router = command_router(CONTEXT)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DIMENSIONS = ("person", "field", "kind", "year", "quarter")


@router.post(
    AT_UNIT + "/work-items/upload",
    tags=["inspections"],
    status_code=201,
    summary="Tải lên sổ công việc (XLSX/CSV), kiểm tra từng dòng / Upload the register file",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}},
                "text/csv": {"schema": {"type": "string", "format": "binary"}},
            },
        }
    },
)
async def upload_work_items(
    inspection_id: UUID,
    unit_id: UUID,
    request: Request,
    app: AppDep,
    ctx: CtxDep,
    filename: Annotated[str | None, Query(max_length=255)] = None,
    append: bool = False,
) -> dict[str, Any]:
    data = await request.body()
    content_type = request.headers.get("content-type", "")
    name = filename or ("register.xlsx" if content_type.startswith(XLSX_TYPE) else "register.csv")
    result = read_register(data, name)
    if not result.ok:
        errors = [e.to_dict() for e in result.errors]
        raise AppError(
            code="request.invalid",
            title="Sổ đăng ký có dòng không hợp lệ; không dòng nào được nhập",
            title_en="The register has invalid rows; nothing was imported",
            status=422,
            detail=f"{len(errors)} lỗi / errors; "
            + "; ".join(
                f"dòng {e['row']}"
                + (f", cột '{e['column']}'" if e["column"] else "")
                + f": {e['message']}"
                for e in errors[:20]
            ),
            extra={"errors": errors, "rows_read": result.rows_read},
        )
    cmd = ImportWorkItems.model_validate(
        {
            "items": [i.to_dict() for i in result.items],
            "filename": name,
            "sha256": hashlib.sha256(data).hexdigest(),
            "size": len(data),
            "append": append,
        }
    )
    spec = CONTEXT.commands["import_work_items"]
    ids = {"inspection_id": inspection_id, "unit_id": unit_id}
    answer: dict[str, Any] = await _run(app.execute, spec, ctx, cmd, ids)
    return answer | {"ignored_columns": result.ignored_columns}


async def _run(fn: Any, *args: Any) -> Any:
    return await run_in_threadpool(fn, *args)


@router.get(
    "/inspections/{inspection_id}",
    tags=["inspections"],
    summary="Hồ sơ cuộc kiểm tra / The inspection file",
)
def get_inspection(inspection_id: UUID, app: AppDep, ctx: CtxDep) -> dict[str, Any]:
    return app.get_inspection(ctx, inspection_id)


@router.get("/inspections", tags=["inspections"], summary="Các cuộc kiểm tra của một năm / List")
def list_inspections(
    app: AppDep, ctx: CtxDep, year: Annotated[int, Query(ge=1990, le=2200)]
) -> dict[str, Any]:
    return app.list_inspections(ctx, year)


@router.get(
    AT_UNIT + "/work-items/figures",
    tags=["inspections"],
    summary="Số liệu đúng hạn / trễ hạn theo người, lĩnh vực (mỗi lần xem được ghi lại) / "
    "Work-item figures (every read recorded)",
)
def get_work_figures(
    inspection_id: UUID,
    unit_id: UUID,
    app: AppDep,
    ctx: CtxDep,
    by: Annotated[list[str] | None, Query()] = None,
    as_of: datetime | None = None,
) -> dict[str, Any]:
    dims = tuple(by or ("person", "field"))
    unknown = [d for d in dims if d not in DIMENSIONS]
    if unknown:
        raise AppError(
            code="request.invalid",
            title="Dữ liệu không hợp lệ",
            title_en="Invalid request",
            status=422,
            detail=f"chiều thống kê không hợp lệ: {', '.join(unknown)}",
            extra={
                "errors": [
                    {
                        "loc": ["query", "by"],
                        "msg": f"chọn: {', '.join(DIMENSIONS)}",
                        "type": "enum",
                    }
                ]
            },
        )
    cmd = ReadFigures.model_validate({"by": dims, "as_of": as_of})
    ids = {"inspection_id": inspection_id, "unit_id": unit_id}
    return app.execute(READ_WORK_FIGURES, ctx, cmd, ids)


@router.get(
    AT_UNIT + "/sample",
    tags=["sampling"],
    summary="Bản ghi rút mẫu công khai (SAMPLING.md) / The published sampling record",
)
def get_sampling_record(
    inspection_id: UUID, unit_id: UUID, app: AppDep, ctx: CtxDep
) -> dict[str, Any]:
    return app.get_sampling_record(ctx, inspection_id, unit_id)
