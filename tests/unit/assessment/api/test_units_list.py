"""``GET /v1/units`` (issue 9: it answered 405): the caller's tenant's units, searched without
diacritics, filtered by group and validity day, paged, with lineage from mergers and splits;
bad parameters are problem+json; another tenant sees none of them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assessment.bootstrap import build_application
from assessment.entrypoints.api.app import create_app
from helpers import TEST_ISSUER, MutableClock, headers
from shared.settings import AssessmentSettings


@pytest.fixture
def client(tmp_path: Path, clock: MutableClock) -> Iterator[TestClient]:
    app = build_application(
        AssessmentSettings(mode="embedded", sqlite_path=tmp_path / "a.sqlite"), clock=clock
    )
    client = TestClient(create_app(app, verifier=TEST_ISSUER.verifier()))
    for code, name, kind in [
        ("SNV", "Sở Nội vụ", "department"),
        ("SKHDT", "Sở Kế hoạch và Đầu tư", "department"),
        ("STC", "Sở Tài chính", "department"),
        ("BVDK", "Bệnh viện Đa khoa tỉnh", "public_service_unit"),
    ]:
        r = client.post(
            "/v1/units", json={"code": code, "name": name, "kind": kind}, headers=headers()
        )
        assert r.status_code == 201, r.text
    ids = {u["code"]: u["id"] for u in client.get("/v1/units", headers=headers()).json()["items"]}
    r = client.post(
        f"/v1/units/{ids['SKHDT']}/merger",
        json={
            "successor_id": ids["STC"],
            "effective_date": "2025-03-01",
            "decision_number": "202/2025/QH15",
        },
        headers=headers(),
    )
    assert r.status_code == 200, r.text
    yield client
    app.close()


def units(client: TestClient, query: str = "", **h: str) -> dict:
    r = client.get(f"/v1/units{query}", headers=headers(**h))
    assert r.status_code == 200, r.text
    return r.json()


def test_lists_search_groups_and_pages(client: TestClient) -> None:
    everything = units(client)
    assert everything["total"] == 4
    assert [u["code"] for u in units(client, "?q=so noi vu")["items"]] == ["SNV"]
    assert [u["code"] for u in units(client, "?kind=public_service_unit")["items"]] == ["BVDK"]
    first, second = units(client, "?page_size=3")["items"], units(client, "?page_size=3&page=2")
    assert len(first) == 3 and len(second["items"]) == 1 and second["total"] == 4
    assert {u["code"] for u in first} | {second["items"][0]["code"]} == {
        "SNV",
        "SKHDT",
        "STC",
        "BVDK",
    }


def test_lineage_and_validity(client: TestClient) -> None:
    by_code = {u["code"]: u for u in units(client)["items"]}
    merged, successor = by_code["SKHDT"], by_code["STC"]
    assert merged["valid_to"] == "2025-03-01"
    assert merged["successor"]["code"] == "STC"
    assert [p["code"] for p in successor["predecessors"]] == ["SKHDT"]
    on_day = {u["code"] for u in units(client, "?valid_on=2025-06-01")["items"]}
    assert on_day == {"SNV", "STC", "BVDK"}  # merged away on 01/03/2025


def test_other_tenants_see_none(client: TestClient) -> None:
    assert units(client, tenant="quang-tri")["total"] == 0


@pytest.mark.parametrize(
    "query",
    ["?page=0", "?page_size=1000", "?kind=wizard", "?valid_on=31-12-2025", "?q=" + "x" * 300],
)
def test_bad_parameters_are_problems(client: TestClient, query: str) -> None:
    r = client.get(f"/v1/units{query}", headers=headers())
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["code"] == "request.invalid"


def test_needs_a_token(client: TestClient) -> None:
    r = client.get("/v1/units")
    assert r.status_code == 401
    assert r.headers["content-type"].startswith("application/problem+json")
