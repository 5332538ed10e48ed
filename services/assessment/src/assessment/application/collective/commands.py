"""Collective commands (seed 001): the yearly cycle and each step of a unit's assessment."""

from __future__ import annotations

from typing import ClassVar, Literal
from uuid import UUID

from pydantic import Field

from assessment.application.kernel.commands import Command, Data, Day, LevelCode, Route, Text

StepCode = Literal[
    "sector_review",
    "self_assessment",
    "member_review",
    "consolidation",
    "caucus_review",
    "recognition",
    "publication",
]
UA = "/cycles/{cycle_id}/units/{unit_id}"


def at_step(path: str, summary: str, *, created: bool = True) -> Route:
    return Route(UA + path, summary, "assessments", created=created)


class StepCommand(Command):
    """A command on one unit's assessment: checked against that unit in the cycle's year,
    after it is loaded (another tenant's is a 404)."""

    checked_on_target: ClassVar = True


# ------------------------------------------------------------ cycles
class ContentGroupIn(Data):
    code: str = Field(pattern=r"^[a-z0-9_]{1,40}$")
    title: Text = Field(min_length=1, max_length=500)
    sub_criteria: list[Text] = Field(default_factory=list, max_length=50)


class PlanCycle(Command):
    route: ClassVar = Route("/cycles", "Lập kế hoạch đánh giá năm / Plan a yearly cycle", "cycles")

    year: int = Field(ge=2000, le=2100, examples=[2025])
    plan_reference: Text = Field(
        min_length=1, max_length=200, examples=["Kế hoạch số 123/KH-UBND ngày 01/10/2025"]
    )
    title: Text | None = Field(default=None, max_length=300)
    content_groups: list[ContentGroupIn] | None = Field(default=None, max_length=20)
    deadlines: dict[StepCode, Day] | None = None
    unit_ids: list[UUID] = Field(default_factory=list, max_length=2000)


class EnrolUnits(Command):
    route: ClassVar = Route(
        "/cycles/{cycle_id}/enrolments",
        "Đưa đơn vị vào kỳ đánh giá / Enrol units",
        "cycles",
        created=False,
    )

    unit_ids: list[UUID] = Field(min_length=1, max_length=2000)


class ChangeDeadline(Command):
    route: ClassVar = Route(
        "/cycles/{cycle_id}/deadlines",
        "Đổi hạn chót một bước / Change a step deadline",
        "cycles",
        created=False,
    )

    step: StepCode
    deadline: Day
    reason: Text = Field(min_length=1, max_length=2000)


# ------------------------------------------------------------ steps of a unit's assessment
class SubmitSectorReview(StepCommand):
    route: ClassVar = at_step("/sector-reviews", "Bước 1: nhận xét của cơ quan chuyên ngành")

    comment: Text = Field(min_length=1)
    proposed_level: LevelCode | None = None
    published: bool = False


class PublishSectorReview(StepCommand):
    route: ClassVar = at_step(
        "/sector-reviews/publish",
        "Bước 1: công bố nhận xét / Publish the review",
        created=False,
    )


class EvidenceIn(Data):
    name: Text = Field(min_length=1, max_length=255)
    sha256: str = Field(pattern=r"^[0-9a-fA-F]{64}$")
    size: int = Field(ge=0, le=10 * 1024**3)


class GroupResultIn(Data):
    results: Text = Field(min_length=1)
    limitations: Text = ""
    evidence: list[EvidenceIn] = Field(default_factory=list, max_length=200)


class SubmitSelfAssessment(StepCommand):
    route: ClassVar = at_step("/self-assessment", "Bước 2: đơn vị tự đánh giá / Self-assessment")

    groups: dict[str, GroupResultIn] = Field(min_length=1, max_length=20)
    proposed_level: LevelCode


class SubmitMemberReview(StepCommand):
    route: ClassVar = at_step("/member-reviews", "Bước 3: nhận xét của thành viên UBND tỉnh")

    assignment_reference: Text = Field(
        min_length=1, max_length=300, examples=["Quyết định số 1770/QĐ-UBND ngày 14/7/2011"]
    )
    comment: Text = Field(min_length=1)
    proposed_level: LevelCode | None = None


