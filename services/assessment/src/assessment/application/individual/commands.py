"""Individual commands (seed 002; NĐ 90/2020–48/2023, NĐ 335/2025, QĐ 124/366-QĐ/TW): people,
Decree 335 score sheets, ratings through their procedure, the quota override, the settings.

Commands on a person, a sheet or a rating are ``checked_on_target``: the handler loads the
target first (another tenant's is a 404) and checks the caller's reach on the agency it belongs
to (``own unit`` = the agency in the token's ``unit`` claim).
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal
from uuid import UUID

from pydantic import Field

from assessment.application.kernel.commands import Command, Data, Day, LevelCode, Route, Text

Code = Field(pattern=r"^[A-Za-z0-9._-]{1,64}$")
PositionCode = Literal["head", "deputy", "staff"]
CategoryCode = Literal["can_bo", "cong_chuc", "vien_chuc"]
Side = Literal["state", "party"]


def people(path: str, summary: str, *, created: bool = True) -> Route:
    return Route("/people" + path, summary, "people", created=created)


def sheets(path: str, summary: str, *, created: bool = True) -> Route:
    return Route("/sheets" + path, summary, "score-sheets", created=created)


def ratings(path: str, summary: str, *, created: bool = True) -> Route:
    return Route("/ratings" + path, summary, "ratings", created=created)


class OnTarget(Command):
    checked_on_target: ClassVar = True


# ------------------------------------------------------------ people
class PersonIn(Data):
    code: str = Code
    full_name: Text = Field(min_length=1, max_length=200)
    category: CategoryCode
    agency_id: str = Code
    unit_id: Text | None = Field(default=None, max_length=64)
    position: PositionCode
    job_position: Text = Field(min_length=1, max_length=200)
    task_group: Text = Field(min_length=1, max_length=100)
    employed_from: Day
    leadership_collective: bool | None = None
    account: Text | None = Field(default=None, max_length=200)


class RegisterPerson(Command, PersonIn):
    route: ClassVar = people("", "Đăng ký cán bộ, công chức, viên chức / Register a person")


class ImportStaff(Command):
    """A whole staff list, all or nothing (the XLSX upload route checks the file row by row and
    sends its rows here)."""

    route: ClassVar = people("/imports", "Nhập danh sách cán bộ / Import a staff list")
    rows: list[PersonIn] = Field(min_length=1, max_length=100_000)


class Assignment(Data):
    position: PositionCode
    job_position: Text = Field(min_length=1, max_length=200)
    task_group: Text = Field(min_length=1, max_length=100)


class TransferPerson(OnTarget, Assignment):
    route: ClassVar = people("/{person_id}/transfers", "Điều động, chuyển công tác / Transfer")
    effective_date: Day
    agency_id: str = Code
    unit_id: Text | None = Field(default=None, max_length=64)
    decision_number: Text = Field(min_length=1, max_length=100)


class ChangePosition(OnTarget, Assignment):
    route: ClassVar = people("/{person_id}/positions", "Thay đổi chức vụ / Change position")
    effective_date: Day
    decision_number: Text = Field(min_length=1, max_length=100)
    leadership_collective: bool | None = None


class EndEmployment(OnTarget):
    route: ClassVar = people("/{person_id}/employment-end", "Thôi công tác / End employment")
    last_day: Day
    reason: Text = Field(min_length=1, max_length=500)


class RecordAbsence(OnTarget):
    route: ClassVar = people("/{person_id}/absences", "Ghi nhận thời gian nghỉ / Absence")
    kind: Literal["sick", "maternity", "other"]
    start: Day
    end: Day
    reference: Text = Field(default="", max_length=200)


class RecordDiscipline(OnTarget):
    route: ClassVar = people("/{person_id}/disciplines", "Ghi nhận kỷ luật / Discipline")
    violation_id: Text = Field(min_length=1, max_length=100)
    track: Literal["party", "administrative"]
    form: Literal[
        "khien_trach",
        "canh_cao",
        "ha_bac_luong",
        "giang_chuc",
        "cach_chuc",
        "khai_tru",
        "buoc_thoi_viec",
    ]
    decided_on: Day
    decision_number: Text = Field(min_length=1, max_length=100)


class FindDegradation(OnTarget):
    route: ClassVar = people("/{person_id}/degradations", "Kết luận suy thoái / Degradation")
    found_on: Day
    reference: Text = Field(min_length=1, max_length=200)


class FindUnitViolation(OnTarget):
    route: ClassVar = people(
        "/{person_id}/unit-violations", "Tham nhũng, lãng phí trong đơn vị / Unit violation"
    )
    found_on: Day
    kind: Literal["corruption", "waste"]
    reference: Text = Field(min_length=1, max_length=200)


# ------------------------------------------------------------ Decree 335 score sheets
class ProductIn(Data):
    code: str = Field(pattern=r"^[A-Za-z0-9._-]{1,64}$")
    title: Text = Field(default="", max_length=500)
    weight: str = Field(default="1", pattern=r"^\d{1,6}(\.\d{1,4})?$")
    assigned: str = Field(default="1", pattern=r"^\d{1,6}(\.\d{1,4})?$")
    completed: str = Field(default="0", pattern=r"^\d{1,6}(\.\d{1,4})?$")
    major_errors: int = Field(default=0, ge=0, le=1000)
    delays: int = Field(default=0, ge=0, le=1000)


Points = Field(pattern=r"^\d{1,2}(\.\d{1,2})?$", examples=["27.5"])


class OpenSheet(OnTarget):
    route: ClassVar = people("/{person_id}/sheets", "Mở phiếu theo dõi tháng/quý / Open a sheet")
    year: int = Field(ge=2026, le=2100)
    period: int = Field(ge=1, le=12)
    products: list[ProductIn] = Field(default_factory=list, max_length=200)


class RecordProducts(OnTarget):
    route: ClassVar = sheets("/{sheet_id}/products", "Sản phẩm, công việc / Products")
    products: list[ProductIn] = Field(max_length=200)


class ConfirmObjectiveCause(OnTarget):
    route: ClassVar = sheets(
        "/{sheet_id}/objective-causes", "Xác nhận nguyên nhân khách quan / Objective cause"
    )
    product_code: str = Field(pattern=r"^[A-Za-z0-9._-]{1,64}$")
    kind: Literal["error", "delay"]
    count: int = Field(ge=1, le=1000)
    reason: Text = Field(min_length=1, max_length=2000)
    reference: Text = Field(min_length=1, max_length=200)


class ScoreGeneral(OnTarget):
    route: ClassVar = sheets(
        "/{sheet_id}/general-criteria", "Chấm tiêu chí chung (≤ 30) / General criteria"
    )
    points: str = Points
    note: Text = Field(default="", max_length=2000)


class ApproveSheet(OnTarget):
    route: ClassVar = sheets("/{sheet_id}/approval", "Duyệt phiếu / Approve a sheet")
    subordinates_all_completed: bool = True


class ReopenSheet(OnTarget):
    route: ClassVar = sheets("/{sheet_id}/reopenings", "Mở lại phiếu / Reopen a sheet")
    reason: Text = Field(min_length=1, max_length=2000)


class SheetIn(Data):
    person_code: str = Code
    period: int = Field(ge=1, le=12)
    products: list[ProductIn] = Field(max_length=200)
    general: str = Points
    subordinates_all_completed: bool = True


class ImportSheets(Command):
    """Approved monthly/quarterly results of many people at once (e.g. from e-KPI software);
    all or nothing."""

    route: ClassVar = sheets("/imports", "Nhập phiếu đã duyệt / Import approved sheets")
    year: int = Field(ge=2026, le=2100)
    sheets: list[SheetIn] = Field(min_length=1, max_length=20_000)


# ------------------------------------------------------------ ratings
class OpenRating(OnTarget):
    route: ClassVar = people("/{person_id}/ratings", "Mở hồ sơ xếp loại năm / Open a rating")
    year: int = Field(ge=2020, le=2100)
    side: Side = "state"
    party_committee: bool = True


class OpenRatings(Command):
    """Open the year's rating of everyone employed in an agency that year."""

    route: ClassVar = ratings("/openings", "Mở xếp loại cho cả cơ quan / Open an agency's ratings")
    agency_id: str = Code
    year: int = Field(ge=2020, le=2100)
    person_codes: list[str] = Field(min_length=1, max_length=20_000)
    side: Side = "state"
    party_committee: bool = True


