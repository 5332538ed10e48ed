"""The ``CchcScoring`` aggregate: one unit's administrative-reform scoring in one year.

Lifecycle (DOMAIN §5.3 design note): draft → approved by the unit head → submitted → (withdrawn
to edit, before the deadline and before any appraisal) → appraising, with supplement/explanation
requests each answered once → reconciled → confirmed by the appraisal council. Survey results
arrive apart. Self, appraised and survey scores stay separate facts per criterion; every change
of a score names its author and, where it differs or changes, its reason. The commands live in
``self_scoring`` (the unit, Home Affairs' exclusions) and ``appraisal`` (appraisers, council).
"""

from __future__ import annotations

import pickle
import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from assessment.domain.cchc.appraisal import AppraisalSteps
from assessment.domain.cchc.criteria_set import CriteriaSet
from assessment.domain.cchc.errors import (
    ScoreOutsideRule,
    ScoringClosed,
    ScoringOrder,
    SetNotPublished,
    UnknownCriterion,
)
from assessment.domain.cchc.index import UnitScores
from assessment.domain.cchc.self_scoring import SelfScoringSteps, instant
from assessment.domain.cchc.status import Status
from assessment.domain.cchc.tree import Node, SetContent
from assessment.domain.cchc.values import Method
from assessment.domain.kernel.base import TenantAggregate
from assessment.domain.kernel.errors import ValidationFailed

SCORING_NAMESPACE = uuid.UUID("7e2d9c41-3a5b-5f60-8e1d-2c4b6a8f0d13")


def scoring_id_for(tenant: str, year: int, unit_id: UUID | str) -> UUID:
    return uuid.uuid5(SCORING_NAMESPACE, f"{tenant}/{year}/{unit_id}")


def _history(aggregate: Any, event: Any, stage: str, code: str, points: str | None) -> None:
    aggregate.history.append(
        {
            "stage": stage,
            "code": code,
            "points": points,
            "reason": getattr(event, "reason", "") or getattr(event, "explanation", ""),
            "by": event.actor.get("subject"),  # the full actor stays in the event
            "at": event.occurred_at.isoformat(),
        }
    )