class Consolidate(StepCommand):
    route: ClassVar = at_step("/consolidation", "Bước 4: Sở Nội vụ tổng hợp / Consolidation")

    summary: Text = Field(min_length=1)
    proposed_level: LevelCode


class ReviewByCaucus(StepCommand):
    route: ClassVar = at_step("/caucus-review", "Bước 5: Ban cán sự Đảng nhận xét / Caucus review")

    comment: Text = Field(min_length=1)
    proposed_level: LevelCode | None = None


class AdjustLevel(StepCommand):
    route: ClassVar = at_step("/level-adjustments", "Bước 5: điều chỉnh mức / Adjust the level")

    level: LevelCode
    reason: Text = Field(min_length=1, max_length=5000)


class Recognise(StepCommand):
    route: ClassVar = at_step("/recognition", "Bước 5: UBND tỉnh công nhận / Recognition")

    decision_number: Text = Field(min_length=1, max_length=100, examples=["123/QĐ-UBND"])
    decision_date: Day
    signer: Text = Field(min_length=1, max_length=200)
    level: LevelCode
    reason: Text | None = Field(
        default=None,
        max_length=2000,
        description="bắt buộc khi mức công nhận khác mức đã điều chỉnh / required when the "
        "recognised level differs from the adjusted one",
    )


class Publish(StepCommand):
    route: ClassVar = at_step("/publication", "Công bố kết quả / Publish the result")

    channel: Text = Field(default="Cổng thông tin điện tử tỉnh", min_length=1, max_length=300)


class FlagPerfunctory(StepCommand):
    route: ClassVar = at_step(
        "/perfunctory-flags", "Báo cáo đơn vị thực hiện sơ sài / Flag perfunctory"
    )

    reason: Text = Field(min_length=1, max_length=5000)


class ReopenStep(StepCommand):
    route: ClassVar = at_step("/reopenings", "Mở lại một bước (có lý do) / Reopen a step")

    step: StepCode
    reason: Text = Field(min_length=1, max_length=5000)


# ------------------------------------------------------------ drafts, withdrawal, supplements
class DraftGroupIn(Data):
    results: Text = ""
    limitations: Text = ""
    evidence: list[EvidenceIn] = Field(default_factory=list, max_length=200)


class SaveSelfAssessmentDraft(StepCommand):
    route: ClassVar = at_step(
        "/self-assessment/draft",
        "Bước 2: lưu nháp tự đánh giá / Save a self-assessment draft",
        created=False,
    )

    groups: dict[str, DraftGroupIn] = Field(default_factory=dict, max_length=20)
    proposed_level: LevelCode | None = None


class WithdrawSelfAssessment(StepCommand):
    route: ClassVar = at_step(
        "/self-assessment/withdrawal",
        "Bước 2: rút báo cáo tự đánh giá trước hạn / Withdraw the self-assessment",
    )

    reason: Text = Field(default="", max_length=2000)


class AskForSupplement(StepCommand):
    route: ClassVar = at_step(
        "/supplement-requests", "Yêu cầu đơn vị bổ sung, giải trình / Request a supplement"
    )

    reason: Text = Field(min_length=1, max_length=5000)
    due_date: Day


class AnswerSupplement(StepCommand):
    route: ClassVar = at_step(
        "/supplement-requests/{request_id}/answer",
        "Đơn vị trả lời yêu cầu bổ sung / Answer a supplement request",
    )

    text: Text = Field(min_length=1)
    evidence: list[EvidenceIn] = Field(default_factory=list, max_length=50)


# ------------------------------------------------------------ one decision for many units
class UnitLevelIn(Data):
    unit_id: UUID
    level: LevelCode


class RecogniseUnits(Command):
    """One recognition decision for a list of units: all are recognised, or none is."""

    route: ClassVar = Route(
        "/cycles/{cycle_id}/recognitions",
        "Bước 5: công nhận nhiều đơn vị bằng một quyết định / Recognise a list of units",
        "assessments",
    )

    decision_number: Text = Field(min_length=1, max_length=100, examples=["130/QĐ-UBND"])
    decision_date: Day
    signer: Text = Field(min_length=1, max_length=200)
    units: list[UnitLevelIn] = Field(min_length=1, max_length=2000)
