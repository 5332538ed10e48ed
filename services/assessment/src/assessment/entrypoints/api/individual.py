"""Individual routes: its commands (derived), the staff-list upload, and the recorded reads of
personal data (a person's file, a rating, a score sheet, a quota)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import Query, Request
from starlette.concurrency import run_in_threadpool

from assessment.adapters.individual.staff_xlsx import parse_staff_xlsx
from assessment.application.individual import CONTEXT, reads
from assessment.application.individual.commands import ImportStaff, PersonIn
from assessment.entrypoints.api.commands import command_router
from assessment.entrypoints.api.deps import AppDep, CtxDep
from shared.problems import AppError

router = command_router(CONTEXT)
MAX_UPLOAD = 20 * 1024 * 1024


UPLOAD_SCHEMA = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}},
                }
            }
        },
    }
}


@router.post(
    "/people/imports/xlsx",
    status_code=201,
    tags=["people"],
    summary="Nhập danh sách cán bộ từ tệp XLSX / Import a staff list from XLSX",
    openapi_extra=UPLOAD_SCHEMA,
)
async def import_staff_xlsx(request: Request, app: AppDep, ctx: CtxDep) -> dict[str, Any]:
    """Multipart field ``file`` (.xlsx, first sheet, a header row). Every bad row is reported
    (422 ``individual.staff_file_invalid`` with ``errors``: row, column, code, message);
    nothing is stored from a file with any bad row."""
    if len(await request.body()) > MAX_UPLOAD:
        raise _invalid_upload(f"tệp lớn hơn {MAX_UPLOAD // (1024 * 1024)} MB")
    try:
        form = await request.form()
    except Exception:  # a body that is not multipart at all
        raise _invalid_upload(
            "cần gửi tệp .xlsx trong trường 'file' (multipart/form-data)"
        ) from None
    upload = form.get("file")
    if upload is None or isinstance(upload, str):
        raise _invalid_upload("cần gửi tệp .xlsx trong trường 'file' (multipart/form-data)")
    staff = parse_staff_xlsx(await upload.read())
    if not staff.accepted:
        raise AppError(
            code="individual.staff_file_invalid",
            title="Tệp danh sách có dòng không hợp lệ; không dòng nào được ghi",
            title_en="The staff file has invalid rows; nothing was stored",
            status=422,
            detail=f"{len(staff.errors)} lỗi / errors",
            extra={"errors": [e.to_dict() for e in staff.errors]},
        )
    cmd = ImportStaff(rows=[PersonIn(**row.register_kwargs()) for row in staff.rows])
    spec = CONTEXT.commands["import_staff"]
    result: dict[str, Any] = await run_in_threadpool(app.execute, spec, ctx, cmd, {})
    return result


def _invalid_upload(detail: str) -> AppError:
    return AppError(
        code="request.invalid",
        title="Yêu cầu không hợp lệ",
        title_en="Invalid request",
        status=422,
        detail=detail,
        extra={"errors": [{"loc": ["body", "file"], "msg": detail}]},
    )


@router.get("/people/{person_id}", tags=["people"], summary="Hồ sơ cá nhân / A person's file")
def read_person_file(person_id: UUID, app: AppDep, ctx: CtxDep) -> dict[str, Any]:
    return app.execute(reads.READ_PERSON_FILE, ctx, reads.ReadFile(), {"person_id": person_id})


@router.get("/ratings/{rating_id}", tags=["ratings"], summary="Hồ sơ xếp loại / A rating")
def read_rating(rating_id: UUID, app: AppDep, ctx: CtxDep) -> dict[str, Any]:
    return app.execute(reads.READ_RATING, ctx, reads.ReadFile(), {"rating_id": rating_id})


@router.get("/sheets/{sheet_id}", tags=["score-sheets"], summary="Phiếu tháng/quý / A sheet")
def read_sheet(sheet_id: UUID, app: AppDep, ctx: CtxDep) -> dict[str, Any]:
    return app.execute(reads.READ_SHEET, ctx, reads.ReadFile(), {"sheet_id": sheet_id})


@router.get("/quotas", tags=["quotas"], summary="Tỷ lệ 'xuất sắc' còn lại / Quota view")
def read_quota(
    app: AppDep,
    ctx: CtxDep,
    agency_id: Annotated[str, Query(pattern=r"^[A-Za-z0-9._-]{1,64}$")],
    task_group: Annotated[str, Query(min_length=1, max_length=100)],
    year: Annotated[int, Query(ge=2020, le=2100)],
    side: Annotated[str, Query(pattern="^(state|party)$")] = "state",
) -> dict[str, Any]:
    cmd = reads.ReadQuota(agency_id=agency_id, task_group=task_group, year=year, side=side)
    return app.execute(reads.READ_QUOTA, ctx, cmd, {})
