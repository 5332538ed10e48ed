"""Which of many aggregates exist, in one query on PostgreSQL: exactly those with events."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from pydantic import SecretStr

from assessment.application.service import AssessmentApplication
from assessment.bootstrap import build_application
from assessment.domain.registry.unit import Unit
from shared.settings import AssessmentSettings

pytestmark = pytest.mark.integration
ACTOR = {"subject": "loader", "role": "home_affairs", "acting_for": "SNV"}


@pytest.fixture
def app(pg_url: str) -> Iterator[AssessmentApplication]:
    application = build_application(
        AssessmentSettings(mode="production", database_url=SecretStr(pg_url))
    )
    yield application
    application.close()


def test_existing_answers_exactly_the_stored_ids_in_one_query(app: AssessmentApplication) -> None:
    assert hasattr(app.recorder, "existing_ids")  # the PostgreSQL path, not one look-up per id
    units = [
        Unit.register(
            tenant="dong-nai",
            actor=ACTOR,
            occurred_at=datetime.now(UTC),
            code=f"U{i:03d}",
            name=f"Đơn vị {i}",
            kind="department",
            parent_id=None,
        )
        for i in range(30)
    ]
    app.save(*units)
    stored = [u.id for u in units]
    absent = [uuid.uuid4() for _ in range(20)]
    asked = [x for pair in zip(stored[:20], absent, strict=True) for x in pair] + stored[20:]
    assert app.existing(asked) == set(stored)
    assert app.existing(absent) == set()
    assert app.existing([]) == set()
    assert app.existing(asked) == {i for i in asked if app.exists(i)}
