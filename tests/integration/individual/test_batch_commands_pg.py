"""The individual batch commands on real PostgreSQL, where a batch reads its people, ratings and
sheets in one query each (``events_of``): each bad batch stores nothing, each retried batch
nothing twice, and a batch-loaded aggregate equals the repository's."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from pydantic import SecretStr

import individual_batch_steps as steps
from assessment.application.service import AssessmentApplication
from assessment.bootstrap import build_application
from assessment.domain.individual.person import Person, person_id_for
from assessment.domain.individual.rating import IndividualRating
from assessment.domain.individual.sheet import ScoreSheet, sheet_id_for
from shared.settings import AssessmentSettings

pytestmark = pytest.mark.integration


@pytest.fixture
def app(pg_url: str) -> Iterator[AssessmentApplication]:
    application = build_application(
        AssessmentSettings(mode="production", database_url=SecretStr(pg_url))
    )
    yield application
    application.close()


def test_a_year_of_batches_on_postgresql(app: AssessmentApplication) -> None:
    assert hasattr(app.recorder, "events_of")  # the one-query path
    steps.whole_year(app)


def test_a_batch_loaded_aggregate_equals_the_repositorys(app: AssessmentApplication) -> None:
    steps.agency(app)
    steps.import_sheets_in_batches(app)
    rid = steps.open_and_round(app)
    people = [person_id_for(steps.T, c) for c in steps.STAFF]
    sheets = [sheet_id_for(p, 2026, "month", m) for p in people for m in range(1, 13)]
    for cls, ids in (
        (Person, people),
        (ScoreSheet, sheets),
        (IndividualRating, list(rid.values())),
    ):
        found = app.load_many(cls, [*ids, uuid.uuid4()], steps.T)
        assert set(found) == set(ids)
        for ident in ids:
            assert vars(found[ident]) == vars(app.repository.get(ident)), (cls, ident)
    assert app.load_many(Person, people, "binh-duong") == {}  # another tenant's: left out
    assert app.load_many(ScoreSheet, people, steps.T) == {}  # another kind: left out


def test_approved_totals_follow_reopenings(app: AssessmentApplication) -> None:
    steps.agency(app)
    steps.import_sheets_in_batches(app)
    steps.approved_totals_follow_reopenings(app)
