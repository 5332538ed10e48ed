"""The CCHC year through the HTTP API in embedded mode (SQLite, in-process), and its refusals."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import openpyxl
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


def survey_file(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Kết quả điều tra"
    ws.append(["Mã đơn vị", "Tên đơn vị", "Số phiếu", "26", "27"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_survey_results_imported_from_xlsx(app: AssessmentApplication, clock: MutableClock) -> None:
    api = TestClient(create_app(app, verifier=TEST_ISSUER.verifier()))
    ids = run_cycle(api, clock)
    url = f"/v1/cchc/criteria-sets/{ids['set']}/surveys/import"
    before = app.recorder.max_notification_id() or 0
    bad = survey_file([["SA", "Sở A", 400, 85.3, 90], ["SX", "Không có", 10, 50, 50]])
    resp = api.post(url, params={"year": 2020}, content=bad, headers={**HA, "content-type": XLSX})
    assert resp.status_code == 422 and [e["row"] for e in resp.json()["errors"]] == [3]
    assert (app.recorder.max_notification_id() or 0) == before
    good = survey_file([["SA", "Sở A", 400, 85.3, 90], ["SB", "Sở B", 380, 70, "75,5"]])
    resp = api.post(url, params={"year": 2020}, content=good, headers={**HA, "content-type": XLSX})
    assert resp.status_code == 200, resp.text
    sheet = api.get(f"/v1/cchc/scorings/{ids['scoring:SB']}", headers=AUDITOR).json()
    assert sheet["survey"]["27"]["points"] == "11.33"  # 15 × 75,5 % = 11,325 → 11,33
    assert sheet["survey"]["26"]["respondents"] == 380
    officer = headers(tenant="dong-nai", subject="sa.cb", role="unit_officer", unit="SA")
    resp = api.post(
        url, params={"year": 2020}, content=good, headers={**officer, "content-type": XLSX}
    )
    assert resp.status_code == 403
