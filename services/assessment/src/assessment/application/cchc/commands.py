"""CCHC commands (seed 004): criteria sets, a unit's scoring year, surveys, ranking, feedback.

Routes live under ``/v1/cchc``. Points travel as decimals (JSON numbers or strings, read as
``Decimal``, never float arithmetic); moments carry their time zone.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal
from uuid import UUID

from pydantic import AwareDatetime, Field, PlainSerializer

from assessment.application.kernel.commands import Command, Data, Day, Route, Text

Moment = Annotated[AwareDatetime, PlainSerializer(lambda d: d.isoformat(), return_type=str)]
"""A moment with its time zone, handed to the aggregate as ISO 8601."""
Code = Annotated[str, Field(min_length=1, max_length=20, pattern=r"^[0-9A-Za-z.]+$")]
Block = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,39}$", examples=["so_nganh"])]
Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
SET = "/cchc/criteria-sets/{set_id}"
SCORING = "/cchc/scorings/{scoring_id}"
TAG_SETS, TAG_SCORING, TAG_RANKING = "cchc-criteria", "cchc-scoring", "cchc-ranking"


class Answer(Data):
    """What the unit or the appraiser states; the criterion's rule turns it into points."""

    option: str | None = Field(default=None, max_length=80, description="mức (options)")
    yes: bool | None = Field(default=None, description="có/không")
    percent: Decimal | None = Field(default=None, ge=0, le=100, description="tỉ lệ %")
    numerator: int | None = Field(default=None, ge=0)
    denominator: int | None = Field(default=None, gt=0)
    value: Decimal | None = Field(default=None, ge=0, description="số liệu")
    points: Decimal | None = Field(default=None, ge=0, description="điểm (bước)")


class Evidence(Data):
    name: Text = Field(min_length=1, max_length=255)
    sha256: Sha256
    size: int = Field(ge=0)


class UnitScoped(Command):
    """A command of the unit on its own scoring: the role is checked first (as for every
    command), then the handler checks the caller acts for the scoring's unit once loaded."""


# ------------------------------------------------------------ criteria sets
class DraftCriteriaSet(Command):
    route: ClassVar = Route("/cchc/criteria-sets", "Soạn bộ tiêu chí / Draft a set", TAG_SETS)
    year: int = Field(ge=2000, le=2100)
    block: Block
    title: Text = Field(min_length=1, max_length=300)
    content: dict[str, Any] = Field(description="cây tiêu chí (xem README: CCHC)")
    supersedes: UUID | None = None
    prompted_by_flags: list[UUID] = Field(default_factory=list, max_length=200)


class ReviseCriteriaSet(Command):
    route: ClassVar = Route(SET + "/revisions", "Sửa bộ tiêu chí nháp / Revise", TAG_SETS, False)
    content: dict[str, Any]
    reason: Text = Field(min_length=1, max_length=2000)
    title: Text | None = Field(default=None, max_length=300)


class PublishCriteriaSet(Command):
    route: ClassVar = Route(SET + "/publication", "Ban hành bộ tiêu chí / Publish", TAG_SETS, False)
    decision_number: Text = Field(min_length=1, max_length=100)
    decision_date: Day
    signer: Text = Field(min_length=1, max_length=200)


class FlagCriterion(UnitScoped):
    route: ClassVar = Route(
        SET + "/flags", "Phản ánh tiêu chí chưa hợp lý / Flag a criterion", TAG_SETS
    )
    unit_id: UUID
    code: Code
    reasons: Text = Field(min_length=1, max_length=5000)


class AnswerFlag(Command):
    route: ClassVar = Route(
        "/cchc/flags/{flag_id}/answer", "Trả lời phản ánh / Answer a flag", TAG_SETS, False
    )
    answer: Text = Field(min_length=1, max_length=5000)
    proposal_kind: Literal["none", "new", "change", "remove"] = "none"
    proposal: Text = Field(default="", max_length=5000)


# ------------------------------------------------------------ a unit's year
class OpenScoring(Command):
    route: ClassVar = Route(
        SET + "/scorings", "Mở hồ sơ chấm điểm của đơn vị / Open a unit's scoring", TAG_SCORING
    )
    unit_id: UUID
    year: int = Field(ge=2000, le=2100)
    self_deadline: Moment


class RecordSelfScore(UnitScoped):
    route: ClassVar = Route(
        SCORING + "/self-scores", "Tự chấm một tiêu chí / Self-score", TAG_SCORING
    )
    code: Code
    answer: Answer
    evidence: list[Evidence] = Field(default_factory=list, max_length=50)
    explanation: Text = Field(default="", max_length=20_000)


