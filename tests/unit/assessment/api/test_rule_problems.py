"""The rules of issue 9 item 5 over HTTP: each refusal is problem+json with its own stable code,
a Vietnamese title (English second) and stores nothing."""

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
def client(tmp_path: Path, clock: MutableClock) -> Iterator[tuple[TestClient, object]]:
    app = build_application(
        AssessmentSettings(mode="embedded", sqlite_path=tmp_path / "a.sqlite"), clock=clock
    )
    yield TestClient(create_app(app, verifier=TEST_ISSUER.verifier())), app
    app.close()


def test_enrolling_a_unit_not_yet_valid_and_merging_before_its_cycle(client: tuple) -> None:
    http, app = client
    ids = {}
    for code, valid_from in (("SNV", None), ("SKHCN", "2031-01-01"), ("STC", None)):
        body = {"code": code, "name": code, "kind": "department", "valid_from": valid_from}
        ids[code] = http.post("/v1/units", json=body, headers=headers()).json()["id"]
    before = app.recorder.max_notification_id()
    r = http.post(
        "/v1/cycles",
        json={"year": 2030, "plan_reference": "KH", "unit_ids": [ids["SNV"], ids["SKHCN"]]},
        headers=headers(),
    )
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem")
    problem = r.json()
    assert problem["code"] == "registry.unit_not_yet_valid"
    assert problem["title"] == "Đơn vị chưa có hiệu lực trong năm đánh giá"
    assert "01/01/2031" in problem["detail"]
    assert app.recorder.max_notification_id() == before
    r = http.post(
        "/v1/cycles",
        json={"year": 2030, "plan_reference": "KH", "unit_ids": [ids["SNV"], ids["STC"]]},
        headers=headers(),
    )
    assert r.status_code == 201, r.text
    r = http.post(
        f"/v1/units/{ids['SNV']}/merger",
        json={"successor_id": ids["STC"], "effective_date": "2029-07-01", "decision_number": "1"},
        headers=headers(),
    )
    assert r.status_code == 409
    assert r.json()["code"] == "registry.change_before_enrolled_cycle"
    assert "2030" in r.json()["detail"]
