"""What a unit and its reviewers exchange around the self-assessment (seed 001 step 2, issue 9):
drafts, withdrawals and requests for a supplement with their replies. Mixed into
``UnitAssessment``; every change is an event with tenant, actor and business time.

Rules kept here (and only here):
- a draft may be saved while the self-assessment is not submitted and the step is open; it is
  checked loosely (known content groups, text limits, evidence shape), never for completeness;
- a submission may be withdrawn only before its deadline and before the next step that consumes
  it (Home Affairs' consolidation) has started; after that only a reopening helps. The withdrawn
  report becomes the draft, so the unit edits it and submits again (the earlier submission stays
  in the event log);
- a reviewer asks for a supplement with a reason and a due day, while the self-assessment is
  submitted and the unit not yet recognised; the unit answers each request once, with text and
  evidence files; an answer after the due day is accepted and marked late.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any
from uuid import UUID

from assessment.domain.collective.rules import lateness, level_or_none, text
from assessment.domain.kernel.base import TenantAggregate
from assessment.domain.kernel.errors import (
    NotFound,
    StepClosed,
    StepOrderViolation,
    ValidationFailed,
)
from assessment.domain.kernel.values import VN_TZ, EvidenceFile, deadline_instant

MAX_SUPPLEMENTS = 50


def _evidence(items: Any, what: str) -> list[dict[str, Any]]:
    evidence = [EvidenceFile.parse(e).to_dict() for e in items or []]
    names = [e["name"] for e in evidence]
    if len(set(names)) != len(names):
        raise ValidationFailed(f"{what}: tên tệp minh chứng bị trùng")
    return evidence


def draft_groups(group_codes: list[str], groups: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """A draft's groups: only the plan's content groups, texts within limits, may be empty."""
    unknown = sorted(set(groups) - set(group_codes))
    if unknown:
        raise ValidationFailed(f"nhóm nội dung không có trong kế hoạch: {', '.join(unknown)}")
    return {
        code: {
            "results": text(groups[code].get("results"), f"{code}.results", required=False),
            "limitations": text(
                groups[code].get("limitations"), f"{code}.limitations", required=False
            ),
            "evidence": _evidence(groups[code].get("evidence"), code),
        }
        for code in group_codes
        if code in groups
    }


class SelfAssessmentDraftSaved(TenantAggregate.Event):
    TOPIC = "assessment.UnitAssessment.SelfAssessmentDraftSaved"
    groups: dict[str, Any]
    proposed_level: str | None

    def apply(self, aggregate: Any) -> None:
        aggregate.draft = {
            "groups": self.groups,
            "proposed_level": self.proposed_level,
            "saved_at": self.occurred_at.isoformat(),
            "by": self.actor,
        }


class SelfAssessmentWithdrawn(TenantAggregate.Event):
    TOPIC = "assessment.UnitAssessment.SelfAssessmentWithdrawn"
    reason: str
    submitted_at: str
    deadline: str | None
    cleared_steps: list[str]

    def apply(self, aggregate: Any) -> None:
        withdrawn = aggregate.self_assessment or {}
        aggregate.draft = {
            "groups": withdrawn.get("groups", {}),
            "proposed_level": withdrawn.get("proposed_level"),
            "saved_at": self.occurred_at.isoformat(),
            "by": self.actor,
        }
        aggregate.self_assessment = None
        aggregate.withdrawals = [
            *aggregate.withdrawals,
            {
                "reason": self.reason,
                "submitted_at": self.submitted_at,
                "at": self.occurred_at.isoformat(),
                "by": self.actor,
            },
        ]


class SupplementRequested(TenantAggregate.Event):
    TOPIC = "assessment.UnitAssessment.SupplementRequested"
    request_id: str
    reason: str
    due_date: str
    requested_by_unit: str | None

    def apply(self, aggregate: Any) -> None:
        aggregate.supplements = [
            *aggregate.supplements,
            {
                "id": self.request_id,
                "reason": self.reason,
                "due_date": self.due_date,
                "requested_at": self.occurred_at.isoformat(),
                "by": self.actor,
                "requested_by_unit": self.requested_by_unit,
                "answer": None,
            },
        ]


class SupplementAnswered(TenantAggregate.Event):
    TOPIC = "assessment.UnitAssessment.SupplementAnswered"
    request_id: str
    text: str
    evidence: list[dict[str, Any]]
    deadline: str | None
    late_by_seconds: int

    def apply(self, aggregate: Any) -> None:
        answer = {
            "text": self.text,
            "evidence": self.evidence,
            "answered_at": self.occurred_at.isoformat(),
            "late_by_seconds": self.late_by_seconds,
            "by": self.actor,
        }
        aggregate.supplements = [
            {**s, "answer": answer} if s["id"] == self.request_id else s
            for s in aggregate.supplements
        ]


class UnitExchanges:
    """Drafts, withdrawals and supplements of a unit's assessment: a mixin of the aggregate,
    which names the four events above in its body (its metaclass re-bases and registers them;
    the methods trigger those copies)."""

    # class defaults: snapshots taken before these existed restore without them
    draft: dict[str, Any] | None = None
    withdrawals: tuple[dict[str, Any], ...] | list[dict[str, Any]] = ()
    supplements: tuple[dict[str, Any], ...] | list[dict[str, Any]] = ()

    # the aggregate's own (re-based) copies of the events above
    SelfAssessmentDraftSaved: type[TenantAggregate.Event]
    SelfAssessmentWithdrawn: type[TenantAggregate.Event]
    SupplementRequested: type[TenantAggregate.Event]
    SupplementAnswered: type[TenantAggregate.Event]
    self_assessment: dict[str, Any] | None
    consolidation: dict[str, Any] | None
    recognition: dict[str, Any] | None

    def _trigger(
        self, event_class: Any, *, actor: dict[str, Any], occurred_at: datetime, **kwargs: Any
    ) -> None:
        raise NotImplementedError  # pragma: no cover - TenantAggregate's comes first

    # ----------------------------------------------------------------- commands
    def save_self_assessment_draft(
        self,
        *,
        actor: dict[str, Any],
        occurred_at: datetime,
        group_codes: list[str],
        groups: dict[str, dict[str, Any]],
        proposed_level: str | None,
    ) -> None:
        if self.consolidation is not None:
            raise StepClosed("Bước 2 đã đóng vì Sở Nội vụ đã tổng hợp; không lưu nháp được nữa")
        if self.self_assessment is not None:
            raise StepClosed("đơn vị đã gửi tự đánh giá; hãy rút lại trước khi sửa bản nháp")
        self._trigger(
            self.SelfAssessmentDraftSaved,
            actor=actor,
            occurred_at=occurred_at,
            groups=draft_groups(group_codes, groups),
            proposed_level=level_or_none(proposed_level),
        )

    def withdraw_self_assessment(
        self,
        *,
        actor: dict[str, Any],
        occurred_at: datetime,
        deadline: datetime | None,
        reason: str | None,
    ) -> None:
        if self.self_assessment is None:
            raise StepOrderViolation("đơn vị chưa gửi tự đánh giá nên không có gì để rút")
        if self.consolidation is not None:
            raise StepClosed(
                "Sở Nội vụ đã bắt đầu tổng hợp nên không rút được nữa; cần mở lại bước có lý do"
            )
        if deadline is not None and occurred_at > deadline:
            raise StepClosed(
                "đã quá hạn nộp tự đánh giá nên không rút được nữa; cần Sở Nội vụ mở lại bước"
            )
        self._trigger(
            self.SelfAssessmentWithdrawn,
            actor=actor,
            occurred_at=occurred_at,
            reason=text(reason, "reason", required=False),
            submitted_at=str(self.self_assessment["submitted_at"]),
            deadline=deadline.isoformat() if deadline else None,
            cleared_steps=["self_assessment"],
        )

    def request_supplement(
        self,
        *,
        actor: dict[str, Any],
        occurred_at: datetime,
        reason: str,
        due_date: str,
    ) -> str:
        """Ask the unit for a supplement; returns the request's id."""
        if self.self_assessment is None:
            raise StepOrderViolation("đơn vị chưa gửi tự đánh giá; chưa thể yêu cầu bổ sung")
        if self.recognition is not None:
            raise StepClosed("đơn vị đã được công nhận; không yêu cầu bổ sung được nữa")
        if len(self.supplements) >= MAX_SUPPLEMENTS:
            raise ValidationFailed(f"mỗi hồ sơ có tối đa {MAX_SUPPLEMENTS} yêu cầu bổ sung")
        try:
            due = date.fromisoformat(due_date)
        except (TypeError, ValueError):
            raise ValidationFailed("hạn bổ sung phải là ngày YYYY-MM-DD") from None
        if due < occurred_at.astimezone(VN_TZ).date():
            raise ValidationFailed("hạn bổ sung không thể trước hôm nay")
        own_id: UUID = getattr(self, "id")  # noqa: B009 - the aggregate's read-only id
        request_id = str(uuid.uuid5(own_id, f"supplement/{len(self.supplements)}"))
        self._trigger(
            self.SupplementRequested,
            actor=actor,
            occurred_at=occurred_at,
            request_id=request_id,
            reason=text(reason, "reason"),
            due_date=due.isoformat(),
            requested_by_unit=actor.get("acting_for"),
        )
        return request_id

    def answer_supplement(
        self,
        *,
        actor: dict[str, Any],
        occurred_at: datetime,
        request_id: str,
        text_: str,
        evidence: list[dict[str, Any]],
    ) -> None:
        found = next((s for s in self.supplements if s["id"] == request_id), None)
        if found is None:
            raise NotFound(f"yêu cầu bổ sung {request_id} không tồn tại")
        if found["answer"] is not None:
            raise StepClosed("yêu cầu bổ sung này đã được trả lời")
        due = deadline_instant(date.fromisoformat(found["due_date"]))
        self._trigger(
            self.SupplementAnswered,
            actor=actor,
            occurred_at=occurred_at,
            request_id=request_id,
            text=text(text_, "text"),
            evidence=_evidence(evidence, "evidence"),
            **lateness(occurred_at, due),
        )

    def open_supplements(self) -> list[dict[str, Any]]:
        return [s for s in self.supplements if s["answer"] is None]
