"""One person's rating for one year and side (state or party): the procedure of NĐ 90/2020
Điều 17–18 (NĐ 335/2025 likewise) [R11][R12][R13].

1. self-assessment with the proposed level (Mẫu 01 / 02 / 03 by category, or the score sheet
   under NĐ 335); 2. the agency meeting's comments, minuted, the minutes approved; 3. the party
   committee's written comments; 4. the personnel body's proposal; then the competent authority's
   decision (a head by the superior agency, others by the head), written notice to the person and
   publication inside the agency (Điều 22 [R14]). A rating found improper is redone with its
   reason; the earlier result stays in ``history`` and in the log (seed 002).

Every level proposed or decided is checked against the rule set's ``Outcome``. The quota is
checked by ``ExcellentQuota`` in the same transaction as the decision.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar
from uuid import UUID

from assessment.domain.individual.assess import Authority, check_competence
from assessment.domain.individual.errors import (
    InvalidInput,
    MinutesNotApproved,
    PreviousAgencyOpinionMissing,
    StepAlreadyDone,
    StepOutOfOrder,
)
from assessment.domain.individual.rating_steps import SideSteps
from assessment.domain.individual.rules import decree_90_48, decree_335, party_124, party_366
from assessment.domain.individual.rules.base import Outcome
from assessment.domain.individual.settings import IndividualSettings
from assessment.domain.individual.values import Category, parse_day, parse_level, text
from assessment.domain.kernel.base import TenantAggregate
from assessment.domain.kernel.values import Level

RATING_NAMESPACE = uuid.UUID("2b7e4c9d-6a1f-5b3e-8d2c-4f5a6b7c8d9e")
SCORE_SHEET_FORM = "phieu_diem_335"
PARTY_FORM = "kiem_diem_dang_vien"
_ENVELOPE = "originator_id originator_version originator_topic timestamp tenant occurred_at"
ENVELOPE = frozenset(_ENVELOPE.split())
REDONE_KEEPS = ("steps", "previous_opinions", "decision", "notice", "publication")
STEPS = ("self_assessment", "meeting", "minutes_approved", "party_committee", "proposal")


def rating_id_for(person_id: UUID, year: int, side: str = "state") -> UUID:
    return uuid.uuid5(RATING_NAMESPACE, f"{person_id}/{year}/{side}")


def payload(event: object) -> dict[str, Any]:
    """An event's own fields (envelope fields left out), as the state keeps them."""
    return {k: v for k, v in event.__dict__.items() if k not in ENVELOPE}


def form_for(rule_set: str, category: Category) -> str:
    if rule_set == decree_335.CODE:
        return SCORE_SHEET_FORM
    if rule_set in (party_124.CODE, party_366.CODE):
        return PARTY_FORM
    return category.self_assessment_form


