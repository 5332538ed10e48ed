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
    # registry and collective rules (issue 9, item 5)
    "registry.unit_not_yet_valid": 422,
    "registry.change_before_enrolled_cycle": 409,
    "collective.decision_date_in_future": 422,
    "collective.decision_before_caucus_review": 422,
    "collective.recognition_reason_required": 422,
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
    # individual context (seed 002, the decrees)
    "individual.validation_failed": 422,
    "individual.rule_set_unavailable": 422,
    "individual.excellent_quota_exceeded": 409,
    "individual.unit_result_pending": 409,
    "individual.head_above_unit": 422,
    "individual.level_above_ceiling": 422,
    "individual.level_forced": 422,
    "individual.level_not_matching_score": 422,
    "individual.not_rateable": 422,
    "individual.not_competent": 403,
    "individual.file_access_denied": 403,
    "individual.step_order": 409,
    "individual.step_closed": 409,
    "individual.minutes_not_approved": 409,
    "individual.previous_agency_opinion_missing": 409,
    "individual.finalised_before_decree_48": 409,
    "individual.reason_required": 422,
    "individual.person_inactive": 422,
    "individual.sheet_closed": 409,
    "individual.score_out_of_range": 422,
    "individual.staff_file_unreadable": 422,
    "remediation.not_the_raiser": 403,
    "remediation.closed": 409,
    "sampling.malformed": 422,
    "sampling.non_canonical": 422,
    "sampling.duplicate_file": 422,
    "sampling.invalid_parameter": 422,
    "sampling.reveal_mismatch": 422,
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
