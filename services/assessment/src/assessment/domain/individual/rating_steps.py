"""The steps of a rating beside its main line: the previous agency's opinion after a transfer
(NĐ 90/2020 [R9]); written notice to the person and publication inside the agency (NĐ 90/2020
Điều 22 [R14]; NĐ 335 [R35]); the redo of a rating found improper (seed 002), refused under
Decree 48 for results finalised before 15/09/2023 [R15].

A mixin of ``IndividualRating`` (methods only; the events are the aggregate's).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from assessment.domain.individual.errors import (
    FinalisedBeforeDecree48,
    InvalidInput,
    ReasonRequired,
    StepAlreadyDone,
    StepOutOfOrder,
)
from assessment.domain.individual.rules import decree_90_48
from assessment.domain.individual.values import parse_day, parse_level, text


class SideSteps:
    decision: dict[str, Any] | None
    notice: dict[str, Any] | None
    publication: dict[str, Any] | None
    finalised_on: str | None
    previous_agencies: list[str]
    previous_opinions: dict[str, dict[str, Any]]
    findings_acknowledged: dict[str, dict[str, Any]]

    if TYPE_CHECKING:
        Notified: Any
        Published: Any
        Redone: Any
        PreviousAgencyOpinionRecorded: Any
        FindingsAcknowledged: Any

        def _require_undecided(self) -> None: ...

        def _trigger(
            self, event_class: Any, *, actor: dict[str, Any], occurred_at: datetime, **kw: Any
        ) -> None: ...

    def record_previous_opinion(
        self,
        *,
        actor: dict[str, Any],
        occurred_at: datetime,
        agency_id: str,
        opinion: str,
        proposed_level: str | None = None,
        agency_dissolved: bool = False,
    ) -> None:
        self._require_undecided()
        if agency_id not in self.previous_agencies:
            raise InvalidInput(f"cơ quan '{agency_id}' không phải cơ quan cũ cần lấy ý kiến")
        self._trigger(
            self.PreviousAgencyOpinionRecorded,
            actor=actor,
            occurred_at=occurred_at,
            agency_id=agency_id,
            opinion=text(opinion, "ý kiến", required=not agency_dissolved),
            proposed_level=parse_level(proposed_level).value if proposed_level else None,
            agency_dissolved=agency_dissolved,
        )

    def notify(
        self, *, actor: dict[str, Any], occurred_at: datetime, notified_on: str, channel: str
    ) -> None:
        if self.decision is None:
            raise StepOutOfOrder("chưa có quyết định xếp loại để thông báo")
        if self.notice is not None:
            raise StepAlreadyDone("đã thông báo bằng văn bản cho người được đánh giá")
        self._trigger(
            self.Notified,
            actor=actor,
            occurred_at=occurred_at,
            notified_on=parse_day(notified_on, "ngày thông báo").isoformat(),
            channel=text(channel, "hình thức thông báo", limit=100),
        )

    def publish(
        self, *, actor: dict[str, Any], occurred_at: datetime, published_on: str, channel: str
    ) -> None:
        if self.decision is None:
            raise StepOutOfOrder("chưa có quyết định xếp loại để công khai")
        if self.publication is not None:
            raise StepAlreadyDone("kết quả đã được công khai trong cơ quan")
        self._trigger(
            self.Published,
            actor=actor,
            occurred_at=occurred_at,
            published_on=parse_day(published_on, "ngày công khai").isoformat(),
            channel=text(channel, "hình thức công khai", limit=100),
        )

    def redo(
        self, *, actor: dict[str, Any], occurred_at: datetime, reason: str, basis: str
    ) -> None:
        """Seed 002: a rating found improper is redone; the earlier one stays in history."""
        if self.decision is None:
            raise StepOutOfOrder("chưa có quyết định xếp loại để đánh giá lại")
        if not (reason or "").strip():
            raise ReasonRequired("đánh giá lại phải nêu lý do (xếp loại chưa đúng quy định)")
        basis = text(basis, "căn cứ", limit=100)
        if (
            basis == decree_90_48.CODE
            and self.finalised_on is not None
            and date.fromisoformat(self.finalised_on) < decree_90_48.AMENDMENT_EFFECTIVE
        ):
            raise FinalisedBeforeDecree48(
                f"kết quả đã hoàn thành ngày {self.finalised_on}, trước 15/09/2023 [R15]"
            )
        self._trigger(
            self.Redone,
            actor=actor,
            occurred_at=occurred_at,
            reason=text(reason, "lý do"),
            basis=basis,
        )

    def acknowledge_findings(
        self,
        *,
        actor: dict[str, Any],
        occurred_at: datetime,
        inspection_id: str,
        decision_number: str,
        findings: list[dict[str, Any]],
        note: str = "",
    ) -> None:
        """The rater acknowledges an inspection's findings on the person (seed 003: findings
        feed the rating); each finding once."""
        new = [f for f in findings if f["finding_id"] not in self.findings_acknowledged]
        if not findings:
            raise InvalidInput("cuộc kiểm tra không có phát hiện nào về người này")
        if not new:
            raise StepAlreadyDone("các phát hiện của cuộc kiểm tra này đã được ghi nhận")
        self._trigger(
            self.FindingsAcknowledged,
            actor=actor,
            occurred_at=occurred_at,
            inspection_id=inspection_id,
            decision_number=text(decision_number, "số quyết định kiểm tra", limit=100),
            findings=new,
            note=text(note, "ghi chú", limit=2000) if note.strip() else "",
        )
