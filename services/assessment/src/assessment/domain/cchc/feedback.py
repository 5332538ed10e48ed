"""Feedback on criteria (seed 004): a unit flags a criterion as unreasonable with its reasons;
Home Affairs answers and may propose a new or changed criterion for the next version. The next
version's ``prompted_by_flags`` links back to the flags that led to it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any
from uuid import UUID

from assessment.domain.cchc.criteria_set import CriteriaSet
from assessment.domain.cchc.errors import AlreadyReplied
from assessment.domain.cchc.values import clean_text
from assessment.domain.kernel.base import TenantAggregate
from assessment.domain.kernel.errors import ValidationFailed

FLAG_NAMESPACE = uuid.UUID("b4c3d2e1-f0a9-5b8c-8d7e-6f5a4b3c2d1e")
PROPOSAL_KINDS = ("none", "new", "change", "remove")


def flag_id_for(tenant: str, set_id: UUID | str, unit_id: str, code: str) -> UUID:
    """One flag per unit and criterion of a set version."""
    return uuid.uuid5(FLAG_NAMESPACE, f"{tenant}/{set_id}/{unit_id}/{code}")


class CriterionFlag(TenantAggregate):
    TOPIC = "assessment.CriterionFlag"

    class Event(TenantAggregate.Event):
        TOPIC = "assessment.CriterionFlag.Event"

    class Raised(Event, TenantAggregate.Created):
        TOPIC = "assessment.CriterionFlag.Raised"
        set_id: str
        set_version: int
        code: str
        unit_id: str
        reasons: str

    class Answered(Event):
        TOPIC = "assessment.CriterionFlag.Answered"
        answer: str
        proposal_kind: str
        proposal: str

        def apply(self, aggregate: Any) -> None:
            aggregate.answer = {
                "answer": self.answer,
                "proposal_kind": self.proposal_kind,
                "proposal": self.proposal,
                "by": self.actor,
                "at": self.occurred_at.isoformat(),
            }

    def __init__(
        self,
        tenant: str,
        actor: dict[str, Any],
        occurred_at: datetime,
        set_id: str,
        set_version: int,
        code: str,
        unit_id: str,
        reasons: str,
    ) -> None:
        self.tenant = tenant
        self.set_id = set_id
        self.set_version = set_version
        self.code = code
        self.unit_id = unit_id
        self.reasons = reasons
        self.answer: dict[str, Any] | None = None

    @classmethod
    def raise_flag(
        cls,
        *,
        criteria: CriteriaSet,
        actor: dict[str, Any],
        occurred_at: datetime,
        unit_id: str,
        code: str,
        reasons: str,
    ) -> CriterionFlag:
        criteria.content.node(code)
        return cls._create(
            cls.Raised,
            id=flag_id_for(criteria.tenant, criteria.id, unit_id, code),
            tenant=criteria.tenant,
            actor=actor,
            occurred_at=occurred_at,
            set_id=str(criteria.id),
            set_version=criteria.set_version,
            code=code,
            unit_id=unit_id,
            reasons=clean_text(reasons, "lý do chưa hợp lý"),
        )

    def respond(
        self,
        *,
        actor: dict[str, Any],
        occurred_at: datetime,
        answer: str,
        proposal_kind: str = "none",
        proposal: str = "",
    ) -> None:
        if self.answer is not None:
            raise AlreadyReplied("phản ánh này đã được trả lời")
        if proposal_kind not in PROPOSAL_KINDS:
            raise ValidationFailed("đề xuất là 'none', 'new', 'change' hoặc 'remove'")
        text = clean_text(proposal, "nội dung đề xuất", required=proposal_kind != "none")
        self._trigger(
            self.Answered,
            actor=actor,
            occurred_at=occurred_at,
            answer=clean_text(answer, "nội dung trả lời"),
            proposal_kind=proposal_kind,
            proposal=text,
        )
