"""The individual batch commands on the in-memory store (one look-up per id: the path of stores
without ``events_of``): each bad batch stores nothing, each retried batch nothing twice."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

import individual_batch_steps as steps
from assessment.application.service import AssessmentApplication
from assessment.domain.individual.person import Person, person_id_for
from assessment.domain.individual.sheet import ScoreSheet
from helpers import MutableClock


@pytest.fixture
def app() -> Iterator[AssessmentApplication]:
    clock = MutableClock(datetime(2026, 12, 1, 2, 0, tzinfo=UTC))
    application = AssessmentApplication(
        env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock=clock
    )
    yield application
    application.close()


def test_a_year_of_batches_each_all_or_nothing_and_idempotent(app: AssessmentApplication) -> None:
    assert not hasattr(app.recorder, "events_of")
    steps.whole_year(app)


def test_load_many_answers_only_the_tenants_aggregates_of_the_kind(
    app: AssessmentApplication,
) -> None:
    steps.agency(app)
    mine = [person_id_for(steps.T, c) for c in steps.STAFF[:3]]
    other_tenant = person_id_for("binh-duong", "CV0")
    unit = app.load_many(Person, [], steps.T)
    assert unit == {}
    found = app.load_many(Person, [*mine, uuid.uuid4(), other_tenant, mine[0]], steps.T)
    assert set(found) == set(mine)
    assert all(found[i].code == c for i, c in zip(mine, steps.STAFF, strict=False))
    assert app.load_many(ScoreSheet, mine, steps.T) == {}  # people are not sheets
    assert app.load_many(Person, mine, "binh-duong") == {}  # nor another tenant's


def test_approved_totals_follow_reopenings(app: AssessmentApplication) -> None:
    steps.agency(app)
    steps.import_sheets_in_batches(app)
    steps.approved_totals_follow_reopenings(app)
