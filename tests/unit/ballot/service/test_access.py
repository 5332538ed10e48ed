"""Who may do what: organiser, trustee and credential-authority roles of the election's tenant;
public routes need nothing. Idempotency-Key on organiser commands."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from ballot.harness import PREFIX, ElectionDriver, election_request
from helpers import MutableClock


def _request(d: ElectionDriver, clock: MutableClock) -> dict[str, Any]:
    return election_request(d.trustees, summoned=4, threshold=2, opens_at=clock.now)


def test_organiser_routes_need_a_token_of_the_organiser_role(
    driver: ElectionDriver,
    client: TestClient,
    clock: MutableClock,
    as_role: Callable[..., dict[str, str]],
) -> None:
    body = _request(driver, clock)
    r = client.post(PREFIX, json=body)
    assert r.status_code == 401 and r.json()["code"] == "auth.missing_token"
    r = client.post(PREFIX, json=body, headers=as_role("trustee"))
    assert r.status_code == 403 and r.json()["code"] == "auth.forbidden"
    r = client.post(PREFIX, json=body, headers=as_role("ballot_organiser"))
    assert r.status_code == 201


def test_another_tenant_cannot_touch_the_election(
    driver: ElectionDriver,
    client: TestClient,
    clock: MutableClock,
    as_role: Callable[..., dict[str, str]],
) -> None:
    driver.create(_request(driver, clock))
    for role, path in (
        ("ballot_organiser", "/open"),
        ("trustee", "/ceremony/round1"),
        ("credential_authority", "/credentials"),
    ):
        r = client.post(
            driver.url(path),
            json={"message": {}, "credentials": ["00"]},
            headers=as_role(role, tenant="ha-noi"),
        )
        assert r.status_code in (403, 422), r.text
        if r.status_code == 403:
            assert r.json()["code"] == "auth.forbidden"
    r = client.post(driver.url("/open"), headers=as_role("ballot_organiser", tenant="ha-noi"))
    assert r.status_code == 403


def test_credentials_are_uploaded_by_the_credential_authority_only(
    driver: ElectionDriver,
    client: TestClient,
    clock: MutableClock,
    as_role: Callable[..., dict[str, str]],
) -> None:
    driver.create(_request(driver, clock))
    r = client.post(
        driver.url("/credentials"),
        json={"credentials": ["e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76"]},
        headers=as_role("ballot_organiser"),
    )
    assert r.status_code == 403


def test_public_routes_need_no_token_and_set_no_cookie(
    open_election: ElectionDriver, client: TestClient
) -> None:
    d = open_election
    for path in ("", "/manifest", "/record"):
        r = client.get(d.url(path))
        assert r.status_code == 200, path
        assert "set-cookie" not in r.headers
    ballot = d.make_ballot(d.codes[0], (0, 0))
    r = client.post(d.url("/ballots"), json=ballot.to_dict())
    assert r.status_code == 201 and r.headers["cache-control"] == "no-store"
    assert client.get(d.url(f"/trackers/{r.json()['tracker']}")).json()["counted"]
    assert client.get(d.url("/result")).json()["code"] == "ballot.result_not_ready"


def test_unknown_election_is_a_404_problem(client: TestClient) -> None:
    r = client.get(f"{PREFIX}/no-such-election/manifest")
    assert r.status_code == 404 and r.json()["code"] == "ballot.election_not_found"


def test_create_with_the_same_idempotency_key_answers_the_first_result(
    driver: ElectionDriver,
    client: TestClient,
    clock: MutableClock,
    as_role: Callable[..., dict[str, str]],
) -> None:
    body = _request(driver, clock)
    h = {**as_role("ballot_organiser"), "Idempotency-Key": "create-1"}
    first = client.post(PREFIX, json=body, headers=h)
    again = client.post(PREFIX, json=body, headers=h)
    assert first.status_code == again.status_code == 201
    assert again.json()["election_id"] == first.json()["election_id"]
    assert again.json()["replayed"] is True
    assert len(client.get(PREFIX, headers=as_role("ballot_organiser")).json()) == 1
    other = client.post(PREFIX, json={**body, "title": "Khác"}, headers=h)
    assert other.status_code == 422 and other.json()["code"] == "request.idempotency_key_reused"


def test_invalid_configuration_is_a_clear_problem(
    driver: ElectionDriver,
    client: TestClient,
    clock: MutableClock,
    as_role: Callable[..., dict[str, str]],
) -> None:
    body = _request(driver, clock)
    h = as_role("ballot_organiser")
    bad = {**body, "threshold": 4}
    r = client.post(PREFIX, json=bad, headers=h)
    assert r.status_code == 422 and r.json()["code"] == "ballot.invalid_config"
    r = client.post(PREFIX, json={**body, "opens_at": "2026-05-01T08:00:00"}, headers=h)
    assert r.status_code == 422 and "múi giờ" in r.json()["detail"]
    r = client.post(PREFIX, json={**body, "scale": "stars"}, headers=h)
    assert r.status_code == 422 and r.json()["code"] == "request.invalid"
