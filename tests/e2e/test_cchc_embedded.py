"""CCHC end to end in embedded mode: a year through the API reaches the CCHC read model."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from cchc_api import AUDITOR, run_cycle
from cchc_reports import check_reports
from embedded.app import create_embedded_app
from helpers import TEST_ISSUER, MutableClock

pytestmark = pytest.mark.e2e


def test_a_cchc_year_reaches_the_read_model(tmp_path: Path, clock: MutableClock) -> None:
    with TestClient(
        create_embedded_app(tmp_path, demo=False, clock=clock, issuer=TEST_ISSUER)
    ) as client:
        ids = run_cycle(client, clock)
        deadline = time.monotonic() + 20
        body: Any = None
        while time.monotonic() < deadline:
            body = client.get("/v1/reports/cchc/rankings", headers=AUDITOR).json()
            if body.get("items"):
                break
            time.sleep(0.1)
        assert body and body["items"], body
        check_reports(client, ids)


def test_the_demo_ships_the_cchc_set_and_sheets(tmp_path: Path) -> None:
    from assessment.domain.cchc.criteria_set import criteria_set_id_for
    from assessment.domain.cchc.scoring import scoring_id_for
    from assessment.domain.registry.unit import unit_id_for

    with TestClient(create_embedded_app(tmp_path, demo=True, issuer=TEST_ISSUER)) as client:
        set_id = criteria_set_id_for("dong-nai", 2020, "so_nganh", 1)
        found = client.get(f"/v1/cchc/criteria-sets/{set_id}", headers=AUDITOR).json()
        assert found["publication"]["decision_number"] == "DEMO-01/QĐ-UBND"
        snv = scoring_id_for("dong-nai", 2020, unit_id_for("dong-nai", "SNV"))
        sheet = client.get(f"/v1/cchc/scorings/{snv}", headers=AUDITOR).json()
        assert sheet["status"] == "submitted" and sheet["running"]["self_points"] == "70"
