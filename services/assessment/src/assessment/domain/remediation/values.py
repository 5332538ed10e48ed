"""Values of the remediation context."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

from assessment.domain.kernel.errors import DomainError, ValidationFailed
from assessment.domain.kernel.values import EvidenceFile

MAX_TEXT = 20_000
E = TypeVar("E", bound=StrEnum)


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


def parse_enum(cls: type[E], value: Any, what: str) -> E:
    try:
        return cls(value)
    except ValueError:
        allowed = ", ".join(m.value for m in cls)
        raise ValidationFailed(f"{what} '{value}' không hợp lệ; chọn: {allowed}") from None


def text(value: Any, what: str, *, required: bool = True, limit: int = MAX_TEXT) -> str:
    out = (value if isinstance(value, str) else "" if value is None else str(value)).strip()
    if required and not out:
        raise ValidationFailed(f"'{what}' không được để trống")
    if len(out) > limit:
        raise ValidationFailed(f"'{what}' dài quá {limit} ký tự")
    return out


def day(value: Any, what: str) -> str:
    try:
        return date.fromisoformat(str(value)).isoformat()
    except (TypeError, ValueError):
        raise ValidationFailed(f"'{what}' phải là ngày YYYY-MM-DD") from None


def parse_evidence(evidence: Any) -> list[dict[str, Any]]:
    return [EvidenceFile.parse(e).to_dict() for e in (evidence or [])]
