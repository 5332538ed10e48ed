"""Every route answers bad input with problem+json and stores nothing."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assessment.application.service import AssessmentApplication
from assessment.bootstrap import build_application
from assessment.entrypoints.api.app import create_app
from helpers import TEST_ISSUER, MutableClock, headers
from shared.settings import AssessmentSettings


@pytest.fixture
def app(tmp_path: Path, clock: MutableClock) -> Iterator[AssessmentApplication]:
    application = build_application(
        AssessmentSettings(mode="embedded", sqlite_path=tmp_path / "a.sqlite"), clock=clock
    )
    yield application
    application.close()


@pytest.fixture
def client(app: AssessmentApplication) -> TestClient:
    return TestClient(create_app(app, verifier=TEST_ISSUER.verifier()))


@pytest.fixture
def ids(client: TestClient) -> dict[str, str]:
    unit = client.post(
        "/v1/units",
        json={"code": "SNV", "name": "Sở Nội vụ", "kind": "department"},
        headers=headers(),
    ).json()
    cycle = client.post(
        "/v1/cycles",
        json={"year": 2013, "plan_reference": "KH 2013", "unit_ids": [unit["id"]]},
        headers=headers(),
    ).json()
    return {"unit_id": unit["id"], "cycle_id": cycle["id"]}


def positions(app: AssessmentApplication) -> int:
    return app.recorder.max_notification_id() or 0


def post_routes(client: TestClient) -> list[str]:
    """Every POST route that takes a body (the OpenAPI document is the list)."""
    spec = client.get("/openapi.json").json()
    return [
        path
        for path, ops in spec["paths"].items()
        if "post" in ops and "requestBody" in ops["post"]
    ]


def fill(path: str, ids: dict[str, str]) -> str:
    """Path ids by name; any other context's id (``{set_id}``…) gets the unit's id, which names
    no aggregate of that kind (a 404 where the body is valid)."""
    return re.sub(r"{(\w+)}", lambda m: ids.get(m.group(1), ids["unit_id"]), path)


def assert_problem(resp: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("application/problem+json")
    body = resp.json()
    assert {"type", "title", "status", "code"} <= set(body)
    assert body["status"] == status
    if code:
        assert body["code"] == code
    return body


def test_every_post_route_refuses_unknown_fields_and_stores_nothing(
    client: TestClient, app: AssessmentApplication, ids: dict[str, str]
) -> None:
    routes = post_routes(client)
    assert len(routes) >= 15
    before = positions(app)
    for path in routes:
        resp = client.post(fill(path, ids), json={"tenant": "quang-tri", "x": 1}, headers=headers())
        body = assert_problem(resp, 422, "request.invalid")
        assert body["errors"], path
    assert positions(app) == before


def test_every_post_route_refuses_a_non_json_body(
    client: TestClient, app: AssessmentApplication, ids: dict[str, str]
) -> None:
    before = positions(app)
    for path in post_routes(client):
        resp = client.post(
            fill(path, ids),
            content=b"\xff\x00not json",
            headers={**headers(), "content-type": "application/json"},
        )
        assert_problem(resp, 422, "request.invalid")
    assert positions(app) == before


def test_every_route_needs_an_identity(
    client: TestClient, app: AssessmentApplication, ids: dict[str, str]
) -> None:
    spec = client.get("/openapi.json").json()
    before = positions(app)
    for path, ops in spec["paths"].items():
        if path.endswith(("/health", "/health/live", "/health/ready")):
            continue
        for method in ops:
            resp = client.request(method.upper(), fill(path, ids), json={})
            assert_problem(resp, 401, "auth.missing_token")
    assert positions(app) == before


def test_unknown_ids_are_404_problems(client: TestClient, ids: dict[str, str]) -> None:
    resp = client.get(f"/v1/cycles/{uuid.uuid4()}/units/{ids['unit_id']}", headers=headers())
    assert_problem(resp, 404, "resource.not_found")
    resp = client.get("/v1/cycles/not-a-uuid", headers=headers())
    assert_problem(resp, 422, "request.invalid")
    resp = client.get("/v1/nowhere", headers=headers())
    assert_problem(resp, 404, "http.404")


def test_other_tenant_gets_404_and_changes_nothing(
    client: TestClient, app: AssessmentApplication, ids: dict[str, str]
) -> None:
    before = positions(app)
    other = headers(tenant="quang-tri")
    resp = client.post(
        f"/v1/cycles/{ids['cycle_id']}/units/{ids['unit_id']}/perfunctory-flags",
        json={"reason": "thử"},
        headers=other,
    )
    assert_problem(resp, 404, "resource.not_found")
    assert_problem(client.get(f"/v1/units/{ids['unit_id']}", headers=other), 404)
    assert positions(app) == before


def test_closed_step_and_step_order_are_409(client: TestClient, ids: dict[str, str]) -> None:
    base = f"/v1/cycles/{ids['cycle_id']}/units/{ids['unit_id']}"
    resp = client.post(
        base + "/consolidation",
        json={"summary": "x", "proposed_level": "hoan_thanh"},
        headers=headers(),
    )
    assert_problem(resp, 409, "assessment.step_order")
    groups = {
        c: {"results": "r" * 100, "limitations": "l"} for c in ("tham_muu", "nhiem_vu", "ky_luat")
    }
    body = {"groups": groups, "proposed_level": "hoan_thanh_tot"}
    assert (
        client.post(
            base + "/self-assessment", json=body, headers=headers(role="unit_officer")
        ).status_code
        == 201
    )
    resp = client.post(base + "/self-assessment", json=body, headers=headers(role="unit_officer"))
    assert_problem(resp, 409, "assessment.step_closed")


def test_idempotency_key_over_http(client: TestClient, app: AssessmentApplication) -> None:
    h = headers(**{"Idempotency-Key": "abc-123"})
    body = {"code": "SYT", "name": "Sở Y tế", "kind": "department"}
    first = client.post("/v1/units", json=body, headers=h)
    n = positions(app)
    second = client.post("/v1/units", json=body, headers=h)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert positions(app) == n
    other = client.post("/v1/units", json={**body, "code": "STC"}, headers=h)
    assert_problem(other, 422, "request.idempotency_key_reused")
    assert positions(app) == n


def test_vietnamese_text_is_normalised_to_nfc(client: TestClient) -> None:
    import unicodedata

    nfd = unicodedata.normalize("NFD", "Sở Tài nguyên và Môi trường")
    unit = client.post(
        "/v1/units", json={"code": "STNMT", "name": nfd, "kind": "department"}, headers=headers()
    ).json()
    got = client.get(f"/v1/units/{unit['id']}", headers=headers()).json()
    assert got["name"] == unicodedata.normalize("NFC", nfd) != nfd


def test_openapi_lists_problem_schema(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert "Problem" in spec["components"]["schemas"]
