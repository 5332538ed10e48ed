"""PostgreSQL unavailable: 503 with Retry-After, nothing half-written, recovery without restart."""

from __future__ import annotations

import time
from collections.abc import Iterator
from urllib.parse import urlparse

import psycopg
import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from assessment.application.service import AssessmentApplication
from assessment.bootstrap import build_application
from assessment.entrypoints.api.app import create_app
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


def test_outage_gives_503_then_recovers(
    app: AssessmentApplication, pg_url: str, pg_admin_url: str
) -> None:
    client = TestClient(create_app(app, verifier=TEST_ISSUER.verifier()))
    ok = client.post(
        "/v1/units", json={"code": "A", "name": "Đơn vị A", "kind": "department"}, headers=headers()
    )
    assert ok.status_code == 201
    name = urlparse(pg_url).path.lstrip("/")
    with psycopg.connect(pg_admin_url, autocommit=True) as admin:
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        )
    try:
        down = client.post(
            "/v1/units",
            json={"code": "B", "name": "Đơn vị B", "kind": "department"},
            headers=headers(),
        )
        assert down.status_code == 503, down.text
        assert down.headers["content-type"].startswith("application/problem+json")
        assert down.json()["code"] == "service.unavailable"
        assert int(down.headers["retry-after"]) > 0
    finally:
        with psycopg.connect(pg_admin_url, autocommit=True) as admin:
            admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
    # recovery without restart, in seconds: while the store's circuit cools down (≤ 3 s) the
    # answer is still a fast 503, never a hang or a 500
    deadline = time.monotonic() + 15
    while True:
        again = client.post(
            "/v1/units",
            json={"code": "B", "name": "Đơn vị B", "kind": "department"},
            headers=headers(),
        )
        if again.status_code != 503 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert again.status_code == 201, again.text
    assert app.recorder.max_notification_id() is not None
    events = app.recorder.select_notifications(start=1, limit=10)
    assert [n.topic for n in events] == ["assessment.Unit.Registered"] * 2
