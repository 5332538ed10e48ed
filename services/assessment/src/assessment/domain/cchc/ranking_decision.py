"""The ``CchcRanking`` aggregate: a block's ranking for a year, decided, then published.

The decision (number, date, signer) freezes the table computed from the council-confirmed
scores of every unit of the block, on one set version; publication follows on the schedule the
tenant sets (not before the scheduled moment). A year without a survey is declared here
(``survey_held=False``): the appraised part is then rescaled to 100.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any
from uuid import UUID

from assessment.domain.cchc.criteria_set import CriteriaSet
from assessment.domain.cchc.errors import ScoringClosed, ScoringOrder
from assessment.domain.cchc.index import compute_index
from assessment.domain.cchc.ranking import RankedRow, rank
from assessment.domain.cchc.scoring import CchcScoring
from assessment.domain.cchc.self_scoring import instant
from assessment.domain.cchc.status import Status
from assessment.domain.cchc.values import block_code, clean_text, fmt
from assessment.domain.kernel.base import TenantAggregate
from assessment.domain.kernel.errors import ValidationFailed

RANKING_NAMESPACE = uuid.UUID("3f8a6b2c-1d4e-5f70-9a8b-7c6d5e4f3a2b")


def ranking_id_for(tenant: str, year: int, block: str) -> UUID:
    return uuid.uuid5(RANKING_NAMESPACE, f"{tenant}/{year}/{block}")


def row_to_dict(row: RankedRow) -> dict[str, Any]:
    r = row.result
    return {
        "unit_id": r.unit_id,
        "name": r.name,
        "rank": row.rank,
        "index": fmt(row.published_index),
        "band": row.band.code if row.band else None,
        "band_label": row.band.label if row.band else None,
        "tied_with": list(row.tied_with),
        "separated_by": row.separated_by,
        "appraised_points": fmt(r.appraised_points),
        "appraised_max": fmt(r.appraised_max),
        "survey_points": fmt(r.survey_points),
        "survey_max": fmt(r.survey_max),
        "bonus": fmt(r.bonus),
        "penalty": fmt(r.penalty),
        "self_points": fmt(r.self_points),
        "rescaled": r.rescaled,
        "fields": {k: None if v is None else fmt(v) for k, v in r.field_indices.items()},
    }


class CchcRanking(TenantAggregate):
    TOPIC = "assessment.CchcRanking"

    class Event(TenantAggregate.Event):
        TOPIC = "assessment.CchcRanking.Event"

    class Decided(Event, TenantAggregate.Created):
        TOPIC = "assessment.CchcRanking.Decided"
        year: int
        block: str
        set_id: str
        set_version: int
        survey_held: bool
        rows: list[dict[str, Any]]
        decision_number: str
        decision_date: str
        signer: str

    class PublicationScheduled(Event):
        TOPIC = "assessment.CchcRanking.PublicationScheduled"
        publish_at: str

        def apply(self, aggregate: Any) -> None:
            aggregate.publish_at = self.publish_at

    class Published(Event):
        TOPIC = "assessment.CchcRanking.Published"

        def apply(self, aggregate: Any) -> None:
            aggregate.published_at = self.occurred_at.isoformat()

    def __init__(
        self,
        tenant: str,
        actor: dict[str, Any],
        occurred_at: datetime,
        year: int,
        block: str,
        set_id: str,
        set_version: int,
        survey_held: bool,
        rows: list[dict[str, Any]],
        decision_number: str,
        decision_date: str,
        signer: str,
    ) -> None:
        self.tenant = tenant
        self.year = year
        self.block = block
        self.set_id = set_id
        self.set_version = set_version
        self.survey_held = survey_held
        self.rows = rows
        self.decision = {
            "number": decision_number,
            "date": decision_date,
            "signer": signer,
            "by": actor,
            "at": occurred_at.isoformat(),
        }
        self.publish_at: str | None = None
        self.published_at: str | None = None

    @classmethod
    def decide(
        cls,
        *,
        criteria: CriteriaSet,
        scorings: list[tuple[CchcScoring, str]],
        actor: dict[str, Any],
        occurred_at: datetime,
        year: int,
        survey_held: bool,
        decision_number: str,
        decision_date: str,
        signer: str,
    ) -> CchcRanking:
        """Rank the block from its units' confirmed scores (``scorings``: scoring, unit name)."""
        if not scorings:
            raise ValidationFailed("khối chưa có đơn vị nào để xếp hạng")
        content = criteria.content
        results = []
        for scoring, name in scorings:
            if scoring.set_id != str(criteria.id) or scoring.year != year:
                raise ValidationFailed(f"'{name}' không chấm theo bộ tiêu chí năm {year} này")
            if scoring.status != Status.CONFIRMED:
                raise ScoringOrder(f"kết quả của '{name}' chưa được hội đồng xác nhận")
            result = compute_index(content, scoring.unit_scores(name), survey_held=survey_held)
            if result.missing:
                raise ScoringOrder(f"'{name}' còn thiếu điểm: {', '.join(result.missing)}")
            results.append(result)
        try:
            day = date.fromisoformat(decision_date)
        except (TypeError, ValueError):
            raise ValidationFailed("ngày quyết định phải là YYYY-MM-DD") from None
        return cls._create(
            cls.Decided,
            id=ranking_id_for(criteria.tenant, year, block_code(criteria.block)),
            tenant=criteria.tenant,
            actor=actor,
            occurred_at=occurred_at,
            year=year,
            block=criteria.block,
            set_id=str(criteria.id),
            set_version=criteria.set_version,
            survey_held=survey_held,
            rows=[row_to_dict(r) for r in rank(content, results)],
            decision_number=clean_text(decision_number, "số quyết định"),
            decision_date=day.isoformat(),
            signer=clean_text(signer, "người ký"),
        )

    def schedule_publication(
        self, *, actor: dict[str, Any], occurred_at: datetime, publish_at: str
    ) -> None:
        if self.published_at is not None:
            raise ScoringClosed("bảng xếp hạng đã công bố")
        moment = instant(publish_at, "thời điểm công bố")
        self._trigger(
            self.PublicationScheduled,
            actor=actor,
            occurred_at=occurred_at,
            publish_at=moment.isoformat(),
        )

    def publish(self, *, actor: dict[str, Any], occurred_at: datetime) -> None:
        if self.published_at is not None:
            raise ScoringClosed("bảng xếp hạng đã công bố")
        if self.publish_at is not None and occurred_at < datetime.fromisoformat(self.publish_at):
            raise ScoringOrder(f"chưa đến thời điểm công bố theo lịch ({self.publish_at})")
        self._trigger(self.Published, actor=actor, occurred_at=occurred_at)
