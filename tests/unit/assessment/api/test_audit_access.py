"""Audit routes: under the permission matrix, bounded at the schema, the public key served
by an API that does not hold the private key (compose layout)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assessment.bootstrap import build_application, build_sealer, load_or_create_signing_key
from assessment.entrypoints.api.app import create_app
from helpers import TEST_ISSUER, headers
from shared.audit import public_key_pem
from shared.settings import AssessmentSettings


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    signer = load_or_create_signing_key(tmp_path / "audit.pem", create=True)
    pub = tmp_path / "audit.pub.pem"
    pub.write_text(public_key_pem(signer.public_key))
    # the API's settings name only the public key, as in docker-compose.yml
    settings = AssessmentSettings(sqlite_path=tmp_path / "a.sqlite", audit_public_key_file=pub)
    app = build_application(settings)
    api = create_app(app, verifier=TEST_ISSUER.verifier())
    api.state.sealer = build_sealer(app, settings)
    api.state.expected_key_id = signer.key_id
    yield TestClient(api)
    api.state.sealer.db.close()
    app.close()


def test_checkpoint_positions_are_bounded_at_the_schema(client: TestClient) -> None:
    resp = client.get(f"/v1/audit/checkpoints?after={2**63}", headers=headers(role="auditor"))
    assert resp.status_code == 422, resp.text
    assert resp.json()["code"] == "request.invalid"
    big = client.get("/v1/audit/checkpoints?after=99999999999999999999999", headers=headers())
    assert big.status_code == 422


def test_audit_routes_follow_the_permission_matrix(client: TestClient) -> None:
    for role in ("unit_officer", "chairman", "sector_reviewer"):
        resp = client.get("/v1/audit/checkpoints", headers=headers(role=role))
        assert resp.status_code == 403 and resp.json()["code"] == "auth.forbidden"
        assert client.get("/v1/audit/public-key", headers=headers(role=role)).status_code == 403
    ok = client.get("/v1/audit/checkpoints", headers=headers(role="auditor"))
    assert ok.status_code == 200 and set(ok.json()) == {"items"}


def test_the_public_key_is_served_without_the_private_key(client: TestClient) -> None:
    resp = client.get("/v1/audit/public-key", headers=headers(role="auditor"))
    assert resp.status_code == 200, resp.text
    assert resp.json()["key_id"] == client.app.state.expected_key_id  # type: ignore[attr-defined]
    assert client.app.state.sealer.signer is None  # type: ignore[attr-defined]
