"""The ``CriteriaSet`` aggregate: one version of a tenant's criteria for a year and a unit group.

Drafted → (Revised)* → Published; once published it never changes (``cchc.set_published``): a
change is a new version (``draft_next``), which names the version it supersedes and the
feedback flags that prompted it. A year's scores name the set version they used.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any
from uuid import UUID

from assessment.domain.cchc.errors import SetPublished
from assessment.domain.cchc.tree import SetContent
from assessment.domain.cchc.values import block_code, clean_text
from assessment.domain.kernel.base import TenantAggregate
from assessment.domain.kernel.errors import ValidationFailed

_PARSED: dict[tuple[UUID, int], SetContent] = {}
_PARSED_LIMIT = 256
CRITERIA_SET_NAMESPACE = uuid.UUID("0c1c4a5e-7d3b-5e21-9a8f-3b2c1d0e4f5a")


def criteria_set_id_for(tenant: str, year: int, block: str, version: int) -> UUID:
    return uuid.uuid5(CRITERIA_SET_NAMESPACE, f"{tenant}/{year}/{block}/{version}")


def _year(year: int) -> int:
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationFailed("năm áp dụng phải trong khoảng 2000–2100")
    return year


class CriteriaSet(TenantAggregate):
    TOPIC = "assessment.CriteriaSet"

    class Event(TenantAggregate.Event):
        TOPIC = "assessment.CriteriaSet.Event"

    class Drafted(Event, TenantAggregate.Created):
        TOPIC = "assessment.CriteriaSet.Drafted"
        year: int
        block: str
        set_version: int
        title: str
        content: dict[str, Any]
        supersedes: str | None
        prompted_by_flags: list[str]

    class Revised(Event):
        TOPIC = "assessment.CriteriaSet.Revised"
        title: str
        content: dict[str, Any]
        reason: str

        def apply(self, aggregate: Any) -> None:
            aggregate.title = self.title
            aggregate.content_data = self.content

    class Published(Event):
        TOPIC = "assessment.CriteriaSet.Published"
        decision_number: str
        decision_date: str
        signer: str

        def apply(self, aggregate: Any) -> None:
            aggregate.publication = {
                "decision_number": self.decision_number,
                "decision_date": self.decision_date,
                "signer": self.signer,
                "published_at": self.occurred_at.isoformat(),
                "by": self.actor,
            }

    def __init__(
        self,
        tenant: str,
        actor: dict[str, Any],
        occurred_at: datetime,
        year: int,
        block: str,
        set_version: int,
        title: str,
        content: dict[str, Any],
        supersedes: str | None,
        prompted_by_flags: list[str],
    ) -> None:
        self.tenant = tenant
        self.year = year
        self.block = block
        self.set_version = set_version
        self.title = title
        self.content_data = content
        self.supersedes = supersedes
        self.prompted_by_flags = list(prompted_by_flags)
        self.publication: dict[str, Any] | None = None

    # ------------------------------------------------------------ commands
    @classmethod
    def draft(
        cls,
        *,
        tenant: str,
        actor: dict[str, Any],
        occurred_at: datetime,
        year: int,
        block: str,
        title: str,
        content: dict[str, Any],
        set_version: int = 1,
        supersedes: UUID | None = None,
        prompted_by_flags: list[str] | None = None,
    ) -> CriteriaSet:
        block = block_code(block)
        checked = SetContent.from_dict(content)  # raises on any problem: nothing is stored
        if set_version < 1:
            raise ValidationFailed("phiên bản bắt đầu từ 1")
        return cls._create(
            cls.Drafted,
            id=criteria_set_id_for(tenant, _year(year), block, set_version),
            tenant=tenant,
            actor=actor,
            occurred_at=occurred_at,
            year=year,
            block=block,
            set_version=set_version,
            title=clean_text(title, "tên bộ tiêu chí"),
            content=checked.to_dict(),
            supersedes=str(supersedes) if supersedes else None,
            prompted_by_flags=sorted(set(prompted_by_flags or [])),
        )

    @classmethod
    def draft_next(
        cls,
        previous: CriteriaSet,
        *,
        actor: dict[str, Any],
        occurred_at: datetime,
        content: dict[str, Any],
        title: str | None = None,
        year: int | None = None,
        prompted_by_flags: list[str] | None = None,
    ) -> CriteriaSet:
        """A new version after ``previous``; it may apply to a later year."""
        return cls.draft(
            tenant=previous.tenant,
            actor=actor,
            occurred_at=occurred_at,
            year=previous.year if year is None else year,
            block=previous.block,
            title=title or previous.title,
            content=content,
            set_version=previous.set_version + 1,
            supersedes=previous.id,
            prompted_by_flags=prompted_by_flags,
        )

    def revise(
        self,
        *,
        actor: dict[str, Any],
        occurred_at: datetime,
        content: dict[str, Any],
        reason: str,
        title: str | None = None,
    ) -> None:
        self._refuse_if_published()
        checked = SetContent.from_dict(content)
        self._trigger(
            self.Revised,
            actor=actor,
            occurred_at=occurred_at,
            title=clean_text(title or self.title, "tên bộ tiêu chí"),
            content=checked.to_dict(),
            reason=clean_text(reason, "lý do sửa"),
        )

    def publish(
        self,
        *,
        actor: dict[str, Any],
        occurred_at: datetime,
        decision_number: str,
        decision_date: str,
        signer: str,
    ) -> None:
        self._refuse_if_published()
        try:
            day = date.fromisoformat(decision_date)
        except (TypeError, ValueError):
            raise ValidationFailed("ngày quyết định phải là YYYY-MM-DD") from None
        self._trigger(
            self.Published,
            actor=actor,
            occurred_at=occurred_at,
            decision_number=clean_text(decision_number, "số quyết định"),
            decision_date=day.isoformat(),
            signer=clean_text(signer, "người ký"),
        )

    # ------------------------------------------------------------ queries
    @property
    def is_published(self) -> bool:
        return self.publication is not None

    @property
    def content(self) -> SetContent:
        """The parsed tree, cached per aggregate version outside the aggregate's state (so
        snapshots hold only the plain ``content_data``)."""
        key = (self.id, self.version)
        cached = _PARSED.get(key)
        if cached is None:
            if len(_PARSED) >= _PARSED_LIMIT:
                _PARSED.clear()
            cached = _PARSED[key] = SetContent.from_dict(self.content_data)
        return cached

    def _refuse_if_published(self) -> None:
        if self.publication is not None:
            raise SetPublished(
                f"bộ tiêu chí phiên bản {self.set_version} đã công bố theo "
                f"{self.publication['decision_number']}; hãy tạo phiên bản mới"
            )