class SelfAssess(OnTarget):
    route: ClassVar = ratings("/{rating_id}/self-assessment", "Tự đánh giá / Self-assessment")
    form: Literal["mau_01", "mau_02", "mau_03", "phieu_diem_335", "kiem_diem_dang_vien"]
    content: dict[str, Text] = Field(min_length=1, max_length=20)
    proposed_level: LevelCode | None = None


class RecordPreviousOpinion(OnTarget):
    route: ClassVar = ratings(
        "/{rating_id}/previous-opinions", "Ý kiến cơ quan cũ / Previous agency's opinion"
    )
    agency_id: str = Code
    opinion: Text = Field(default="", max_length=20_000)
    proposed_level: LevelCode | None = None
    agency_dissolved: bool = False


class Comment(Data):
    by: Text = Field(min_length=1, max_length=200)
    text: Text = Field(min_length=1, max_length=20_000)


class MinuteMeeting(OnTarget):
    route: ClassVar = ratings("/{rating_id}/meeting", "Biên bản họp nhận xét / Meeting minutes")
    minutes_number: Text = Field(min_length=1, max_length=100)
    held_on: Day
    attendees: int = Field(ge=1, le=10_000)
    comments: list[Comment] = Field(min_length=1, max_length=200)
    written: bool = False


