"""Audit routes: history of an aggregate, an aggregate as of a version or a time, checkpoints."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from assessment.adapters.sealer import Sealer
from assessment.entrypoints.api.deps import AppDep, CtxDep
from shared.audit import key_id, public_key_pem
from shared.http import PROBLEM_RESPONSES
from shared.problems import AppError

router = APIRouter(prefix="/v1/audit", responses=PROBLEM_RESPONSES, tags=["audit"])


def _sealer(request: Request) -> Sealer:
    sealer: Sealer | None = getattr(request.app.state, "sealer", None)
    if sealer is None:
        raise AppError(
            code="audit.unavailable",
            title="Chức năng kiểm toán chưa được bật",
            title_en="Audit not configured",
            status=503,
            headers={"Retry-After": "60"},
        )
    return sealer


@router.get(
    "/aggregates/{aggregate_id}/history",
    summary="Lịch sử một hồ sơ: sự kiện, người thực hiện, thời điểm / History",
)
def history(aggregate_id: UUID, app: AppDep, ctx: CtxDep) -> dict[str, Any]:
    items = app.aggregate_history(ctx, aggregate_id)
    return {"aggregate_id": str(aggregate_id), "items": items}


@router.get(
    "/aggregates/{aggregate_id}", summary="Hồ sơ tại một phiên bản hoặc thời điểm / Aggregate as of"
)
def as_of(
    aggregate_id: UUID,
    app: AppDep,
    ctx: CtxDep,
    version: Annotated[int | None, Query(ge=1, le=2**31)] = None,
    at: Annotated[datetime | None, Query(description="ISO 8601, có múi giờ")] = None,
) -> dict[str, Any]:
    if version is not None and at is not None:
        raise AppError(
            code="request.invalid",
            title="Chỉ chọn một: version hoặc at",
            title_en="Give version or at, not both",
            status=422,
        )
    if at is not None and at.tzinfo is None:
        raise AppError(
            code="request.invalid",
            title="Thời điểm cần múi giờ",
            title_en="Timestamp needs a time zone",
            status=422,
        )
    return app.aggregate_as_of(ctx, aggregate_id, version=version, at=at)


@router.get(
    "/cycles/{cycle_id}/export",
    summary="Xuất lịch sử kỳ đánh giá (NDJSON, kèm chuỗi và điểm kiểm tra) / Export",
    response_class=StreamingResponse,
)
def export_cycle(cycle_id: UUID, request: Request, app: AppDep, ctx: CtxDep) -> StreamingResponse:
    from assessment.adapters.history import export_lines

    app.authorize(ctx, "read_audit")
    app.get_cycle(ctx, cycle_id)  # 404 for another tenant's cycle
    sealer = _sealer(request)
    key = public_key_pem(sealer.signer.public_key) if sealer.signer else None
    lines = export_lines(
        app, sealer, tenant=ctx.tenant, cycle_id=str(cycle_id), public_key_pem=key, seal=False
    )
    return StreamingResponse(
        lines,
        media_type="application/x-ndjson",
        headers={"Content-Disposition": f'attachment; filename="cycle-{cycle_id}.ndjson"'},
    )


@router.get(
    "/checkpoints",
    summary="Điểm kiểm tra đã ký / Signed checkpoints",
    description=(
        "Quyền `read_audit`. Trả các điểm kiểm tra đã ký (cần để kiểm một tệp xuất), không trả "
        "đầu chuỗi hiện thời: số sự kiện của mọi tỉnh chỉ lộ ở mức thô, theo từng điểm kiểm tra "
        "/ `read_audit` only; signed checkpoints, never the live chain head."
    ),
)
def checkpoints(
    request: Request,
    app: AppDep,
    ctx: CtxDep,
    after: Annotated[int, Query(ge=0, le=2**62)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> dict[str, Any]:
    app.authorize(ctx, "read_audit")
    sealer = _sealer(request)
    return {"items": [cp.to_dict() for cp in sealer.checkpoints(after, None, limit)]}


@router.get("/public-key", summary="Khóa công khai kiểm tra chữ ký / Checkpoint public key")
def public_key(request: Request, app: AppDep, ctx: CtxDep) -> dict[str, Any]:
    app.authorize(ctx, "read_audit")
    sealer = _sealer(request)
    if sealer.public_key is None:
        raise AppError(
            code="audit.no_key",
            title="Chưa cấu hình khóa ký",
            status=503,
            title_en="No signing key configured",
            headers={"Retry-After": "60"},
        )
    return {
        "key_id": key_id(sealer.public_key),
        "public_key_pem": public_key_pem(sealer.public_key),
    }
