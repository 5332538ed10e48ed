"""Domain errors. Each has a stable ``code``; the HTTP adapter maps codes to statuses."""

from __future__ import annotations


class DomainError(Exception):
    code = "assessment.invalid"
    title = "Yêu cầu không hợp lệ"
    title_en = "Invalid request"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class ValidationFailed(DomainError):
    code = "assessment.validation_failed"
    title = "Dữ liệu không hợp lệ"
    title_en = "Validation failed"


class NotFound(DomainError):
    code = "resource.not_found"
    title = "Không tìm thấy"
    title_en = "Not found"


class AlreadyExists(DomainError):
    code = "assessment.already_exists"
    title = "Đã tồn tại"
    title_en = "Already exists"


class StepClosed(DomainError):
    code = "assessment.step_closed"
    title = "Bước đánh giá đã đóng"
    title_en = "Step is closed"


class StepOrderViolation(DomainError):
    code = "assessment.step_order"
    title = "Chưa đến bước này"
    title_en = "Previous step not done"


class ReasonRequired(DomainError):
    code = "assessment.reason_required"
    title = "Cần nêu lý do"
    title_en = "A reason is required"


class NothingToReopen(DomainError):
    code = "assessment.nothing_to_reopen"
    title = "Bước này chưa có kết quả để làm lại"
    title_en = "Nothing to reopen"
