"""Checks of the CCHC read model after ``cchc_api.run_cycle``, shared by the embedded e2e test
and the production-mode integration test."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from cchc_api import AUDITOR, TENANT
from helpers import headers


def check_reports(reports: TestClient, ids: dict[str, Any]) -> None:
    scores = reports.get("/v1/reports/cchc/scores", params={"year": 2020}, headers=AUDITOR)
    assert scores.status_code == 200, scores.text
    items = scores.json()["items"]
    assert len(items) == 2 * 34  # two units × 34 component criteria (32 appraised + 2 survey)
    sa = [i for i in items if i["unit_id"] == ids["SA"] and i["method"] == "appraisal"]
    assert sum(float(i["appraised_points"]) for i in sa) == 63
    assert all(i["reason"] for i in sa if i["difference"] not in (None, "0"))
    assert {i["unit_name"] for i in items} == {
        "Sở A (dựng cho kiểm thử)",
        "Sở B (dựng cho kiểm thử)",
    }
    gaps = reports.get("/v1/reports/cchc/gaps", params={"year": 2020}, headers=AUDITOR).json()
    by_unit = {g["unit_id"]: g for g in gaps["items"]}
    assert by_unit[ids["SA"]]["gap"] == "2" and by_unit[ids["SA"]]["applicable_max"] == "70"
    assert by_unit[ids["SA"]]["gap_percent"] == "2.86" and not by_unit[ids["SA"]]["inflated"]
    strict = reports.get(
        "/v1/reports/cchc/gaps", params={"year": 2020, "threshold": "2"}, headers=AUDITOR
    ).json()
    assert all(g["inflated"] for g in strict["items"])
    history = reports.get(f"/v1/reports/cchc/units/{ids['SB']}/history", headers=AUDITOR).json()
    assert [(y["year"], y["index"], y["rank"], y["band"]) for y in history["years"]] == [
        (2020, "95", 1, "Nhóm I")
    ]
    assert history["criteria"]["7"][0]["max_points"] == "2"
    public = headers(tenant=TENANT, subject="dan", role="public", unit=None)
    rankings = reports.get("/v1/reports/cchc/rankings", headers=public)
    assert rankings.status_code == 200, rankings.text
    (ranking,) = rankings.json()["items"]
    assert ranking["decision"]["number"] == "456/QĐ-UBND"
    assert [r["rank"] for r in ranking["rows"]] == [1, 2]
    assert reports.get("/v1/reports/cchc/scores", headers=public).status_code == 403
    other = headers(tenant="quang-tri", role="auditor", unit=None)
    assert reports.get("/v1/reports/cchc/rankings", headers=other).json()["items"] == []
    assert (
        reports.get(f"/v1/reports/cchc/units/{ids['SB']}/history", headers=other).status_code == 404
    )