class ApproveMinutes(OnTarget):
    route: ClassVar = ratings("/{rating_id}/minutes-approval", "Thông qua biên bản / Minutes")
    approved_on: Day


class CommentByPartyCommittee(OnTarget):
    route: ClassVar = ratings("/{rating_id}/party-committee", "Ý kiến cấp ủy / Party committee")
    document_number: Text = Field(min_length=1, max_length=100)
    comments: Text = Field(min_length=1, max_length=20_000)


class ProposeLevel(OnTarget):
    route: ClassVar = ratings("/{rating_id}/proposal", "Đề xuất của bộ phận TCCB / Proposal")
    proposed_level: LevelCode | None
    summary: Text = Field(min_length=1, max_length=20_000)


class ProposalItem(Data):
    rating_id: UUID
    proposed_level: LevelCode | None = None
    """None: under a score-based text (NĐ 335, QĐ 366) the level the score gives; otherwise
    "reviewed, not rated"."""


class RecordAgencyRound(Command):
    """One agency meeting for many ratings (NĐ 90 Điều 17–18): the minutes, approved at the
    meeting, the party committee's one document, the personnel body's proposals — and, under
    NĐ 335 where the person's monthly sheets are their self-assessment, that self-assessment
    taken from the approved sheets for those who have not submitted one. All or nothing."""

    route: ClassVar = ratings("/rounds", "Họp nhận xét chung của cơ quan / An agency's round")
    proposals: list[ProposalItem] = Field(min_length=1, max_length=20_000)
    minutes_number: Text = Field(min_length=1, max_length=100)
    held_on: Day
    attendees: int = Field(ge=1, le=100_000)
    comments: list[Comment] = Field(min_length=1, max_length=200)
    party_document_number: Text | None = Field(default=None, max_length=100)
    party_comments: Text | None = Field(default=None, max_length=20_000)
    summary: Text = Field(min_length=1, max_length=20_000)


class Decision(Data):
    level: LevelCode | None
    decision_number: Text = Field(min_length=1, max_length=100)
    decided_on: Day


class DecideRating(OnTarget, Decision):
    route: ClassVar = ratings("/{rating_id}/decision", "Quyết định xếp loại / Decide")


class DecisionItem(Data):
    rating_id: UUID
    level: LevelCode | None


class DecideRatings(Command):
    """Decisions for many ratings under one decision number, all or nothing; the quota of each
    agency × task group is checked on the batch as a whole."""

    route: ClassVar = ratings("/decisions", "Quyết định xếp loại hàng loạt / Decide in bulk")
    decisions: list[DecisionItem] = Field(min_length=1, max_length=20_000)
    decision_number: Text = Field(min_length=1, max_length=100)
    decided_on: Day


class AcknowledgeFindings(OnTarget):
    """The rater takes note of an inspection's findings on the person rated (seed 003), found
    by the inspection's decision number."""

    route: ClassVar = ratings(
        "/{rating_id}/inspection-findings",
        "Ghi nhận phát hiện của đoàn kiểm tra / Acknowledge inspection findings",
    )
    inspection_decision: Text = Field(min_length=1, max_length=100)
    note: Text = Field(default="", max_length=2000)


class NotifyRating(OnTarget):
    route: ClassVar = ratings("/{rating_id}/notice", "Thông báo cho cá nhân / Notify")
    notified_on: Day
    channel: Text = Field(min_length=1, max_length=100)


class PublishRating(OnTarget):
    route: ClassVar = ratings("/{rating_id}/publication", "Công khai trong cơ quan / Publish")
    published_on: Day
    channel: Text = Field(min_length=1, max_length=100)


class RedoRating(OnTarget):
    route: ClassVar = ratings("/{rating_id}/redo", "Đánh giá lại / Redo an improper rating")
    reason: Text = Field(min_length=1, max_length=2000)
    basis: Text = Field(min_length=1, max_length=100, examples=["decree_90_48"])


# ------------------------------------------------------------ quota, settings
class OverrideQuota(Command):
    route: ClassVar = Route(
        "/quotas/overrides", "Tỷ lệ 'xuất sắc' cao hơn / Quota override", "quotas"
    )
    agency_id: str = Code
    task_group: Text = Field(min_length=1, max_length=100)
    year: int = Field(ge=2020, le=2100)
    side: Side = "state"
    percent: str = Field(pattern=r"^\d{1,3}(\.\d{1,2})?$")
    decision_number: Text = Field(min_length=1, max_length=100)
    decided_on: Day
    reason: Text = Field(min_length=1, max_length=2000)


class ChangeRatingSettings(Command):
    route: ClassVar = Route(
        "/rating-settings", "Thiết lập xếp loại của tỉnh / Rating settings", "settings"
    )
    values: dict[str, Any] = Field(max_length=30)
    basis: Text = Field(min_length=1, max_length=300)
