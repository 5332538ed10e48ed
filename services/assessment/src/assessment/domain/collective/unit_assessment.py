"""One unit's collective evaluation in one cycle: the five steps of seed 001. Its rules:
- one submission per source and step (each sector agency, each PC member, the unit); a second
  is refused as ``assessment.step_closed`` until the step is reopened;
- consolidation needs the self-assessment, each later step the one before it
  (``assessment.step_order``); consolidation closes steps 1–3, recognition the level adjustment;
- a submission after its deadline is accepted and marked late, by how many seconds;
- reopening needs a reason, clears the step and every step that consumed it, and keeps the
  history (seed 002: redo, never erase); drafts, withdrawal and supplements: ``exchanges``.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any
from uuid import UUID

from assessment.domain.collective import exchanges
from assessment.domain.collective.rules import (
    checked_self_assessment,
    lateness,
    level_or_none,
    recognition_terms,
    submitted,
    text,
)
from assessment.domain.collective.values import DEPENDANTS, STEP_STATE, Step
from assessment.domain.kernel.base import TenantAggregate
from assessment.domain.kernel.errors import (
    NothingToReopen,
    ReasonRequired,
    StepClosed,
    StepOrderViolation,
    ValidationFailed,
)
from assessment.domain.kernel.values import Level

ASSESSMENT_NAMESPACE = uuid.UUID("9a8b7c6d-5e4f-5a3b-8c2d-1e0f9a8b7c6d")


def unit_assessment_id_for(cycle_id: UUID, unit_id: UUID) -> UUID:
    return uuid.uuid5(ASSESSMENT_NAMESPACE, f"{cycle_id}/{unit_id}")


class UnitAssessment(TenantAggregate, exchanges.UnitExchanges):
    TOPIC = "assessment.UnitAssessment"

    class Event(TenantAggregate.Event):
        TOPIC = "assessment.UnitAssessment.Event"

    # drafts, withdrawals, supplements (``exchanges``): named here so their topics register
    SelfAssessmentDraftSaved = exchanges.SelfAssessmentDraftSaved
    SelfAssessmentWithdrawn = exchanges.SelfAssessmentWithdrawn
    SupplementRequested = exchanges.SupplementRequested
    SupplementAnswered = exchanges.SupplementAnswered

    class Opened(Event, TenantAggregate.Created):
        TOPIC = "assessment.UnitAssessment.Opened"
        cycle_id: UUID
        unit_id: UUID
        year: int

    class SectorReviewSubmitted(Event):
        TOPIC = "assessment.UnitAssessment.SectorReviewSubmitted"
        reviewer_unit_id: str
        comment: str
        proposed_level: str | None
        published: bool
        deadline: str | None
        late_by_seconds: int

        def apply(self, aggregate: Any) -> None:
            aggregate.sector_reviews[self.reviewer_unit_id] = submitted(
                self, "comment", "proposed_level", "published"
            )

    class SectorReviewPublished(Event):
        TOPIC = "assessment.UnitAssessment.SectorReviewPublished"
        reviewer_unit_id: str

        def apply(self, aggregate: Any) -> None:
            aggregate.sector_reviews[self.reviewer_unit_id]["published"] = True

    class SelfAssessmentSubmitted(Event):
        TOPIC = "assessment.UnitAssessment.SelfAssessmentSubmitted"
        groups: dict[str, Any]
        proposed_level: str
        perfunctory_signals: list[str]
        deadline: str | None
        late_by_seconds: int

        def apply(self, aggregate: Any) -> None:
            aggregate.self_assessment = submitted(
                self, "groups", "proposed_level", "perfunctory_signals"
            )

    class MemberReviewSubmitted(Event):
        TOPIC = "assessment.UnitAssessment.MemberReviewSubmitted"
        member: str
        assignment_reference: str
        comment: str
        proposed_level: str | None
        deadline: str | None
        late_by_seconds: int

        def apply(self, aggregate: Any) -> None:
            aggregate.member_reviews[self.member] = submitted(
                self, "assignment_reference", "comment", "proposed_level"
            )

    class Consolidated(Event):
        TOPIC = "assessment.UnitAssessment.Consolidated"
        summary: str
        proposed_level: str
        missing_sources: list[str]
        deadline: str | None
        late_by_seconds: int

        def apply(self, aggregate: Any) -> None:
            aggregate.consolidation = submitted(
                self, "summary", "proposed_level", "missing_sources"
            )

    class CaucusReviewed(Event):
        TOPIC = "assessment.UnitAssessment.CaucusReviewed"
        comment: str
        proposed_level: str | None
        deadline: str | None
        late_by_seconds: int

        def apply(self, aggregate: Any) -> None:
            aggregate.caucus_review = submitted(self, "comment", "proposed_level")

    class LevelAdjusted(Event):
        TOPIC = "assessment.UnitAssessment.LevelAdjusted"
        from_level: str
        to_level: str
        reason: str

        def apply(self, aggregate: Any) -> None:
            aggregate.adjustments.append(
                {
                    "from_level": self.from_level,
                    "to_level": self.to_level,
                    "reason": self.reason,
                    "at": self.occurred_at.isoformat(),
                    "by": self.actor,
                }
            )

    class Recognised(Event):
        TOPIC = "assessment.UnitAssessment.Recognised"
        decision_number: str
        decision_date: str
        signer: str
        level: str
        deadline: str | None
        late_by_seconds: int
        reason: str | None = None  # why the level differs from the one put forward

        def apply(self, aggregate: Any) -> None:
            aggregate.recognition = submitted(
                self, "decision_number", "decision_date", "signer", "level", "reason"
            )

    class Published(Event):
        TOPIC = "assessment.UnitAssessment.Published"
        channel: str

        def apply(self, aggregate: Any) -> None:
            aggregate.publication = {
                "channel": self.channel,
                "published_at": self.occurred_at.isoformat(),
            }

    class FlaggedPerfunctory(Event):
        TOPIC = "assessment.UnitAssessment.FlaggedPerfunctory"
        reason: str

        def apply(self, aggregate: Any) -> None:
            aggregate.perfunctory_flags.append(
                {"reason": self.reason, "at": self.occurred_at.isoformat(), "by": self.actor}
            )

    class StepReopened(Event):
        TOPIC = "assessment.UnitAssessment.StepReopened"
        step: str
        reason: str
        cleared_steps: list[str]

        def apply(self, aggregate: Any) -> None:
            for name in self.cleared_steps:
                aggregate._clear(Step(name))
            aggregate.reopenings.append(
                {
                    "step": self.step,
                    "reason": self.reason,
                    "cleared_steps": self.cleared_steps,
                    "at": self.occurred_at.isoformat(),
                    "by": self.actor,
                }
            )

    def __init__(
        self,
        tenant: str,
        actor: dict[str, Any],
        occurred_at: datetime,
        cycle_id: UUID,
        unit_id: UUID,
        year: int,
    ) -> None:
        self.tenant = tenant
        self.cycle_id = cycle_id
        self.unit_id = unit_id
        self.year = year
        self.sector_reviews: dict[str, dict[str, Any]] = {}
        self.self_assessment: dict[str, Any] | None = None
        self.member_reviews: dict[str, dict[str, Any]] = {}
        self.consolidation: dict[str, Any] | None = None
        self.caucus_review: dict[str, Any] | None = None
        self.adjustments: list[dict[str, Any]] = []
        self.recognition: dict[str, Any] | None = None
        self.publication: dict[str, Any] | None = None
        self.perfunctory_flags: list[dict[str, Any]] = []
        self.reopenings: list[dict[str, Any]] = []

    @classmethod
    def open(
        cls,
        *,
        tenant: str,
        actor: dict[str, Any],
        occurred_at: datetime,
        cycle_id: UUID,
        unit_id: UUID,
        year: int,
    ) -> UnitAssessment:
        return cls._create(
            cls.Opened,
            id=unit_assessment_id_for(cycle_id, unit_id),
            tenant=tenant,
            actor=actor,
            occurred_at=occurred_at,
            cycle_id=cycle_id,
            unit_id=unit_id,
            year=year,
        )

    # ----------------------------------------------------------------- queries
    def has(self, step: Step) -> bool:
        return bool(getattr(self, STEP_STATE[step]))

    @property
    def current_level(self) -> str | None:
        """The level on the table: recognised, else last adjustment, else consolidated."""
        if self.recognition:
            return str(self.recognition["level"])
        if self.adjustments:
            return str(self.adjustments[-1]["to_level"])
        if self.consolidation:
            return str(self.consolidation["proposed_level"])
        return None

    def _clear(self, step: Step) -> None:
        name = STEP_STATE[step]
        setattr(self, name, {} if name in ("sector_reviews", "member_reviews") else None)
        if step is Step.CAUCUS_REVIEW:
            self.adjustments = []

    def _closed_by_consolidation(self, step: Step) -> None:
        if self.consolidation is not None:
            raise StepClosed(
                f"{step.label_vi}: đã đóng vì Sở Nội vụ đã tổng hợp; cần mở lại bước có lý do"
            )

    @staticmethod
    def _need(done: bool, step: Step, before: Step) -> None:
        if not done:
            raise StepOrderViolation(f"{step.label_vi}: cần hoàn thành trước '{before.label_vi}'")

    # ----------------------------------------------------------------- commands
    def submit_sector_review(
        self,
        *,
        actor: dict[str, Any],
        occurred_at: datetime,
        deadline: datetime | None,
        reviewer_unit_id: str,
        comment: str,
        proposed_level: str | None,
        published: bool,
    ) -> None:
        self._closed_by_consolidation(Step.SECTOR_REVIEW)
        if not reviewer_unit_id:
            raise ValidationFailed("cần đơn vị nhận xét (acting_for của người gửi)")
        if reviewer_unit_id in self.sector_reviews:
            raise StepClosed("cơ quan này đã gửi nhận xét; cần mở lại bước có lý do để gửi lại")
        self._trigger(
            self.SectorReviewSubmitted,
            actor=actor,
            occurred_at=occurred_at,
            reviewer_unit_id=reviewer_unit_id,
            comment=text(comment, "comment"),
            proposed_level=level_or_none(proposed_level),
            published=bool(published),
            **lateness(occurred_at, deadline),
        )

    def publish_sector_review(
        self, *, actor: dict[str, Any], occurred_at: datetime, reviewer_unit_id: str
    ) -> None:
        review = self.sector_reviews.get(reviewer_unit_id)
        if review is None:
            raise StepOrderViolation("cơ quan này chưa gửi nhận xét để công bố")
        if not review["published"]:
            self._trigger(
                self.SectorReviewPublished,
                actor=actor,
                occurred_at=occurred_at,
                reviewer_unit_id=reviewer_unit_id,
            )

    def submit_self_assessment(
        self,
        *,
        actor: dict[str, Any],
        occurred_at: datetime,
        deadline: datetime | None,
        group_codes: list[str],
        groups: dict[str, dict[str, Any]],
        proposed_level: str,
    ) -> None:
        self._closed_by_consolidation(Step.SELF_ASSESSMENT)
        if self.self_assessment is not None:
            raise StepClosed("đơn vị đã gửi tự đánh giá; cần mở lại bước có lý do để gửi lại")
        clean, signals = checked_self_assessment(group_codes, groups)
        self._trigger(
            self.SelfAssessmentSubmitted,
            actor=actor,
            occurred_at=occurred_at,
            groups=clean,
            proposed_level=Level.parse(proposed_level).value,
            perfunctory_signals=signals,
            **lateness(occurred_at, deadline),
        )

    def submit_member_review(
        self,
        *,
        actor: dict[str, Any],
        occurred_at: datetime,
        deadline: datetime | None,
        assignment_reference: str,
        comment: str,
        proposed_level: str | None,
    ) -> None:
        self._closed_by_consolidation(Step.MEMBER_REVIEW)
        member = str(actor["subject"])
        if member in self.member_reviews:
            raise StepClosed("thành viên này đã gửi nhận xét; cần mở lại bước có lý do")
        self._trigger(
            self.MemberReviewSubmitted,
            actor=actor,
            occurred_at=occurred_at,
            member=member,
            assignment_reference=text(assignment_reference, "assignment_reference"),
            comment=text(comment, "comment"),
            proposed_level=level_or_none(proposed_level),
            **lateness(occurred_at, deadline),
        )

    def consolidate(
        self,
        *,
        actor: dict[str, Any],
        occurred_at: datetime,
        deadline: datetime | None,
        summary: str,
        proposed_level: str,
    ) -> None:
        if self.consolidation is not None:
            raise StepClosed("Sở Nội vụ đã tổng hợp đơn vị này; cần mở lại bước có lý do")
        self._need(self.self_assessment is not None, Step.CONSOLIDATION, Step.SELF_ASSESSMENT)
        missing = [s.value for s in (Step.SECTOR_REVIEW, Step.MEMBER_REVIEW) if not self.has(s)]
        self._trigger(
            self.Consolidated,
            actor=actor,
            occurred_at=occurred_at,
            summary=text(summary, "summary"),
            proposed_level=Level.parse(proposed_level).value,
            missing_sources=missing,
            **lateness(occurred_at, deadline),
        )

    def review_by_caucus(
        self,
        *,
        actor: dict[str, Any],
        occurred_at: datetime,
        deadline: datetime | None,
        comment: str,
        proposed_level: str | None,
    ) -> None:
        if self.caucus_review is not None:
            raise StepClosed("Ban cán sự Đảng đã nhận xét; cần mở lại bước có lý do")
        self._need(self.consolidation is not None, Step.CAUCUS_REVIEW, Step.CONSOLIDATION)
        self._trigger(
            self.CaucusReviewed,
            actor=actor,
            occurred_at=occurred_at,
            comment=text(comment, "comment"),
            proposed_level=level_or_none(proposed_level),
            **lateness(occurred_at, deadline),
        )

    def adjust_level(
        self, *, actor: dict[str, Any], occurred_at: datetime, level: str, reason: str
    ) -> None:
        if self.recognition is not None:
            raise StepClosed("đã có quyết định công nhận; cần mở lại bước công nhận có lý do")
        self._need(self.caucus_review is not None, Step.RECOGNITION, Step.CAUCUS_REVIEW)
        if not (reason or "").strip():
            raise ReasonRequired("điều chỉnh mức cần nêu lý do")
        to_level = Level.parse(level).value
        self._trigger(
            self.LevelAdjusted,
            actor=actor,
            occurred_at=occurred_at,
            from_level=self.current_level or "",
            to_level=to_level,
            reason=text(reason, "reason"),
        )

    def recognise(
        self,
        *,
        actor: dict[str, Any],
        occurred_at: datetime,
        deadline: datetime | None,
        decision_number: str,
        decision_date: str,
        signer: str,
        level: str,
        reason: str | None = None,
    ) -> None:
        if self.recognition is not None:
            raise StepClosed("đơn vị đã được công nhận; cần mở lại bước có lý do")
        self._need(self.caucus_review is not None, Step.RECOGNITION, Step.CAUCUS_REVIEW)
        day, chosen, why = recognition_terms(self, decision_date, occurred_at, level, reason)
        self._trigger(
            self.Recognised,
            actor=actor,
            occurred_at=occurred_at,
            decision_number=text(decision_number, "decision_number"),
            decision_date=day.isoformat(),
            signer=text(signer, "signer"),
            level=chosen,
            reason=why,
            **lateness(occurred_at, deadline),
        )

    def publish(self, *, actor: dict[str, Any], occurred_at: datetime, channel: str) -> None:
        if self.publication is not None:
            raise StepClosed("kết quả đã được công bố")
        self._need(self.recognition is not None, Step.PUBLICATION, Step.RECOGNITION)
        self._trigger(
            self.Published, actor=actor, occurred_at=occurred_at, channel=text(channel, "channel")
        )

    def flag_perfunctory(
        self, *, actor: dict[str, Any], occurred_at: datetime, reason: str
    ) -> None:
        if not (reason or "").strip():
            raise ReasonRequired("báo cáo đơn vị sơ sài cần nêu lý do")
        self._trigger(
            self.FlaggedPerfunctory,
            actor=actor,
            occurred_at=occurred_at,
            reason=text(reason, "reason"),
        )

    def reopen(
        self, *, actor: dict[str, Any], occurred_at: datetime, step: str, reason: str
    ) -> list[str]:
        which = Step.parse(step)
        if not (reason or "").strip():
            raise ReasonRequired("mở lại một bước cần nêu lý do")
        if not self.has(which):
            raise NothingToReopen(f"{which.label_vi}: chưa có kết quả để làm lại")
        cleared = [which.value] + [s.value for s in DEPENDANTS[which] if self.has(s)]
        self._trigger(
            self.StepReopened,
            actor=actor,
            occurred_at=occurred_at,
            step=which.value,
            reason=text(reason, "reason"),
            cleared_steps=cleared,
        )
        return cleared
