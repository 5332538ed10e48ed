"""Domain and infrastructure errors → problem+json: the one table."""

from __future__ import annotations

from eventsourcing.persistence import InterfaceError, OperationalError
from psycopg_pool import PoolTimeout

from assessment.domain.kernel.errors import DomainError
from shared.problems import AppError

STATUS_BY_CODE = {
    "assessment.validation_failed": 422,
    "resource.not_found": 404,
    "assessment.already_exists": 409,
    "assessment.step_closed": 409,
    "assessment.step_order": 409,
    "assessment.reason_required": 422,
    "assessment.nothing_to_reopen": 409,
    "assessment.concurrent_update": 409,
    "request.idempotency_key_reused": 422,
    "auth.forbidden": 403,
    "auth.outside_assignment": 403,
    # cchc context
    "cchc.rule_invalid": 422,
    "cchc.tree_invalid": 422,
    "cchc.sheet_rejected": 422,
    "cchc.score_outside_rule": 422,
    "cchc.unknown_criterion": 422,
    "cchc.set_published": 409,
    "cchc.set_not_published": 409,
    "cchc.scoring_closed": 409,
    "cchc.scoring_order": 409,
    "cchc.deadline_passed": 409,
    "cchc.already_replied": 409,
    "cchc.appraiser_not_named": 403,
}


def translate(exc: Exception) -> AppError | None:
    if isinstance(exc, DomainError):
        return AppError(
            code=exc.code,
            title=exc.title,
            title_en=exc.title_en,
            status=STATUS_BY_CODE.get(exc.code, 400),
            detail=exc.detail,
            # a refused spreadsheet names every row at fault (sheet, row, code, detail)
            extra={"errors": exc.problems} if hasattr(exc, "problems") else {},
        )
    if isinstance(exc, OperationalError | InterfaceError | PoolTimeout):
        return AppError(
            code="service.unavailable",
            title="Cơ sở dữ liệu tạm thời không sẵn sàng",
            title_en="Database unavailable",
            status=503,
            detail="thử lại sau ít giây; không có gì được ghi",
            headers={"Retry-After": "5"},
        )
    return None
