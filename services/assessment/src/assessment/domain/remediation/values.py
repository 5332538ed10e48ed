"""Values of the remediation context."""

from __future__ import annotations

from enum import StrEnum

from assessment.domain.errors import DomainError


class SourceKind(StrEnum):
    INSPECTION_FINDING = "inspection_finding"  # phát hiện của Đoàn kiểm tra công vụ
    COLLECTIVE_LIMITATION = "collective_limitation"  # hạn chế chỉ ra khi đánh giá tập thể
    CCHC_GAP = "cchc_gap"  # điểm yếu của chỉ số cải cách hành chính
    VOTE_LOW_CONFIDENCE = "vote_low_confidence"  # kết quả lấy phiếu tín nhiệm thấp


SOURCE_LABELS = {
    SourceKind.INSPECTION_FINDING: "Kết luận kiểm tra công vụ",
    SourceKind.COLLECTIVE_LIMITATION: "Hạn chế trong đánh giá tập thể",
    SourceKind.CCHC_GAP: "Hạn chế của chỉ số CCHC",
    SourceKind.VOTE_LOW_CONFIDENCE: "Kết quả lấy phiếu tín nhiệm thấp",
}


class SubjectKind(StrEnum):
    UNIT = "unit"
    PERSON = "person"


class PlanStatus(StrEnum):
    OPEN = "open"
    ESCALATED = "escalated"
    AWAITING_VERIFICATION = "awaiting_verification"
    CLOSED = "closed"


class NotTheRaiser(DomainError):
    code = "remediation.not_the_raiser"
    title = "Chỉ bên nêu hạn chế mới xác nhận hoàn thành khắc phục"
    title_en = "Only whoever raised the finding verifies its remediation"


class PlanClosed(DomainError):
    code = "remediation.closed"
    title = "Kế hoạch khắc phục đã đóng"
    title_en = "The remediation plan is closed"