class IndividualRating(TenantAggregate, SideSteps):
    TOPIC = "assessment.IndividualRating"

    class Event(TenantAggregate.Event):
        TOPIC = "assessment.IndividualRating.Event"

    class StepRecorded(Event):
        """A step of the procedure: its fields, who and when, kept under ``steps[STEP]``."""

        TOPIC = "assessment.IndividualRating.StepRecorded"
        STEP: ClassVar[str] = ""

        def apply(self, aggregate: Any) -> None:
            aggregate.steps[self.STEP] = {**payload(self), "at": self.occurred_at.isoformat()}

    class Opened(Event, TenantAggregate.Created):
        TOPIC = "assessment.IndividualRating.Opened"
        person_id: str
        agency_id: str
        unit_id: str | None
        year: int
        side: str
        category: str
        position: str
        task_group: str
        rule_set: str
        form: str
        previous_agencies: list[str]
        party_committee: bool
        authority_agency_id: str

    class SelfAssessed(StepRecorded):
        TOPIC = "assessment.IndividualRating.SelfAssessed"
        form: str
        content: dict[str, Any]
        proposed_level: str
        score: str | None
        STEP = "self_assessment"

    class PreviousAgencyOpinionRecorded(Event):
        TOPIC = "assessment.IndividualRating.PreviousAgencyOpinionRecorded"
        agency_id: str
        opinion: str
        proposed_level: str | None
        agency_dissolved: bool

        def apply(self, aggregate: Any) -> None:
            aggregate.previous_opinions[self.agency_id] = {
                "opinion": self.opinion,
                "proposed_level": self.proposed_level,
                "agency_dissolved": self.agency_dissolved,
                "by": self.actor,
            }

    class MeetingMinuted(StepRecorded):
        TOPIC = "assessment.IndividualRating.MeetingMinuted"
        minutes_number: str
        held_on: str
        attendees: int
        comments: list[dict[str, str]]
        written: bool  # large agency: written comments instead of a plenary meeting
        STEP = "meeting"

    class MinutesApproved(StepRecorded):
        TOPIC = "assessment.IndividualRating.MinutesApproved"
        approved_on: str
        STEP = "minutes_approved"

    class PartyCommitteeCommented(StepRecorded):
        TOPIC = "assessment.IndividualRating.PartyCommitteeCommented"
        document_number: str
        comments: str
        STEP = "party_committee"

    class PersonnelProposed(StepRecorded):
        TOPIC = "assessment.IndividualRating.PersonnelProposed"
        proposed_level: str | None
        summary: str
        rule_set: str
        findings: list[dict[str, str]]
        STEP = "proposal"

    class Decided(Event):
        TOPIC = "assessment.IndividualRating.Decided"
        level: str | None  # None: reviewed, not rated
        decision_number: str
        decided_on: str
        authority_agency_id: str
        rule_set: str
        findings: list[dict[str, str]]
        score: str | None
        deadline: str
        late: bool
        late_by_days: int
        violations_counted: list[str]
        unit_level: str | None  # a head: the unit's collective result the level was held to

        def apply(self, aggregate: Any) -> None:
            aggregate.decision = {**payload(self), "by": self.actor}
            aggregate.rule_set = self.rule_set
            if aggregate.finalised_on is None:
                aggregate.finalised_on = self.decided_on

    class FindingsAcknowledged(Event):
        """The rater took note of an inspection's findings on the person (seed 003)."""

        TOPIC = "assessment.IndividualRating.FindingsAcknowledged"
        inspection_id: str
        decision_number: str
        findings: list[dict[str, Any]]
        note: str

        def apply(self, aggregate: Any) -> None:
            for f in self.findings:
                at = self.occurred_at.isoformat()
                aggregate.findings_acknowledged[f["finding_id"]] = {**payload(self), **f, "at": at}

    class Notified(Event):
        TOPIC = "assessment.IndividualRating.Notified"
        notified_on: str
        channel: str

        def apply(self, aggregate: Any) -> None:
            aggregate.notice = payload(self)

    class Published(Event):
        TOPIC = "assessment.IndividualRating.Published"
        published_on: str
        channel: str

        def apply(self, aggregate: Any) -> None:
            aggregate.publication = payload(self)

    class Redone(Event):
        TOPIC = "assessment.IndividualRating.Redone"
        reason: str
        basis: str

        def apply(self, aggregate: Any) -> None:
            earlier = {k: getattr(aggregate, k) for k in REDONE_KEEPS}
            aggregate.history.append(
                {
                    **earlier,
                    "redone_for": self.reason,
                    "basis": self.basis,
                    "by": self.actor,
                    "at": self.occurred_at.isoformat(),
                }
            )
            aggregate.steps = {}
            aggregate.previous_opinions = {}
            aggregate.decision = None
            aggregate.notice = None
            aggregate.publication = None

    def __init__(
        self,
        tenant: str,
        actor: dict[str, Any],
        occurred_at: datetime,
        person_id: str,
        agency_id: str,
        unit_id: str | None,
        year: int,
        side: str,
        category: str,
        position: str,
        task_group: str,
        rule_set: str,
        form: str,
        previous_agencies: list[str],
        party_committee: bool,
        authority_agency_id: str,
    ) -> None:
        self.tenant = tenant
        self.person_id = UUID(person_id)
        self.agency_id = agency_id
        self.unit_id = unit_id
        self.year = year
        self.side = side
        self.category = Category(category)
        self.position = position
        self.task_group = task_group
        self.rule_set = rule_set
        self.form = form
        self.previous_agencies = list(previous_agencies)
        self.party_committee = party_committee
        self.authority = Authority(agency_id=authority_agency_id, head_of_agency=True)
        self.steps: dict[str, dict[str, Any]] = {}
        self.previous_opinions: dict[str, dict[str, Any]] = {}
        self.decision: dict[str, Any] | None = None
        self.notice: dict[str, str] | None = None
        self.publication: dict[str, str] | None = None
        self.finalised_on: str | None = None
        self.history: list[dict[str, Any]] = []
        self.findings_acknowledged: dict[str, dict[str, Any]] = {}

    @classmethod
    def open(
        cls,
        *,
        tenant: str,
        actor: dict[str, Any],
        occurred_at: datetime,
        person_id: UUID,
        agency_id: str,
        unit_id: str | None,
        year: int,
        category: Category,
        position: str,
        task_group: str,
        rule_set: str,
        authority: Authority,
        previous_agencies: tuple[str, ...] = (),
        side: str = "state",
        party_committee: bool = True,
    ) -> IndividualRating:
        return cls._create(
            cls.Opened,
            id=rating_id_for(person_id, year, side),
            tenant=tenant,
            actor=actor,
            occurred_at=occurred_at,
            person_id=str(person_id),
            agency_id=agency_id,
            unit_id=unit_id,
            year=year,
            side=side,
            category=category.value,
            position=position,
            task_group=task_group,
            rule_set=rule_set,
            form=form_for(rule_set, category),
            previous_agencies=list(previous_agencies),
            party_committee=party_committee,
            authority_agency_id=authority.agency_id,
        )

    # -- helpers -----------------------------------------------------------------------------

    def _require_undecided(self) -> None:
        if self.decision is not None:
            raise StepAlreadyDone(
                "đã có quyết định xếp loại; muốn sửa phải đánh giá lại (nêu lý do)"
            )

    def _require(self, step: str, message: str) -> None:
        if step not in self.steps:
            raise StepOutOfOrder(message)

    def _once(self, step: str) -> None:
        self._require_undecided()
        if step in self.steps:
            raise StepAlreadyDone(f"bước '{step}' đã thực hiện")

    def rule_date(self, decided_on: date) -> date:
        """The date that picks Decree 90 with or without 48: a redo keeps the first one
        (results finalised before 15/09/2023 are not reopened under 48 [R15])."""
        return date.fromisoformat(self.finalised_on) if self.finalised_on else decided_on

    # -- steps -------------------------------------------------------------------------------

    def self_assess(
        self,
        *,
        actor: dict[str, Any],
        occurred_at: datetime,
        form: str,
        content: dict[str, Any],
        proposed_level: str,
        outcome: Outcome | None = None,
        score: Decimal | None = None,
    ) -> None:
        self._once("self_assessment")
        if form != self.form:
            raise InvalidInput(f"phải dùng mẫu '{self.form}' cho đối tượng và bộ quy định này")
        if not isinstance(content, dict) or not content:
            raise InvalidInput("nội dung tự đánh giá không được để trống")
        level = parse_level(proposed_level)
        if outcome is not None and outcome.rated:
            outcome.check(level)
        self._trigger(
            self.SelfAssessed,
            actor=actor,
            occurred_at=occurred_at,
            form=form,
            content=content,
            proposed_level=level.value,
            score=str(score) if score is not None else None,
        )

    def minute_meeting(
        self,
        *,
        actor: dict[str, Any],
        occurred_at: datetime,
        minutes_number: str,
        held_on: str,
        attendees: int,
        comments: list[dict[str, str]],
        written: bool = False,
    ) -> None:
        self._once("meeting")
        self._require("self_assessment", "cần có bản tự đánh giá trước cuộc họp nhận xét")
        if not isinstance(attendees, int) or attendees < 1:
            raise InvalidInput("số người dự họp phải là số nguyên dương")
        clean = [
            {
                "by": text(c.get("by"), "người nhận xét", limit=200),
                "text": text(c.get("text"), "ý kiến"),
            }
            for c in comments
        ]
        if not clean:
            raise InvalidInput("biên bản phải ghi ít nhất một ý kiến nhận xét")
        self._trigger(
            self.MeetingMinuted,
            actor=actor,
            occurred_at=occurred_at,
            minutes_number=text(minutes_number, "số biên bản", limit=100),
            held_on=parse_day(held_on, "ngày họp").isoformat(),
            attendees=attendees,
            comments=clean,
            written=written,
        )

    def approve_minutes(
        self, *, actor: dict[str, Any], occurred_at: datetime, approved_on: str
    ) -> None:
        self._once("minutes_approved")
        self._require("meeting", "chưa có biên bản cuộc họp để thông qua")
        self._trigger(
            self.MinutesApproved,
            actor=actor,
            occurred_at=occurred_at,
            approved_on=parse_day(approved_on, "ngày thông qua").isoformat(),
        )

    def comment_by_party_committee(
        self, *, actor: dict[str, Any], occurred_at: datetime, document_number: str, comments: str
    ) -> None:
        self._once("party_committee")
        self._require_minutes()
        self._trigger(
            self.PartyCommitteeCommented,
            actor=actor,
            occurred_at=occurred_at,
            document_number=text(document_number, "số văn bản", limit=100),
            comments=text(comments, "ý kiến của cấp ủy"),
        )

    def _require_minutes(self) -> None:
        if "meeting" not in self.steps:
            raise StepOutOfOrder("chưa họp nhận xét tại cơ quan, đơn vị")
        if "minutes_approved" not in self.steps:
            raise MinutesNotApproved("biên bản cuộc họp nhận xét chưa được thông qua tại cuộc họp")

    def propose(
        self,
        *,
        actor: dict[str, Any],
        occurred_at: datetime,
        proposed_level: str | None,
        summary: str,
        outcome: Outcome,
    ) -> None:
        self._once("proposal")
        self._require_minutes()
        if self.party_committee and "party_committee" not in self.steps:
            raise StepOutOfOrder("chưa có ý kiến bằng văn bản của cấp ủy cơ quan")
        level = parse_level(proposed_level) if proposed_level is not None else None
        outcome.check(level)
        self._trigger(
            self.PersonnelProposed,
            actor=actor,
            occurred_at=occurred_at,
            proposed_level=level.value if level else None,
            summary=text(summary, "nội dung tổng hợp"),
            rule_set=outcome.rule_set,
            findings=[f.to_dict() for f in outcome.findings],
        )

    def decide(
        self,
        *,
        actor: dict[str, Any],
        occurred_at: datetime,
        level: str | None,
        decision_number: str,
        decided_on: str,
        decider_agency_id: str,
        decider_is_head: bool,
        outcome: Outcome,
        settings: IndividualSettings,
        score: Decimal | None = None,
        violations: tuple[str, ...] = (),
    ) -> None:
        self._require_undecided()
        self._require("proposal", "chưa có đề xuất của bộ phận tham mưu tổ chức cán bộ")
        check_competence(self.authority, agency_id=decider_agency_id, is_head=decider_is_head)
        missing = [a for a in self.previous_agencies if a not in self.previous_opinions]
        if missing:
            raise PreviousAgencyOpinionMissing(
                f"cần ý kiến của cơ quan cũ: {', '.join(missing)} [{decree_90_48.SRC_TRANSFER}]"
            )
        chosen = parse_level(level) if level is not None else None
        outcome.check(chosen)
        day = parse_day(decided_on, "ngày quyết định")
        deadline = settings.decision_deadline(self.year)
        late_days = max(0, (day - deadline).days)
        self._trigger(
            self.Decided,
            actor=actor,
            occurred_at=occurred_at,
            level=chosen.value if chosen else None,
            decision_number=text(decision_number, "số quyết định", limit=100),
            decided_on=day.isoformat(),
            authority_agency_id=decider_agency_id,
            rule_set=outcome.rule_set,
            findings=[f.to_dict() for f in outcome.findings],
            score=str(score) if score is not None else None,
            deadline=deadline.isoformat(),
            late=late_days > 0,
            late_by_days=late_days,
            violations_counted=list(violations) if chosen is not None else [],
            unit_level=outcome.head_cap.value if outcome.head_cap is not None else None,
        )

    @property
    def level(self) -> Level | None:
        if self.decision is None or self.decision["level"] is None:
            return None
        return Level(self.decision["level"])
