"""Token attacks: each gets 401 problem+json with its own code and stores nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import jwt
import pytest
from fastapi.testclient import TestClient

from assessment.application.service import AssessmentApplication
from assessment.bootstrap import build_application
from assessment.entrypoints.api.app import create_app
from auth_attacks import ATTACKS, BODY
from helpers import TEST_ISSUER, token
from shared.auth import DevIssuer
from shared.settings import AssessmentSettings


@pytest.fixture
def app(tmp_path: Path) -> Iterator[AssessmentApplication]:
    application = build_application(AssessmentSettings(sqlite_path=tmp_path / "a.sqlite"))
    yield application
    application.close()


@pytest.fixture
def client(app: AssessmentApplication) -> TestClient:
    return TestClient(create_app(app, verifier=TEST_ISSUER.verifier(leeway=5)))


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_token_attack_is_refused_and_changes_nothing(
    name: str, client: TestClient, app: AssessmentApplication
) -> None:
    value, code = ATTACKS[name]
    hdrs = {"Authorization": value} if value else {}
    before = app.recorder.max_notification_id()
    resp = client.post("/v1/units", json=BODY, headers=hdrs)
    assert resp.status_code == 401, resp.text
    assert resp.headers["content-type"].startswith("application/problem+json")
    assert resp.json()["code"] == code
    assert "Bearer" in resp.headers.get("www-authenticate", "")
    assert app.recorder.max_notification_id() == before


def test_a_token_signed_by_another_key_with_its_own_kid_is_refused(client: TestClient) -> None:
    other = DevIssuer.generate()
    resp = client.post(
        "/v1/units",
        json=BODY,
        headers={
            "Authorization": "Bearer "
            + other.mint(subject="x", tenant="dong-nai", role="home_affairs")
        },
    )
    assert resp.status_code == 401 and resp.json()["code"] == "auth.invalid_token"


def test_a_good_token_is_accepted(client: TestClient) -> None:
    resp = client.post("/v1/units", json=BODY, headers={"Authorization": f"Bearer {token()}"})
    assert resp.status_code == 201
    assert jwt.get_unverified_header(token())["alg"] == "ES256"
