"""The collective context's own refusals, each with a stable code (issue 9, item 5)."""

from __future__ import annotations

from assessment.domain.kernel.errors import ReasonRequired, ValidationFailed


class DecisionDateInFuture(ValidationFailed):
    code = "collective.decision_date_in_future"
    title = "Ngày quyết định công nhận ở tương lai"
    title_en = "Recognition decision dated in the future"


class DecisionBeforeCaucusReview(ValidationFailed):
    code = "collective.decision_before_caucus_review"
    title = "Ngày quyết định công nhận trước ngày Ban cán sự Đảng nhận xét"
    title_en = "Recognition decision dated before the caucus review"


class RecognitionReasonRequired(ReasonRequired):
    code = "collective.recognition_reason_required"
    title = "Mức công nhận khác mức đã điều chỉnh: cần nêu lý do"
    title_en = "A reason is required when the recognised level differs from the adjusted one"
