"""The registry's own refusals, each with a stable code (issue 9, item 5)."""

from __future__ import annotations

from assessment.domain.kernel.errors import StepClosed, ValidationFailed


class UnitNotYetValid(ValidationFailed):
    code = "registry.unit_not_yet_valid"
    title = "Đơn vị chưa có hiệu lực trong năm đánh giá"
    title_en = "The unit is not yet valid in the cycle's year"


class ChangeBeforeEnrolledCycle(StepClosed):
    code = "registry.change_before_enrolled_cycle"
    title = "Ngày hiệu lực trước kỳ đánh giá mà đơn vị đang tham gia"
    title_en = "Effective before a cycle the unit is enrolled in"
