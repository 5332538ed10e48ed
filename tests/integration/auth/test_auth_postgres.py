"""Token attacks and the all-routes tenant walk against the real store (PostgreSQL)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from assessment.application.service import AssessmentApplication
from assessment.bootstrap import build_application
from assessment.entrypoints.api.app import create_app
from auth_attacks import ATTACKS, BODY
from helpers import TEST_ISSUER, headers
from shared.settings import AssessmentSettings

pytestmark = pytest.mark.integration


@pytest.fixture
def app(pg_url: str) -> Iterator[AssessmentApplication]:
    application = build_application(
        AssessmentSettings(mode="production", database_url=SecretStr(pg_url))
    )
    yield application
    application.close()


@pytest.fixture
def client(app: AssessmentApplication) -> TestClient:
    return TestClient(create_app(app, verifier=TEST_ISSUER.verifier(leeway=5)))


def test_every_token_attack_is_refused_on_postgres(
    client: TestClient, app: AssessmentApplication
) -> None:
    before = app.recorder.max_notification_id()
    for name, (value, code) in sorted(ATTACKS.items()):
        resp = client.post(
            "/v1/units", json=BODY, headers={"Authorization": value} if value else {}
        )
        assert resp.status_code == 401, (name, resp.text)
        assert resp.headers["content-type"].startswith("application/problem+json")
        assert resp.json()["code"] == code, name
    assert app.recorder.max_notification_id() == before


def test_every_route_with_an_id_answers_404_to_another_tenant(
    client: TestClient, app: AssessmentApplication
) -> None:
    unit = client.post("/v1/units", json=BODY, headers=headers()).json()
    cycle = client.post(
        "/v1/cycles",
        json={"year": 2024, "plan_reference": "KH", "unit_ids": [unit["id"]]},
        headers=headers(),
    ).json()
    values = {
        "unit_id": unit["id"],
        "cycle_id": cycle["id"],
        "aggregate_id": unit["id"],
        "assignments_id": str(uuid.uuid4()),
        "person_id": str(uuid.uuid4()),
        "sheet_id": str(uuid.uuid4()),
        "rating_id": str(uuid.uuid4()),
    }
    foreign = headers(tenant="quang-tri")
    before = app.recorder.max_notification_id()
    spec = client.get("/openapi.json").json()
    walked = 0
    for path, ops in spec["paths"].items():
        if "{" not in path:
            continue
        for method, op in ops.items():
            body = {} if "requestBody" in op else None
            # any other context's id (``{set_id}``…) gets a fresh uuid: it names nothing
            url = re.sub(r"{(\w+)}", lambda m: values.get(m.group(1), str(uuid.uuid4())), path)
            resp = client.request(method.upper(), url, json=body, headers=foreign)
            walked += 1
            # 403 only when the role may never do this (decided before any lookup, so nothing
            # of the target is read), as in tests/unit/auth/test_permissions.py
            assert resp.status_code in (404, 422) or (
                resp.status_code == 403 and resp.json()["code"] == "auth.forbidden"
            ), f"{method} {path}: {resp.status_code}"
            assert "Sở Y tế" not in resp.text
    assert walked >= 20
    assert app.recorder.max_notification_id() == before
