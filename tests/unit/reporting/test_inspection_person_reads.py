"""Reporting's per-person inspection figures: only for the roles the rules name, another
tenant's person is missing (404), and every read of someone else's figures is recorded
(``report_reads``) — the read side's counterpart of ``FiguresReadLog``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from helpers import TEST_ISSUER, headers
from reporting.adapters.db import SqliteDatabase
from reporting.adapters.read_log import reads
from reporting.consumer.runner import ensure_schema
from reporting.entrypoints.api.app import create_app
from reporting.read_models.inspection_overview.projection import apply_many
from shared.envelope import Envelope

TENANT = "dong-nai"
PERSON = "syt.phogiamdoc"
UNIT = "7b0c1c2e-5d0a-4f43-9d1f-3f6a2b9c0a11"
URL = f"/v1/reports/inspection/persons/{PERSON}"


def env(event: str, version: int, payload: dict[str, Any]) -> Envelope:
    return Envelope(
        event_id=f"reg-{version}",
        type=f"assessment.WorkRegister.{event}",
        tenant=TENANT,
        aggregate_type="WorkRegister",
        aggregate_id="reg",
        aggregate_version=version,
        global_position=version,
        occurred_at="2024-05-10T09:00:00+07:00",
        recorded_at="2024-05-10T02:00:00+00:00",
        actor={"subject": "thanhtra", "role": "inspector"},
        payload=payload,
    )


@pytest.fixture
def client(tmp_path: Path) -> Iterator[tuple[TestClient, SqliteDatabase]]:
    db = SqliteDatabase(tmp_path / "r.sqlite")
    ensure_schema(db)
    figures = {"total": 3, "on_time": 2, "late": 1}
    with db.transaction() as tx:
        apply_many(
            tx,
            [
                env("Opened", 1, {"inspection_id": "insp", "unit_id": UNIT}),
                env(
                    "FiguresRecorded",
                    2,
                    {
                        "as_of": "2024-05-10T09:00:00+07:00",
                        "part": 0,
                        "parts": 1,
                        "calendar": {},
                        "by_field": {},
                        "by_person": {PERSON: figures},
                    },
                ),
            ],
        )
    yield TestClient(create_app(db, verifier=TEST_ISSUER.verifier())), db
    db.close()


def test_a_read_by_home_affairs_is_recorded(client: tuple[TestClient, SqliteDatabase]) -> None:
    http, db = client
    resp = http.get(URL, headers=headers(TENANT, "snv.tonghop", "home_affairs", "SNV"))
    assert resp.status_code == 200, resp.text
    assert resp.json()["figures"][0]["on_time"] == 2
    log = reads(db, TENANT)
    assert [(r["subject"], r["role"], r["report"], r["person"]) for r in log] == [
        ("snv.tonghop", "home_affairs", "inspection_person", PERSON)
    ]


def test_the_person_reads_their_own_without_a_record(
    client: tuple[TestClient, SqliteDatabase],
) -> None:
    http, db = client
    resp = http.get(URL, headers=headers(TENANT, PERSON, "unit_head", "SYT"))
    assert resp.status_code == 200
    assert reads(db, TENANT) == []


def test_a_role_the_rules_do_not_name_is_refused_and_nothing_recorded(
    client: tuple[TestClient, SqliteDatabase],
) -> None:
    http, db = client
    for role in ("unit_officer", "unit_head"):  # known roles, not named for this data
        resp = http.get(URL, headers=headers(TENANT, "syt.canbo", role, "SYT"))
        assert resp.status_code == 403, (role, resp.text)
        assert resp.json()["code"] == "auth.forbidden"
    unknown = http.get(URL, headers=headers(TENANT, "x", "janitor", "SYT"))
    assert unknown.status_code == 403 and unknown.json()["code"] == "auth.unknown_role"
    assert reads(db, TENANT) == []


def test_another_tenant_sees_a_missing_person_and_nothing_is_recorded(
    client: tuple[TestClient, SqliteDatabase],
) -> None:
    http, db = client
    resp = http.get(URL, headers=headers("tra-vinh", "snv.tv", "home_affairs", "SNV"))
    assert resp.status_code == 404
    assert reads(db, TENANT) == [] and reads(db, "tra-vinh") == []


def test_a_read_of_the_unit_figures_is_recorded(client: tuple[TestClient, SqliteDatabase]) -> None:
    http, db = client
    resp = http.get(
        f"/v1/reports/inspection/units/{UNIT}", headers=headers(TENANT, "ct", "chairman", None)
    )
    assert resp.status_code == 200, resp.text
    assert [(r["report"], r["target"]) for r in reads(db, TENANT)] == [("inspection_unit", UNIT)]
