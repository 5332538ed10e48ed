"""Refusals of the individual context. Each has a stable dotted code and a Vietnamese message."""

from __future__ import annotations

from assessment.domain.kernel.errors import DomainError


class IndividualError(DomainError):
    code = "individual.invalid"
    title = "Yêu cầu đánh giá cá nhân không hợp lệ"
    title_en = "Invalid individual-rating request"


class InvalidInput(IndividualError):
    code = "individual.validation_failed"
    title = "Dữ liệu không hợp lệ"
    title_en = "Validation failed"


class RuleSetUnavailable(IndividualError):
    code = "individual.rule_set_unavailable"
    title = "Chưa có bộ quy định áp dụng cho năm và đối tượng này"
    title_en = "No rule set for this year and category"


class ExcellentQuotaExceeded(IndividualError):
    code = "individual.excellent_quota_exceeded"
    title = "Vượt tỷ lệ 'Hoàn thành xuất sắc nhiệm vụ'"
    title_en = "Share of 'excellent' exceeds the cap"


class UnitResultPending(IndividualError):
    code = "individual.unit_result_pending"
    title = "Chưa có kết quả xếp loại tập thể của cơ quan, đơn vị"
    title_en = "The unit's collective result is not decided yet"


class HeadAboveUnit(IndividualError):
    code = "individual.head_above_unit"
    title = "Người đứng đầu không được xếp loại cao hơn tập thể mình phụ trách"
    title_en = "A head may not be rated above the unit they head"


class LevelAboveCeiling(IndividualError):
    code = "individual.level_above_ceiling"
    title = "Mức xếp loại cao hơn mức tối đa cho phép"
    title_en = "Level above the highest allowed"


class LevelForced(IndividualError):
    code = "individual.level_forced"
    title = "Trường hợp này phải xếp loại 'Không hoàn thành nhiệm vụ'"
    title_en = "This case must be rated 'did not complete tasks'"


class LevelNotMatchingScore(IndividualError):
    code = "individual.level_not_matching_score"
    title = "Mức xếp loại không khớp với điểm"
    title_en = "Level does not match the score"


class NotRateable(IndividualError):
    code = "individual.not_rateable"
    title = "Chỉ kiểm điểm, không xếp loại chất lượng"
    title_en = "Reviewed but not rated"


class NotCompetent(IndividualError):
    code = "individual.not_competent"
    title = "Không có thẩm quyền quyết định xếp loại người này"
    title_en = "Not the competent authority for this person"


class StepOutOfOrder(IndividualError):
    code = "individual.step_order"
    title = "Chưa thực hiện bước trước"
    title_en = "Previous step not done"


class StepAlreadyDone(IndividualError):
    code = "individual.step_closed"
    title = "Bước này đã thực hiện"
    title_en = "Step already done"


class MinutesNotApproved(IndividualError):
    code = "individual.minutes_not_approved"
    title = "Biên bản cuộc họp nhận xét chưa được thông qua"
    title_en = "Meeting minutes not approved"


class PreviousAgencyOpinionMissing(IndividualError):
    code = "individual.previous_agency_opinion_missing"
    title = "Thiếu ý kiến của cơ quan cũ (công tác từ 6 tháng trở lên trước khi chuyển)"
    title_en = "The previous agency's opinion is required"


class FinalisedBeforeDecree48(IndividualError):
    code = "individual.finalised_before_decree_48"
    title = "Kết quả đã hoàn thành trước 15/09/2023, không đánh giá lại theo NĐ 48/2023"
    title_en = "Finalised before 15/09/2023; not reopened under Decree 48/2023"


class ReasonRequired(IndividualError):
    code = "individual.reason_required"
    title = "Cần nêu lý do"
    title_en = "A reason is required"


class PersonInactive(IndividualError):
    code = "individual.person_inactive"
    title = "Người này không còn công tác trong thời gian này"
    title_en = "The person is not employed in that period"


class SheetClosed(IndividualError):
    code = "individual.sheet_closed"
    title = "Phiếu chấm điểm đã được duyệt"
    title_en = "Score sheet already approved"


class ScoreOutOfRange(IndividualError):
    code = "individual.score_out_of_range"
    title = "Điểm vượt quá khung cho phép"
    title_en = "Score out of range"


class FileAccessDenied(IndividualError):
    code = "individual.file_access_denied"
    title = "Không có quyền xem hồ sơ đánh giá của người này"
    title_en = "Not allowed to read this person's rating file"
