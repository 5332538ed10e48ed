"""Self-scoring steps of ``CchcScoring`` (the unit and its head), and Home Affairs' exclusions.

- a score per component criterion within its rule, with evidence (SHA-256 references into the
  evidence store) or, where there is none, a written explanation of how the unit scored;
- the head approves the report (summary, difficulties, proposals) once every applicable
  criterion is scored; editing a score afterwards voids the approval;
- submission after the deadline is accepted and marked late; withdrawal to edit only before the
  deadline and before any appraisal step.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from assessment.domain.cchc.errors import DeadlinePassed, ScoringClosed, ScoringOrder
from assessment.domain.cchc.status import Status
from assessment.domain.cchc.values import Method, clean_text, evidence_list, fmt, plain_answer
from assessment.domain.kernel.errors import ReasonRequired, ValidationFailed

if TYPE_CHECKING:
    from assessment.domain.cchc.criteria_set import CriteriaSet

# The ``CchcScoring`` this mixin is part of; typed loosely because mypy cannot see through the
# import cycle between an aggregate and its step mixins.
Scoring = Any


def instant(value: str, what: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValidationFailed(f"'{what}' phải là thời điểm ISO 8601") from None
    if moment.tzinfo is None:
        raise ValidationFailed(f"'{what}' cần múi giờ (ví dụ +07:00)")
    return moment


class SelfScoringSteps:
    def record_self_score(
        self: Scoring,
        *,
        criteria: CriteriaSet,
        actor: dict[str, Any],
        occurred_at: datetime,
        code: str,
        answer: dict[str, Any],
        evidence: list[dict[str, Any]] | None = None,
        explanation: str | None = None,
    ) -> None:
        self.require(Status.DRAFT, Status.APPROVED, doing="tự chấm điểm")
        node = self.leaf(self.content_of(criteria), code, Method.APPRAISAL)
        docs = evidence_list(evidence)
        note = clean_text(explanation, "giải trình", required=False)
        if not docs and not note:
            raise ValidationFailed(
                f"'{code}': cần tài liệu kiểm chứng hoặc giải trình cách tự chấm điểm"
            )
        answer = plain_answer(answer)
        got = self.score_of(node, answer)
        previous = self.self_scores.get(code)
        self._trigger(
            self.SelfScoreRecorded,
            actor=actor,
            occurred_at=occurred_at,
            code=code,
            answer=answer,
            points=fmt(got),
            previous_points=previous["points"] if previous else None,
            evidence=docs,
            explanation=note,
            voids_approval=self.status == Status.APPROVED,
        )

    def missing_self_scores(self: Scoring, criteria: CriteriaSet) -> list[str]:
        content = self.content_of(criteria)
        return [
            n.code
            for n in self.applicable_leaves(content, Method.APPRAISAL)
            if n.code not in self.self_scores
        ]

    def approve_report(
        self: Scoring,
        *,
        criteria: CriteriaSet,
        actor: dict[str, Any],
        occurred_at: datetime,
        summary: str,
        difficulties: str = "",
        proposals: str = "",
    ) -> None:
        """The unit head approves the self-scoring report (BNV guidance: leaders' approval, a
        summary, explanations where evidence lacks, difficulties and proposals)."""
        self.require(Status.DRAFT, doing="phê duyệt báo cáo tự chấm")
        missing = self.missing_self_scores(criteria)
        if missing:
            raise ScoringOrder(f"còn tiêu chí chưa tự chấm: {', '.join(missing)}")
        content = self.content_of(criteria)
        applicable = {n.code for n in self.applicable_leaves(content, Method.APPRAISAL)}
        total = sum(
            (Decimal(s["points"]) for c, s in self.self_scores.items() if c in applicable),
            Decimal(0),
        )
        self._trigger(
            self.ReportApproved,
            actor=actor,
            occurred_at=occurred_at,
            summary=clean_text(summary, "tóm tắt báo cáo"),
            difficulties=clean_text(difficulties, "khó khăn, vướng mắc", required=False),
            proposals=clean_text(proposals, "đề xuất, kiến nghị", required=False),
            self_total=fmt(total),
        )

    def submit(self: Scoring, *, actor: dict[str, Any], occurred_at: datetime) -> None:
        self.require(Status.APPROVED, doing="gửi báo cáo tự chấm")
        deadline = datetime.fromisoformat(self.self_deadline)
        late = max(0, int((occurred_at - deadline).total_seconds()))
        self._trigger(
            self.ReportSubmitted, actor=actor, occurred_at=occurred_at, late_by_seconds=late
        )

    def withdraw(
        self: Scoring, *, actor: dict[str, Any], occurred_at: datetime, reason: str
    ) -> None:
        """Take the submitted report back to edit: before the deadline, before any appraisal."""
        self.require(Status.SUBMITTED, doing="rút hồ sơ")
        if self.appraised or self.requests:
            raise ScoringClosed("hồ sơ đã được thẩm định, không rút lại được")
        if occurred_at >= datetime.fromisoformat(self.self_deadline):
            raise DeadlinePassed("đã quá hạn tự chấm điểm, không rút hồ sơ để sửa được")
        self._trigger(
            self.ReportWithdrawn,
            actor=actor,
            occurred_at=occurred_at,
            reason=clean_text(reason, "lý do rút hồ sơ"),
        )

    def exclude(
        self: Scoring,
        *,
        criteria: CriteriaSet,
        actor: dict[str, Any],
        occurred_at: datetime,
        code: str,
        reason: str,
    ) -> None:
        """Home Affairs declares a criterion not applicable to this unit: its maximum leaves the
        unit's denominator (a criterion takes its components with it)."""
        self.require(
            Status.DRAFT,
            Status.APPROVED,
            Status.SUBMITTED,
            Status.APPRAISING,
            doing="loại tiêu chí không áp dụng",
        )
        content = self.content_of(criteria)
        content.node(code)
        if code in self.excluded:
            return
        if not (reason or "").strip():
            raise ReasonRequired("cần nêu lý do tiêu chí không áp dụng với đơn vị")
        self._trigger(
            self.CriterionExcluded,
            actor=actor,
            occurred_at=occurred_at,
            code=code,
            leaves=sorted(content.excluded_leaves([code])),
            reason=clean_text(reason, "lý do"),
        )

    def extend_deadline(
        self: Scoring,
        *,
        actor: dict[str, Any],
        occurred_at: datetime,
        deadline: str,
        reason: str,
    ) -> None:
        self.require(Status.DRAFT, Status.APPROVED, Status.SUBMITTED, doing="gia hạn tự chấm")
        new = instant(deadline, "hạn mới")
        self._trigger(
            self.DeadlineExtended,
            actor=actor,
            occurred_at=occurred_at,
            deadline=new.isoformat(),
            reason=clean_text(reason, "lý do gia hạn"),
        )
