"""Every event of the individual context: nested in its aggregate, past tense, an explicit
TOPIC ``assessment.<Aggregate>.<Event>``, tenant + actor + business time; and every one survives
the store's transcoder (saved and reloaded through an eventsourcing application in memory)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from eventsourcing.application import Application

from assessment.domain.individual.access import PersonFileLog
from assessment.domain.individual.person import Person
from assessment.domain.individual.quota import ExcellentQuota
from assessment.domain.individual.rating import IndividualRating
from assessment.domain.individual.rules.decree_90_48 import Decree90
from assessment.domain.individual.sheet import ScoreSheet
from assessment.domain.individual.tenant_settings import RatingSettings
from assessment.domain.kernel.base import TenantAggregate
from builders import at
from individual_builders import (
    HEAD_ACTOR,
    SETTINGS,
    TCCB_ACTOR,
    TENANT,
    decide,
    facts,
    open_rating,
    person,
    walk_to_proposal,
)

AGGREGATES = (Person, ScoreSheet, ExcellentQuota, IndividualRating, PersonFileLog, RatingSettings)
PAST = re.compile(r"^(Redone|[A-Z][A-Za-z]*(ed|Found))$")
ABSTRACT = {"Event", "StepRecorded", "Created"}


def events_of(aggregate: type[TenantAggregate]) -> list[type]:
    return [
        v
        for k, v in vars(aggregate).items()
        if isinstance(v, type) and issubclass(v, TenantAggregate.Event) and k not in ABSTRACT
    ]


@pytest.mark.parametrize("aggregate", AGGREGATES, ids=lambda a: a.__name__)
def test_events_nested_past_tense_with_explicit_topic(aggregate: type[TenantAggregate]) -> None:
    found = events_of(aggregate)
    assert found
    for event in found:
        name = event.__name__
        assert event.__qualname__ == f"{aggregate.__name__}.{name}"
        assert PAST.match(name), name
        assert f"assessment.{aggregate.__name__}.{name}" == event.TOPIC  # type: ignore[attr-defined]
        hints = {k for c in event.__mro__ for k in getattr(c, "__annotations__", {})}
        assert {"tenant", "actor", "occurred_at"} <= hints


def test_every_event_round_trips_through_the_store() -> None:
    app: Application[object] = Application()
    p = person()
    p.transfer(
        actor=HEAD_ACTOR,
        occurred_at=at("2024-07-01T00:00Z"),
        effective_date="2024-07-01",
        agency_id="STC",
        position="deputy",
        job_position="PTP",
        task_group="lanh_dao",
        decision_number="QĐ 1",
    )
    p.record_absence(
        actor=HEAD_ACTOR,
        occurred_at=at("2024-07-01T00:00Z"),
        kind="sick",
        start="2024-08-01",
        end="2024-08-10",
    )
    p.record_discipline(
        actor=HEAD_ACTOR,
        occurred_at=at("2024-07-01T00:00Z"),
        violation_id="V",
        track="party",
        form="khien_trach",
        decided_on="2024-06-01",
        decision_number="KL 1",
    )
    sheet = ScoreSheet.open(
        tenant=TENANT,
        actor=HEAD_ACTOR,
        occurred_at=at("2026-02-01T00:00Z"),
        person_id=p.id,
        agency_id="STC",
        year=2026,
        period_kind="quarter",
        period=1,
        leader=True,
        products=[{"code": "A", "assigned": "2", "completed": 1, "delays": 1}],
    )
    sheet.confirm_objective_cause(
        actor=HEAD_ACTOR,
        occurred_at=at("2026-02-01T00:00Z"),
        product_code="A",
        kind="delay",
        count=1,
        reason="Mưa bão",
        reference="CV 2",
    )
    sheet.score_general(
        actor=HEAD_ACTOR, occurred_at=at("2026-02-01T00:00Z"), points="27.5", by_self=False
    )
    sheet.approve(
        actor=HEAD_ACTOR,
        occurred_at=at("2026-02-02T00:00Z"),
        settings=SETTINGS,
        subordinates_all_completed=False,
    )
    quota = ExcellentQuota.open(
        tenant=TENANT,
        actor=HEAD_ACTOR,
        occurred_at=at("2024-12-01T00:00Z"),
        agency_id="SNN",
        task_group="cv",
        year=2024,
    )
    quota.record(
        actor=HEAD_ACTOR,
        occurred_at=at("2024-12-01T00:00Z"),
        entries={str(i): "hoan_thanh_tot" for i in range(5)},
        settings=SETTINGS,
        source="x",
    )
    quota.decide_override(
        actor=HEAD_ACTOR,
        occurred_at=at("2024-12-01T00:00Z"),
        percent="40",
        decision_number="QĐ 3",
        decided_on="2024-12-01",
        reason="Nổi trội",
        settings=SETTINGS,
    )
    out = Decree90(amended_by_48=True).evaluate(facts(), SETTINGS)
    rating = open_rating(person("CB009"), previous=("SXD",))
    rating.record_previous_opinion(
        actor=TCCB_ACTOR,
        occurred_at=at("2024-12-01T00:00Z"),
        agency_id="SXD",
        opinion="Tốt",
        proposed_level="hoan_thanh_tot",
    )
    walk_to_proposal(rating, out, "hoan_thanh_tot")
    decide(rating, out, "hoan_thanh_tot", score=Decimal("88.5"))
    rating.redo(actor=HEAD_ACTOR, occurred_at=at("2025-01-02T00:00Z"), reason="Sai", basis="x")
    app.save(p, sheet, quota, rating)
    again = app.repository.get(sheet.id)
    assert (
        again.approved_total == sheet.approved_total == Decimal("62.50")
    )  # 27.5 + 17.5 own (half done) + 17.5 unit (50 %)
    assert app.repository.get(p.id).service_time(2024).by_agency == p.service_time(2024).by_agency
    assert app.repository.get(quota.id).override_percent == Decimal(40)
    reloaded = app.repository.get(rating.id)
    assert reloaded.history == rating.history and reloaded.finalised_on == "2024-12-10"
