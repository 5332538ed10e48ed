"""Errors of the CCHC context; each has a stable dotted ``code`` (Vietnamese detail first)."""

from __future__ import annotations

from typing import Any

from assessment.domain.kernel.errors import (
    DomainError,
    StepClosed,
    StepOrderViolation,
    ValidationFailed,
)


class RuleInvalid(ValidationFailed):
    code = "cchc.rule_invalid"
    title = "Cách chấm điểm không hợp lệ"
    title_en = "Invalid scoring rule"


class TreeInvalid(ValidationFailed):
    code = "cchc.tree_invalid"
    title = "Cây tiêu chí không hợp lệ"
    title_en = "Invalid criteria tree"


class SheetRejected(ValidationFailed):
    """A criteria or survey file with problems: every problem names its row; nothing stored."""

    code = "cchc.sheet_rejected"
    title = "Tệp không hợp lệ, không có gì được lưu"
    title_en = "File refused, nothing stored"

    def __init__(self, problems: list[dict[str, Any]]) -> None:
        first = problems[0] if problems else {"row": None, "detail": "tệp rỗng"}
        super().__init__(f"dòng {first['row']}: {first['detail']}")
        self.problems = problems


class SetPublished(StepClosed):
    code = "cchc.set_published"
    title = "Bộ tiêu chí đã công bố, không sửa được (hãy tạo phiên bản mới)"
    title_en = "Published criteria set is immutable (draft a new version)"


class SetNotPublished(StepOrderViolation):
    code = "cchc.set_not_published"
    title = "Bộ tiêu chí chưa được công bố"
    title_en = "Criteria set not published yet"


class ScoreOutsideRule(ValidationFailed):
    code = "cchc.score_outside_rule"
    title = "Điểm không đúng cách chấm của tiêu chí"
    title_en = "Score outside the criterion's rule"


class ScoringClosed(StepClosed):
    code = "cchc.scoring_closed"
    title = "Bước chấm điểm này đã đóng"
    title_en = "This scoring step is closed"


class ScoringOrder(StepOrderViolation):
    code = "cchc.scoring_order"
    title = "Chưa đến bước này"
    title_en = "Previous scoring step not done"


class DeadlinePassed(DomainError):
    code = "cchc.deadline_passed"
    title = "Đã quá hạn"
    title_en = "Deadline passed"


class AlreadyReplied(StepClosed):
    code = "cchc.already_replied"
    title = "Yêu cầu này đã được trả lời (mỗi yêu cầu chỉ trả lời một lần)"
    title_en = "This request was already answered (one reply per request)"


class AppraiserNotNamed(DomainError):
    code = "cchc.appraiser_not_named"
    title = "Cơ quan này không được giao thẩm định tiêu chí này"
    title_en = "This agency is not named as appraiser of the criterion"


class UnknownCriterion(ValidationFailed):
    code = "cchc.unknown_criterion"
    title = "Không có tiêu chí này trong bộ tiêu chí"
    title_en = "No such criterion in the set"
