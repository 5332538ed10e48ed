"""The inspection flow through the HTTP API on the embedded store (SQLite, no servers)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assessment.application.service import AssessmentApplication
from assessment.bootstrap import build_application
from assessment.entrypoints.api.app import create_app
from helpers import TEST_ISSUER, MutableClock
from inspection_flow import Flow
from shared.settings import AssessmentSettings


@pytest.fixture
def app(tmp_path: Path, clock: MutableClock) -> Iterator[AssessmentApplication]:
    application = build_application(
        AssessmentSettings(mode="embedded", sqlite_path=tmp_path / "a.sqlite"), clock=clock
    )
    yield application
    application.close()


def test_an_inspection_end_to_end_on_the_embedded_store(
    app: AssessmentApplication, clock: MutableClock, tmp_path: Path
) -> None:
    api = TestClient(create_app(app, verifier=TEST_ISSUER.verifier()))
    result = Flow(api, clock, tmp_path).run()
    assert result["items"] > 1000
