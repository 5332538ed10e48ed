"""Unknown roles are refused on every service's routes, reporting and audit included
(a made-up role got 200 from the reporting board and ``/v1/audit/checkpoints``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assessment.application.kernel.permissions import ROLES
from assessment.bootstrap import build_application, build_sealer
from assessment.entrypoints.api.app import create_app
from helpers import TEST_ISSUER
from reporting.bootstrap import build_database
from reporting.entrypoints.api.app import create_app as create_reporting_app
from shared.auth import KNOWN_ROLES
from shared.settings import AssessmentSettings, ReportingSettings

CYCLE = "00000000-0000-0000-0000-000000000001"


def _auth(role: str) -> dict[str, str]:
    tok = TEST_ISSUER.mint(subject="x", tenant="dong-nai", role=role, unit="SNV")
    return {"Authorization": f"Bearer {tok}"}


def test_every_matrix_role_is_a_known_role() -> None:
    assert set(ROLES) <= KNOWN_ROLES


@pytest.fixture
def assessment(tmp_path: Path) -> Iterator[TestClient]:
    settings = AssessmentSettings(sqlite_path=tmp_path / "a.sqlite")
    app = build_application(settings)
    api = create_app(app, verifier=TEST_ISSUER.verifier())
    api.state.sealer = build_sealer(app, settings)
    yield TestClient(api)
    api.state.sealer.db.close()
    app.close()


@pytest.fixture
def reporting(tmp_path: Path) -> Iterator[TestClient]:
    db = build_database(ReportingSettings(sqlite_path=tmp_path / "r.sqlite"))
    yield TestClient(create_reporting_app(db, verifier=TEST_ISSUER.verifier()))
    db.close()


@pytest.mark.parametrize(
    "path",
    [f"/v1/audit/aggregates/{CYCLE}/history", "/v1/audit/checkpoints", "/v1/audit/public-key"],
)
def test_assessment_refuses_an_unknown_role(assessment: TestClient, path: str) -> None:
    resp = assessment.get(path, headers=_auth("mayor"))
    assert resp.status_code == 403, resp.text
    assert resp.json()["code"] == "auth.unknown_role"


@pytest.mark.parametrize(
    "path",
    [
        "/v1/reports/cycles",
        f"/v1/reports/cycles/{CYCLE}/board",
        f"/v1/reports/units/{CYCLE}/history",
    ],
)
def test_reporting_refuses_an_unknown_role(reporting: TestClient, path: str) -> None:
    resp = reporting.get(path, headers=_auth("mayor"))
    assert resp.status_code == 403, resp.text
    assert resp.json()["code"] == "auth.unknown_role"
    assert reporting.get(path, headers=_auth("auditor")).status_code in (200, 404)