class CchcScoring(SelfScoringSteps, AppraisalSteps, TenantAggregate):
    TOPIC = "assessment.CchcScoring"

    class Event(TenantAggregate.Event):
        TOPIC = "assessment.CchcScoring.Event"

    class Opened(Event, TenantAggregate.Created):
        TOPIC = "assessment.CchcScoring.Opened"
        year: int
        block: str
        unit_id: str
        set_id: str
        set_version: int
        self_deadline: str

    class SelfScoreRecorded(Event):
        TOPIC = "assessment.CchcScoring.SelfScoreRecorded"
        code: str
        answer: dict[str, Any]
        points: str
        previous_points: str | None
        evidence: list[dict[str, Any]]
        explanation: str
        voids_approval: bool

        def apply(self, aggregate: Any) -> None:
            aggregate.self_scores[self.code] = {
                "answer": self.answer,
                "points": self.points,
                "evidence": self.evidence,
                "explanation": self.explanation,
                "by": self.actor.get("subject"),
                "at": self.occurred_at.isoformat(),
            }
            if self.voids_approval:
                aggregate.approval = None
                aggregate.status = Status.DRAFT.value
            _history(aggregate, self, "self", self.code, self.points)

    class ReportApproved(Event):
        TOPIC = "assessment.CchcScoring.ReportApproved"
        summary: str
        difficulties: str
        proposals: str
        self_total: str

        def apply(self, aggregate: Any) -> None:
            aggregate.approval = {
                "summary": self.summary,
                "difficulties": self.difficulties,
                "proposals": self.proposals,
                "self_total": self.self_total,
                "by": self.actor,
                "at": self.occurred_at.isoformat(),
            }
            aggregate.status = Status.APPROVED.value

    class ReportSubmitted(Event):
        TOPIC = "assessment.CchcScoring.ReportSubmitted"
        late_by_seconds: int

        def apply(self, aggregate: Any) -> None:
            aggregate.submission = {
                "at": self.occurred_at.isoformat(),
                "late_by_seconds": self.late_by_seconds,
                "by": self.actor,
            }
            aggregate.status = Status.SUBMITTED.value

    class ReportWithdrawn(Event):
        TOPIC = "assessment.CchcScoring.ReportWithdrawn"
        reason: str

        def apply(self, aggregate: Any) -> None:
            aggregate.submission = None
            aggregate.approval = None
            aggregate.status = Status.DRAFT.value

    class CriterionExcluded(Event):
        TOPIC = "assessment.CchcScoring.CriterionExcluded"
        code: str
        leaves: list[str]
        reason: str

        def apply(self, aggregate: Any) -> None:
            aggregate.excluded[self.code] = self.reason
            _history(aggregate, self, "excluded", self.code, None)

    class DeadlineExtended(Event):
        TOPIC = "assessment.CchcScoring.DeadlineExtended"
        deadline: str
        reason: str

        def apply(self, aggregate: Any) -> None:
            aggregate.self_deadline = self.deadline

    class AppraisedScoreRecorded(Event):
        TOPIC = "assessment.CchcScoring.AppraisedScoreRecorded"
        code: str
        answer: dict[str, Any]
        points: str
        previous_points: str | None
        self_points: str | None
        agency: str
        reason: str

        def apply(self, aggregate: Any) -> None:
            aggregate.appraised[self.code] = {
                "answer": self.answer,
                "points": self.points,
                "agency": self.agency,
                "reason": self.reason,
                "by": self.actor.get("subject"),
                "at": self.occurred_at.isoformat(),
            }
            aggregate.status = Status.APPRAISING.value
            _history(aggregate, self, "appraisal", self.code, self.points)

    class SupplementRequested(Event):
        TOPIC = "assessment.CchcScoring.SupplementRequested"
        request_id: str
        kind: str
        codes: list[str]
        message: str
        agency: str
        deadline: str

        def apply(self, aggregate: Any) -> None:
            aggregate.requests[self.request_id] = {
                "kind": self.kind,
                "codes": self.codes,
                "message": self.message,
                "agency": self.agency,
                "deadline": self.deadline,
                "requested_at": self.occurred_at.isoformat(),
                "by": self.actor,
                "reply": None,
            }
            aggregate.status = Status.APPRAISING.value

    class SupplementReplied(Event):
        TOPIC = "assessment.CchcScoring.SupplementReplied"
        request_id: str
        text: str
        evidence: list[dict[str, Any]]
        late_by_seconds: int

        def apply(self, aggregate: Any) -> None:
            aggregate.requests[self.request_id]["reply"] = {
                "text": self.text,
                "evidence": self.evidence,
                "late_by_seconds": self.late_by_seconds,
                "at": self.occurred_at.isoformat(),
                "by": self.actor,
            }

    class Reconciled(Event):
        TOPIC = "assessment.CchcScoring.Reconciled"
        rows: list[dict[str, Any]]
        note: str

        def apply(self, aggregate: Any) -> None:
            aggregate.reconciliation = {
                "rows": self.rows,
                "note": self.note,
                "at": self.occurred_at.isoformat(),
                "by": self.actor,
            }
            aggregate.status = Status.RECONCILED.value

    class CouncilConfirmed(Event):
        TOPIC = "assessment.CchcScoring.CouncilConfirmed"
        minutes_reference: str
        meeting_date: str
        appraised_total: str

        def apply(self, aggregate: Any) -> None:
            aggregate.confirmation = {
                "minutes_reference": self.minutes_reference,
                "meeting_date": self.meeting_date,
                "appraised_total": self.appraised_total,
                "at": self.occurred_at.isoformat(),
                "by": self.actor,
            }
            aggregate.status = Status.CONFIRMED.value

    class SurveyRecorded(Event):
        TOPIC = "assessment.CchcScoring.SurveyRecorded"
        results: dict[str, dict[str, Any]]  # code → {"percent", "points", "respondents"}
        source_sha256: str
        reason: str

        def apply(self, aggregate: Any) -> None:
            for code, result in self.results.items():
                aggregate.survey[code] = {**result, "source_sha256": self.source_sha256}
                _history(aggregate, self, "survey", code, result["points"])

    def __init__(
        self,
        tenant: str,
        actor: dict[str, Any],
        occurred_at: datetime,
        year: int,
        block: str,
        unit_id: str,
        set_id: str,
        set_version: int,
        self_deadline: str,
    ) -> None:
        self.tenant = tenant
        self.year = year
        self.block = block
        self.unit_id = unit_id
        self.set_id = set_id
        self.set_version = set_version
        self.self_deadline = self_deadline
        self.status: str = Status.DRAFT.value
        self.self_scores: dict[str, dict[str, Any]] = {}
        self.appraised: dict[str, dict[str, Any]] = {}
        self.survey: dict[str, dict[str, Any]] = {}
        self.excluded: dict[str, str] = {}
        self.requests: dict[str, dict[str, Any]] = {}
        self.history: list[dict[str, Any]] = []
        self.approval: dict[str, Any] | None = None
        self.submission: dict[str, Any] | None = None
        self.reconciliation: dict[str, Any] | None = None
        self.confirmation: dict[str, Any] | None = None

    @classmethod
    def open(
        cls,
        *,
        criteria: CriteriaSet,
        actor: dict[str, Any],
        occurred_at: datetime,
        unit_id: UUID | str,
        year: int,
        self_deadline: str,
    ) -> CchcScoring:
        """Open a unit's year on a published set version (the year's scores name it)."""
        if not criteria.is_published:
            raise SetNotPublished("chỉ chấm điểm theo bộ tiêu chí đã công bố")
        if year < criteria.year:
            raise ValidationFailed(f"bộ tiêu chí áp dụng từ năm {criteria.year}")
        deadline = instant(self_deadline, "hạn tự chấm điểm")
        return cls._create(
            cls.Opened,
            id=scoring_id_for(criteria.tenant, year, unit_id),
            tenant=criteria.tenant,
            actor=actor,
            occurred_at=occurred_at,
            year=year,
            block=criteria.block,
            unit_id=str(unit_id),
            set_id=str(criteria.id),
            set_version=criteria.set_version,
            self_deadline=deadline.isoformat(),
        )

    def __deepcopy__(self, memo: dict[int, Any]) -> CchcScoring:
        """The application hands every command a deep copy of the cached aggregate. This state
        is plain data (dicts, lists, text, numbers, UUIDs, datetimes), so one pickle round trip
        of our own bytes copies it several times faster than ``copy.deepcopy``'s walk (a
        ranking loads every unit of a block: bench/cchc_ranking.py)."""
        clone = type(self).__new__(type(self))
        state = pickle.dumps(self.__dict__, protocol=pickle.HIGHEST_PROTOCOL)
        clone.__dict__.update(pickle.loads(state))  # noqa: S301 - bytes made on the line above
        memo[id(self)] = clone
        return clone

    # ------------------------------------------------------------ helpers for the steps
    def content_of(self, criteria: CriteriaSet) -> SetContent:
        if str(criteria.id) != self.set_id:
            raise ValidationFailed(
                f"điểm năm {self.year} dùng bộ tiêu chí phiên bản {self.set_version}"
            )
        return criteria.content

    def leaf(self, content: SetContent, code: str, method: Method) -> Node:
        node = content.node(code)
        if node.rule is None:
            raise UnknownCriterion(f"'{code}' có tiêu chí thành phần; hãy chấm từng thành phần")
        if node.method is not method:
            what = "điều tra xã hội học" if node.method is Method.SURVEY else "thẩm định"
            raise ValidationFailed(f"'{code}' là tiêu chí {what}")
        if code in content.excluded_leaves(self.excluded):
            raise ValidationFailed(f"'{code}' không áp dụng với đơn vị này")
        return node

    @staticmethod
    def score_of(node: Node, answer: dict[str, Any]) -> Decimal:
        assert node.rule is not None
        try:
            return node.rule.score(answer, node.max_points)
        except ScoreOutsideRule as exc:
            raise ScoreOutsideRule(f"'{node.code}': {exc.detail}") from None

    def require(self, *allowed: Status, doing: str) -> None:
        if self.status in allowed:
            return
        current = Status(self.status)
        late = current.order > max(s.order for s in allowed)
        error = ScoringClosed if late else ScoringOrder
        raise error(f"không thể {doing} khi hồ sơ đang ở trạng thái '{current.label_vi}'")

    def applicable_leaves(self, content: SetContent, method: Method) -> list[Node]:
        out = content.excluded_leaves(self.excluded)
        return [n for n in content.leaves() if n.method is method and n.code not in out]

    def unit_scores(self, name: str) -> UnitScores:
        """The final figures the index needs (appraised, survey, exclusions, self)."""
        return UnitScores(
            unit_id=self.unit_id,
            name=name,
            appraised={c: Decimal(s["points"]) for c, s in self.appraised.items()},
            survey={c: Decimal(s["points"]) for c, s in self.survey.items()},
            excluded=frozenset(self.excluded),
            self_scored={c: Decimal(s["points"]) for c, s in self.self_scores.items()},
        )
