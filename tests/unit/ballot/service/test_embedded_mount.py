"""``include_ballot`` on the embedded one-process app, exactly as its owner will wire it."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from ballot.bootstrap import build_ballot
from ballot.config import BallotSettings
from ballot.entrypoints.api.app import include_ballot
from ballot.harness import PREFIX
from embedded.app import create_embedded_app
from helpers import TEST_ISSUER, headers


def test_ballot_routes_mount_on_the_embedded_app(tmp_path: Path) -> None:
    app = create_embedded_app(tmp_path, demo=False, issuer=TEST_ISSUER)
    include_ballot(app)
    module = build_ballot(
        BallotSettings(
            mode="embedded",
            sqlite_path=tmp_path / "ballot.sqlite",
            board_key_file=tmp_path / "keys" / "ballot-board-key.pem",
        )
    )
    try:
        with TestClient(app) as client:
            app.state.ballot = module  # what the embedded lifespan will do
            assert client.get("/v1/ballot/health").json()["status"] == "ok"
            r = client.get(f"{PREFIX}/nope")
            assert r.status_code == 404 and r.json()["code"] == "ballot.election_not_found"
            assert r.headers["content-type"].startswith("application/problem+json")
            assert "x-request-id" in r.headers
            r = client.get(PREFIX, headers=headers(role="ballot_organiser"))
            assert r.status_code == 200 and r.json() == []
            paths = client.get("/openapi.json").json()["paths"]
            assert f"{PREFIX}/{{election_id}}/ballots" in paths and "/v1/units" in paths
    finally:
        module.close()
