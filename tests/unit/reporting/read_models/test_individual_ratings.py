"""The individual ratings read model on SQLite, fed with the envelopes a real (in-memory)
application stored: what the agency report and a person's history show, and that a replay of
every envelope changes nothing."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from assessment.adapters.contract_mapping import is_published, to_envelope
from assessment.application.service import AssessmentApplication, CommandContext
from helpers import MutableClock
from reporting.adapters.db import SqliteDatabase
from reporting.consumer.runner import ensure_schema
from reporting.read_models.individual_ratings import projection
from reporting.read_models.individual_ratings.queries import agency_year, person_history
from shared.problems import AppError

T = "dong-nai"


def ctx(role: str, unit: str | None, subject: str = "u") -> CommandContext:
    return CommandContext(tenant=T, actor={"subject": subject, "role": role, "acting_for": unit})


TCCB, HEAD = ctx("personnel", "SNN", "tccb"), ctx("unit_head", "SNN", "gd")


@pytest.fixture
def db(tmp_path: Path) -> Iterator[SqliteDatabase]:
    database = SqliteDatabase(tmp_path / "r.sqlite")
    ensure_schema(database)
    yield database
    database.close()


def envelopes(app: AssessmentApplication) -> list[Any]:
    notes = app.recorder.select_notifications(start=None, limit=100_000)
    return [to_envelope(app.mapper, n) for n in notes if is_published(n.topic)]


def scenario() -> tuple[AssessmentApplication, dict[str, uuid.UUID]]:
    app = AssessmentApplication(
        env={"PERSISTENCE_MODULE": "eventsourcing.popo"},
        clock=MutableClock(datetime(2026, 12, 1, 2, 0, tzinfo=UTC)),
    )
    ha = ctx("home_affairs", "SNV")
    app.register_unit(ha, code="UBND", name="UBND", kind="peoples_committee")
    app.register_unit(ha, code="SNN", name="Sở NN", kind="department", parent_code="UBND")
    rows = [
        {
            "code": f"C{i}",
            "full_name": f"Người {i}",
            "category": "cong_chuc",
            "agency_id": "SNN",
            "position": "staff",
            "job_position": "CV",
            "task_group": "cv",
            "employed_from": "2015-01-01",
            "account": f"c{i}",
        }
        for i in range(7)
    ]
    ids = {i["code"]: uuid.UUID(i["id"]) for i in app.import_staff(TCCB, rows=rows)["items"]}
    sheets = [
        {
            "person_code": f"C{i}",
            "period": m,
            "general": "25" if i == 0 else "10",
            "products": [{"code": "P", "assigned": "1", "completed": "1"}],
        }
        for i in range(7)
        for m in range(1, 13)
    ]
    app.import_sheets(TCCB, year=2026, sheets=sheets)
    opened = app.open_ratings(TCCB, agency_id="SNN", year=2026, person_codes=list(ids))
    rids = [uuid.UUID(i["id"]) for i in opened["items"]]
    app.record_agency_round(
        TCCB,
        proposals=[{"rating_id": str(r)} for r in rids],
        minutes_number="BB",
        held_on="2026-12-08",
        attendees=6,
        comments=[{"by": "CĐ", "text": "Nhất trí"}],
        party_document_number="NX",
        party_comments="Nhất trí",
        summary="Theo điểm",
    )
    decisions = [
        {"rating_id": str(r), "level": "hoan_thanh_xuat_sac" if n == 0 else "hoan_thanh_tot"}
        for n, r in enumerate(rids[:6])
    ]
    app.decide_ratings(HEAD, decisions=decisions, decision_number="QĐ 1", decided_on="2026-12-10")
    app.decide_rating(
        HEAD, rids[6], level="hoan_thanh_tot", decision_number="QĐ 2", decided_on="2026-12-20"
    )
    app.redo_rating(ctx("home_affairs", "SNV"), rids[5], reason="Sai quy trình", basis="decree_335")
    return app, ids


def test_agency_report_and_history_and_replay(db: SqliteDatabase) -> None:
    app, ids = scenario()
    try:
        batch = envelopes(app)
    finally:
        app.close()
    with db.transaction() as tx:
        applied, _ = projection.apply_many(tx, batch)
    assert applied > 0
    report = agency_year(db, T, "SNN", 2026, "state")
    assert report["distribution"]["hoan_thanh_xuat_sac"] == 1
    assert report["distribution"]["hoan_thanh_tot"] == 5
    assert report["distribution"]["pending"] == 1
    (quota,) = report["quota"]
    assert (quota["good"], quota["excellent"], quota["allowed"]) == (5, 1, 1)
    assert [x["code"] for x in report["late"]] == ["C6"]
    assert report["late"][0]["late_by_days"] == 5
    assert [x["code"] for x in report["redone"]] == ["C5"]
    reader = {"subject": "tccb", "role": "personnel", "unit": "SNN", "at": "2026-12-21"}
    history = person_history(db, T, str(ids["C0"]), reader)
    assert history["ratings"][0]["level"] == "hoan_thanh_xuat_sac"
    assert history["ratings"][0]["score"] == "95.00"
    with pytest.raises(AppError):
        person_history(db, T, str(ids["C0"]), {**reader, "role": "official", "subject": "c1"})
    # a replay of every envelope changes nothing
    with db.transaction() as tx:
        again, unchanged = projection.apply_many(tx, batch)
    ours = [e for e in batch if e.aggregate_type in projection.FOLDS]
    assert again == 0 and unchanged == len(ours) < len(batch)
    assert agency_year(db, T, "SNN", 2026, "state") == report
