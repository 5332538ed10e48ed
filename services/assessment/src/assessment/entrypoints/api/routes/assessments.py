"""Thin routes: wire schema → one application call → wire schema.

Plain ``def`` on purpose: the event store is synchronous, FastAPI runs these in its threadpool.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, status

from assessment.entrypoints.api import schemas as s
from assessment.entrypoints.api.deps import AppDep, CtxDep
from shared.http import PROBLEM_RESPONSES

router = APIRouter(prefix="/v1", responses=PROBLEM_RESPONSES)
CREATED = status.HTTP_201_CREATED
UA = "/cycles/{cycle_id}/units/{unit_id}"


@router.post(
    "/units",
    status_code=CREATED,
    response_model=s.CommandResult,
    tags=["units"],
    summary="Đăng ký đơn vị / Register a unit",
)
def register_unit(body: s.UnitCreate, app: AppDep, ctx: CtxDep) -> dict[str, Any]:
    return app.register_unit(
        ctx,
        code=body.code,
        name=body.name,
        kind=body.kind,
        parent_code=body.parent_code,
        valid_from=body.valid_from.isoformat() if body.valid_from else None,
        split_from=body.split_from,
    )


@router.get("/units/{unit_id}", tags=["units"], summary="Xem đơn vị / Get a unit")
def get_unit(unit_id: UUID, app: AppDep, ctx: CtxDep) -> dict[str, Any]:
    return app.get_unit(ctx, unit_id)


@router.post(
    "/units/{unit_id}/rename",
    response_model=s.CommandResult,
    tags=["units"],
    summary="Đổi tên đơn vị / Rename a unit",
)
def rename_unit(unit_id: UUID, body: s.UnitRename, app: AppDep, ctx: CtxDep) -> dict[str, Any]:
    return app.rename_unit(
        ctx,
        unit_id,
        name=body.name,
        effective_date=body.effective_date.isoformat() if body.effective_date else None,
    )


@router.post(
    "/units/{unit_id}/merger",
    response_model=s.CommandResult,
    tags=["units"],
    summary="Sáp nhập đơn vị vào đơn vị khác / Merge into a successor",
)
def merge_unit(unit_id: UUID, body: s.UnitMerge, app: AppDep, ctx: CtxDep) -> dict[str, Any]:
    return app.merge_unit(
        ctx,
        unit_id,
        successor_id=body.successor_id,
        effective_date=body.effective_date.isoformat(),
        decision_number=body.decision_number,
    )


@router.post(
    "/units/{unit_id}/dissolution",
    response_model=s.CommandResult,
    tags=["units"],
    summary="Giải thể đơn vị / Dissolve a unit",
)
def dissolve_unit(unit_id: UUID, body: s.UnitDissolve, app: AppDep, ctx: CtxDep) -> dict[str, Any]:
    return app.dissolve_unit(
        ctx,
        unit_id,
        effective_date=body.effective_date.isoformat(),
        decision_number=body.decision_number,
        reason=body.reason,
    )


@router.post(
    "/assignments",
    status_code=CREATED,
    response_model=s.CommandResult,
    tags=["assignments"],
    summary="Phân công: cơ quan chuyên ngành hoặc thành viên UBND phụ trách đơn vị",
)
def grant_assignment(body: s.AssignmentGrant, app: AppDep, ctx: CtxDep) -> dict[str, Any]:
    return app.grant_assignment(
        ctx,
        kind=body.kind,
        holder=body.holder,
        unit_ids=body.unit_ids,
        decision_number=body.decision_number,
        decision_date=body.decision_date.isoformat(),
        valid_from=body.valid_from.isoformat(),
        valid_to=body.valid_to.isoformat() if body.valid_to else None,
    )


@router.get(
    "/assignments/{assignments_id}", tags=["assignments"], summary="Xem phân công / Get assignments"
)
def get_assignments(assignments_id: UUID, app: AppDep, ctx: CtxDep) -> dict[str, Any]:
    return app.get_assignments(ctx, assignments_id)


@router.post(
    "/assignments/{assignments_id}/revocations",
    response_model=s.CommandResult,
    tags=["assignments"],
    summary="Thu hồi phân công / Revoke a grant",
)
def revoke_assignment(
    assignments_id: UUID, body: s.AssignmentRevoke, app: AppDep, ctx: CtxDep
) -> dict[str, Any]:
    return app.revoke_assignment(
        ctx,
        assignments_id,
        grant_id=body.grant_id,
        effective_date=body.effective_date.isoformat(),
        reason=body.reason,
    )


@router.post(
    "/cycles",
    status_code=CREATED,
    response_model=s.CommandResult,
    tags=["cycles"],
    summary="Lập kế hoạch đánh giá năm / Plan a yearly cycle",
)
def plan_cycle(body: s.CycleCreate, app: AppDep, ctx: CtxDep) -> dict[str, Any]:
    return app.plan_cycle(
        ctx,
        year=body.year,
        plan_reference=body.plan_reference,
        title=body.title,
        content_groups=[g.model_dump() for g in body.content_groups]
        if body.content_groups is not None
        else None,
        deadlines={k: v.isoformat() for k, v in body.deadlines.items()} if body.deadlines else None,
        unit_ids=body.unit_ids,
    )


@router.get("/cycles/{cycle_id}", tags=["cycles"], summary="Xem kỳ đánh giá / Get a cycle")
def get_cycle(cycle_id: UUID, app: AppDep, ctx: CtxDep) -> dict[str, Any]:
    return app.get_cycle(ctx, cycle_id)


@router.post(
    "/cycles/{cycle_id}/enrolments",
    response_model=s.CommandResult,
    tags=["cycles"],
    summary="Đưa đơn vị vào kỳ đánh giá / Enrol units",
)
def enrol_units(cycle_id: UUID, body: s.Enrolment, app: AppDep, ctx: CtxDep) -> dict[str, Any]:
    return app.enrol_units(ctx, cycle_id, body.unit_ids)


@router.post(
    "/cycles/{cycle_id}/deadlines",
    response_model=s.CommandResult,
    tags=["cycles"],
    summary="Đổi hạn chót một bước / Change a step deadline",
)
def change_deadline(
    cycle_id: UUID, body: s.DeadlineChange, app: AppDep, ctx: CtxDep
) -> dict[str, Any]:
    return app.change_deadline(
        ctx, cycle_id, step=body.step, deadline=body.deadline.isoformat(), reason=body.reason
    )


@router.get(UA, tags=["assessments"], summary="Hồ sơ đánh giá của đơn vị / Unit assessment")
def get_unit_assessment(cycle_id: UUID, unit_id: UUID, app: AppDep, ctx: CtxDep) -> dict[str, Any]:
    return app.get_unit_assessment(ctx, cycle_id, unit_id)


@router.post(
    UA + "/sector-reviews",
    status_code=CREATED,
    response_model=s.CommandResult,
    tags=["assessments"],
    summary="Bước 1: nhận xét của cơ quan chuyên ngành",
)
def submit_sector_review(
    cycle_id: UUID, unit_id: UUID, body: s.SectorReviewIn, app: AppDep, ctx: CtxDep
) -> dict[str, Any]:
    return app.submit_sector_review(
        ctx,
        cycle_id,
        unit_id,
        comment=body.comment,
        proposed_level=body.proposed_level,
        published=body.published,
    )


@router.post(
    UA + "/sector-reviews/publish",
    response_model=s.CommandResult,
    tags=["assessments"],
    summary="Bước 1: công bố nhận xét / Publish the review",
)
def publish_sector_review(
    cycle_id: UUID, unit_id: UUID, app: AppDep, ctx: CtxDep
) -> dict[str, Any]:
    return app.publish_sector_review(ctx, cycle_id, unit_id)


@router.post(
    UA + "/self-assessment",
    status_code=CREATED,
    response_model=s.CommandResult,
    tags=["assessments"],
    summary="Bước 2: đơn vị tự đánh giá / Self-assessment",
)
def submit_self_assessment(
    cycle_id: UUID, unit_id: UUID, body: s.SelfAssessmentIn, app: AppDep, ctx: CtxDep
) -> dict[str, Any]:
    groups = {code: g.model_dump() for code, g in body.groups.items()}
    return app.submit_self_assessment(
        ctx, cycle_id, unit_id, groups=groups, proposed_level=body.proposed_level
    )


@router.post(
    UA + "/member-reviews",
    status_code=CREATED,
    response_model=s.CommandResult,
    tags=["assessments"],
    summary="Bước 3: nhận xét của thành viên UBND tỉnh",
)
def submit_member_review(
    cycle_id: UUID, unit_id: UUID, body: s.MemberReviewIn, app: AppDep, ctx: CtxDep
) -> dict[str, Any]:
    return app.submit_member_review(
        ctx,
        cycle_id,
        unit_id,
        assignment_reference=body.assignment_reference,
        comment=body.comment,
        proposed_level=body.proposed_level,
    )


@router.post(
    UA + "/consolidation",
    status_code=CREATED,
    response_model=s.CommandResult,
    tags=["assessments"],
    summary="Bước 4: Sở Nội vụ tổng hợp / Consolidation",
)
def consolidate(
    cycle_id: UUID, unit_id: UUID, body: s.ConsolidationIn, app: AppDep, ctx: CtxDep
) -> dict[str, Any]:
    return app.consolidate(
        ctx, cycle_id, unit_id, summary=body.summary, proposed_level=body.proposed_level
    )


@router.post(
    UA + "/caucus-review",
    status_code=CREATED,
    response_model=s.CommandResult,
    tags=["assessments"],
    summary="Bước 5: Ban cán sự Đảng nhận xét / Caucus review",
)
def review_by_caucus(
    cycle_id: UUID, unit_id: UUID, body: s.CaucusReviewIn, app: AppDep, ctx: CtxDep
) -> dict[str, Any]:
    return app.review_by_caucus(
        ctx, cycle_id, unit_id, comment=body.comment, proposed_level=body.proposed_level
    )


@router.post(
    UA + "/level-adjustments",
    status_code=CREATED,
    response_model=s.CommandResult,
    tags=["assessments"],
    summary="Bước 5: điều chỉnh mức / Adjust the level",
)
def adjust_level(
    cycle_id: UUID, unit_id: UUID, body: s.LevelAdjustmentIn, app: AppDep, ctx: CtxDep
) -> dict[str, Any]:
    return app.adjust_level(ctx, cycle_id, unit_id, level=body.level, reason=body.reason)


@router.post(
    UA + "/recognition",
    status_code=CREATED,
    response_model=s.CommandResult,
    tags=["assessments"],
    summary="Bước 5: UBND tỉnh công nhận / Recognition",
)
def recognise(
    cycle_id: UUID, unit_id: UUID, body: s.RecognitionIn, app: AppDep, ctx: CtxDep
) -> dict[str, Any]:
    return app.recognise(
        ctx,
        cycle_id,
        unit_id,
        decision_number=body.decision_number,
        decision_date=body.decision_date.isoformat(),
        signer=body.signer,
        level=body.level,
    )


@router.post(
    UA + "/publication",
    status_code=CREATED,
    response_model=s.CommandResult,
    tags=["assessments"],
    summary="Công bố kết quả / Publish the result",
)
def publish(
    cycle_id: UUID, unit_id: UUID, body: s.PublicationIn, app: AppDep, ctx: CtxDep
) -> dict[str, Any]:
    return app.publish(ctx, cycle_id, unit_id, channel=body.channel)


@router.post(
    UA + "/perfunctory-flags",
    status_code=CREATED,
    response_model=s.CommandResult,
    tags=["assessments"],
    summary="Báo cáo đơn vị thực hiện sơ sài / Flag perfunctory",
)
def flag_perfunctory(
    cycle_id: UUID, unit_id: UUID, body: s.ReasonIn, app: AppDep, ctx: CtxDep
) -> dict[str, Any]:
    return app.flag_perfunctory(ctx, cycle_id, unit_id, reason=body.reason)


@router.post(
    UA + "/reopenings",
    status_code=CREATED,
    response_model=s.CommandResult,
    tags=["assessments"],
    summary="Mở lại một bước (có lý do) / Reopen a step",
)
def reopen_step(
    cycle_id: UUID, unit_id: UUID, body: s.ReopenIn, app: AppDep, ctx: CtxDep
) -> dict[str, Any]:
    return app.reopen_step(ctx, cycle_id, unit_id, step=body.step, reason=body.reason)
