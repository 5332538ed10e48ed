"""The CCHC year through the HTTP API in embedded mode (SQLite, in-process), and its refusals."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assessment.adapters.cchc.xlsx import read_criteria_xlsx
from assessment.application.service import AssessmentApplication
from assessment.bootstrap import build_application
from assessment.entrypoints.api.app import create_app
from cchc_api import AUDITOR, HA, XLSX, run_cycle
from cchc_builders import demo_content
from helpers import TEST_ISSUER, MutableClock, headers
from shared.settings import AssessmentSettings


@pytest.fixture
def app(tmp_path: Path, clock: MutableClock) -> Iterator[AssessmentApplication]:
    application = build_application(
        AssessmentSettings(mode="embedded", sqlite_path=tmp_path / "a.sqlite"), clock=clock
    )
    yield application
    application.close()


def test_a_whole_year_through_the_api(app: AssessmentApplication, clock: MutableClock) -> None:
    api = TestClient(create_app(app, verifier=TEST_ISSUER.verifier()))
    ids = run_cycle(api, clock)
    ranking = api.get(f"/v1/cchc/rankings/{ids['ranking']}", headers=AUDITOR).json()
    assert [(r["name"], r["rank"], r["index"], r["band_label"]) for r in ranking["rows"]] == [
        ("Sở B (dựng cho kiểm thử)", 1, "95", "Nhóm I"),
        ("Sở A (dựng cho kiểm thử)", 2, "90", "Nhóm I"),
    ]
    assert ranking["published_at"] and ranking["decision"]["number"] == "456/QĐ-UBND"
    assert read_criteria_xlsx(ids["export"]) == demo_content()
    sheet = api.get(f"/v1/cchc/scorings/{ids['scoring:SA']}", headers=AUDITOR).json()
    assert sheet["status"] == "confirmed" and sheet["running"]["index"] == "90"
    assert sheet["requests"]["YC-1"]["reply"]["text"] == "Đã bổ sung báo cáo rà soát"
    # another tenant sees none of it
    other = headers(tenant="quang-tri", role="home_affairs", unit="SNV")
    for path in (
        f"/v1/cchc/rankings/{ids['ranking']}",
        f"/v1/cchc/scorings/{ids['scoring:SA']}",
        f"/v1/cchc/criteria-sets/{ids['set']}/export.xlsx",
    ):
        assert api.get(path, headers=other).status_code == 404


def test_upload_needs_an_xlsx_body(app: AssessmentApplication) -> None:
    api = TestClient(create_app(app, verifier=TEST_ISSUER.verifier()))
    params = {"year": 2020, "block": "so_nganh", "title": "x"}
    before = app.recorder.max_notification_id() or 0
    resp = api.post("/v1/cchc/criteria-sets/import", params=params, json={"a": 1}, headers=HA)
    assert resp.status_code == 422 and resp.json()["code"] == "request.invalid"
    resp = api.post(
        "/v1/cchc/criteria-sets/import",
        params=params,
        content=b"not a workbook",
        headers={**HA, "content-type": XLSX},
    )
    assert resp.status_code == 422 and resp.json()["code"] == "cchc.sheet_rejected"
    assert (app.recorder.max_notification_id() or 0) == before