class ApproveSelfReport(UnitScoped):
    route: ClassVar = Route(
        SCORING + "/approval", "Thủ trưởng phê duyệt báo cáo / Head approves", TAG_SCORING, False
    )
    summary: Text = Field(min_length=1, max_length=20_000)
    difficulties: Text = Field(default="", max_length=20_000)
    proposals: Text = Field(default="", max_length=20_000)


class SubmitSelfReport(UnitScoped):
    route: ClassVar = Route(SCORING + "/submission", "Gửi báo cáo / Submit", TAG_SCORING, False)


class WithdrawSelfReport(UnitScoped):
    route: ClassVar = Route(
        SCORING + "/withdrawal", "Rút hồ sơ để sửa / Withdraw to edit", TAG_SCORING, False
    )
    reason: Text = Field(min_length=1, max_length=2000)


class ReplyToSupplement(UnitScoped):
    route: ClassVar = Route(
        SCORING + "/supplement-replies", "Trả lời yêu cầu bổ sung / Reply", TAG_SCORING
    )
    request_id: str = Field(pattern=r"^YC-\d{1,4}$")
    text: Text = Field(min_length=1, max_length=20_000)
    evidence: list[Evidence] = Field(default_factory=list, max_length=50)


class ExcludeCriterion(Command):
    route: ClassVar = Route(
        SCORING + "/exclusions", "Tiêu chí không áp dụng / Not applicable", TAG_SCORING
    )
    code: Code
    reason: Text = Field(min_length=1, max_length=2000)


class ExtendSelfDeadline(Command):
    route: ClassVar = Route(SCORING + "/deadline", "Gia hạn tự chấm / Extend", TAG_SCORING, False)
    deadline: Moment
    reason: Text = Field(min_length=1, max_length=2000)


class AppraiseCriterion(Command):
    route: ClassVar = Route(
        SCORING + "/appraisals", "Thẩm định một tiêu chí / Appraise", TAG_SCORING
    )
    code: Code
    answer: Answer
    reason: Text = Field(default="", max_length=5000)


class RequestSupplement(Command):
    route: ClassVar = Route(
        SCORING + "/supplement-requests", "Yêu cầu bổ sung, giải trình / Request", TAG_SCORING
    )
    codes: list[Code] = Field(min_length=1, max_length=200)
    kind: Literal["supplement", "explanation"]
    message: Text = Field(min_length=1, max_length=5000)
    deadline: Moment


class CloseReconciliation(Command):
    route: ClassVar = Route(
        SCORING + "/reconciliation", "Chốt đối chiếu / Close reconciliation", TAG_SCORING, False
    )
    note: Text = Field(default="", max_length=5000)


class ConfirmByCouncil(Command):
    route: ClassVar = Route(
        SCORING + "/council-confirmation",
        "Hội đồng xác nhận / Council confirms",
        TAG_SCORING,
        False,
    )
    minutes_reference: Text = Field(min_length=1, max_length=200)
    meeting_date: Day


class SurveyResult(Data):
    percent: Decimal = Field(ge=0, le=100)
    respondents: int | None = Field(default=None, ge=0)


class RecordSurveys(Command):
    route: ClassVar = Route(
        SET + "/surveys", "Kết quả điều tra xã hội học / Survey results", TAG_SCORING, False
    )
    year: int = Field(ge=2000, le=2100)
    results: dict[str, dict[str, SurveyResult]] = Field(
        description="mã đơn vị → tiêu chí → kết quả"
    )
    source_sha256: Sha256
    reason: Text = Field(default="", max_length=2000)


# ------------------------------------------------------------ ranking
class DecideRanking(Command):
    route: ClassVar = Route(
        SET + "/rankings", "Quyết định xếp hạng khối / Ranking decision", TAG_RANKING
    )
    year: int = Field(ge=2000, le=2100)
    unit_ids: list[UUID] = Field(min_length=1, max_length=2000)
    survey_held: bool
    decision_number: Text = Field(min_length=1, max_length=100)
    decision_date: Day
    signer: Text = Field(min_length=1, max_length=200)


class ScheduleRankingPublication(Command):
    route: ClassVar = Route(
        "/cchc/rankings/{ranking_id}/schedule", "Lịch công bố / Schedule", TAG_RANKING, False
    )
    publish_at: Moment


class PublishRanking(Command):
    route: ClassVar = Route(
        "/cchc/rankings/{ranking_id}/publication", "Công bố xếp hạng / Publish", TAG_RANKING, False
    )


def evidence_dicts(items: list[Evidence]) -> list[dict[str, Any]]:
    return [e.model_dump() for e in items]
