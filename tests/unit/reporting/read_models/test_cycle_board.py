"""The cycle board projection on SQLite: statuses, duplicates, reopenings."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from reporting.adapters.db import SqliteDatabase
from reporting.consumer.runner import BoardProjector, ensure_schema
from reporting.read_models.cycle_board.board import board_rows
from reporting.read_models.cycle_board.projection import apply
from shared.envelope import Envelope, event_id_for

TENANT = "dong-nai"
CYCLE = str(uuid.uuid4())
UNIT = str(uuid.uuid4())
UA = str(uuid.uuid4())


@pytest.fixture
def db(tmp_path: Path) -> Iterator[SqliteDatabase]:
    database = SqliteDatabase(tmp_path / "r.sqlite")
    ensure_schema(database)
    yield database
    database.close()


def env(
    agg_type: str,
    agg_id: str,
    version: int,
    event: str,
    payload: dict[str, Any],
    position: int,
    occurred_at: str = "2013-12-01T03:00:00+00:00",
) -> Envelope:
    return Envelope(
        event_id=event_id_for(agg_id, version),
        type=f"assessment.{agg_type}.{event}",
        tenant=TENANT,
        aggregate_type=agg_type,
        aggregate_id=agg_id,
        aggregate_version=version,
        global_position=position,
        occurred_at=occurred_at,
        recorded_at=occurred_at,
        actor={"subject": "x", "role": "home_affairs", "acting_for": "SNV"},
        payload=payload,
    )


def history() -> list[Envelope]:
    deadlines = {
        "sector_review": "2013-11-10",
        "self_assessment": "2013-12-10",
        "member_review": "2013-12-10",
        "consolidation": "2013-12-31",
        "caucus_review": "2014-01-10",
        "recognition": "2014-01-10",
    }
    return [
        env(
            "Unit",
            UNIT,
            1,
            "Registered",
            {"code": "SNV", "name": "Sở Nội vụ", "kind": "department", "parent_id": None},
            1,
        ),
        env(
            "Cycle",
            CYCLE,
            1,
            "Planned",
            {
                "year": 2013,
                "title": "Đánh giá 2013",
                "plan_reference": "KH",
                "content_groups": [],
                "deadlines": deadlines,
            },
            2,
        ),
        env(
            "UnitAssessment", UA, 1, "Opened", {"cycle_id": CYCLE, "unit_id": UNIT, "year": 2013}, 3
        ),
        env(
            "UnitAssessment",
            UA,
            2,
            "SelfAssessmentSubmitted",
            {
                "groups": {},
                "proposed_level": "hoan_thanh_tot",
                "perfunctory_signals": ["ky_luat: không nêu hạn chế"],
                "late_by_seconds": 7200,
                "deadline": None,
            },
            4,
        ),
        env(
            "UnitAssessment",
            UA,
            3,
            "SectorReviewSubmitted",
            {
                "reviewer_unit_id": "SYT",
                "comment": "ok",
                "proposed_level": "hoan_thanh",
                "published": False,
                "late_by_seconds": 0,
                "deadline": None,
            },
            5,
        ),
    ]


def board(db: SqliteDatabase, now: str = "2013-12-20T00:00:00+00:00") -> list[dict[str, Any]]:
    with db.transaction() as tx:
        _, rows, _ = board_rows(tx, TENANT, CYCLE, now=datetime.fromisoformat(now))
    return rows


def test_board_shows_status_lateness_and_levels_per_source(db: SqliteDatabase) -> None:
    with db.transaction() as tx:
        for e in history():
            assert apply(tx, e)
    (row,) = board(db)
    assert row["unit_name"] == "Sở Nội vụ"
    assert row["steps"]["self_assessment"]["status"] == "late"
    assert row["steps"]["self_assessment"]["late_by_seconds"] == 7200
    assert row["steps"]["sector_review"]["status"] == "on_time"
    assert row["steps"]["member_review"]["status"] == "overdue"  # past 10/12, nothing sent
    assert row["steps"]["consolidation"]["status"] == "missing"  # not yet due
    assert row["levels"] == {
        "self_assessment": "hoan_thanh_tot",
        "sector_review": {"SYT": "hoan_thanh"},
    }
    assert row["perfunctory_signals"] == ["ky_luat: không nêu hạn chế"]
    assert "self_assessment" in row["late_steps"]


def test_duplicates_and_replays_change_nothing(db: SqliteDatabase) -> None:
    events = history()
    with db.transaction() as tx:
        for e in events:
            apply(tx, e)
    first = board(db)
    with db.transaction() as tx:
        results = [apply(tx, e) for e in events]
    assert results == [False] * len(events)
    assert board(db) == first


def test_reopening_clears_the_step_on_the_board(db: SqliteDatabase) -> None:
    events = [
        *history(),
        env(
            "UnitAssessment",
            UA,
            4,
            "StepReopened",
            {"step": "self_assessment", "reason": "làm lại", "cleared_steps": ["self_assessment"]},
            6,
        ),
    ]
    with db.transaction() as tx:
        for e in events:
            apply(tx, e)
    (row,) = board(db)
    assert row["steps"]["self_assessment"]["status"] == "overdue"
    assert "self_assessment" not in row["levels"]
    assert row["reopenings"][0]["reason"] == "làm lại"


def test_other_tenants_see_no_board(db: SqliteDatabase) -> None:
    with db.transaction() as tx:
        for e in history():
            apply(tx, e)
        cycle, rows, total = board_rows(tx, "quang-tri", CYCLE, now=datetime.now(UTC))
    assert cycle is None and rows == [] and total == 0


def test_bus_projector_records_its_position_with_the_rows(db: SqliteDatabase) -> None:
    projector = BoardProjector(db)
    assert projector.position() == 0
    projector.handle_batch(history()[:3], up_to_position=3)
    assert projector.position() == 3
    projector.handle_batch(history(), up_to_position=5)  # re-delivery of 1..3 is harmless
    assert projector.position() == 5
    assert len(board(db)) == 1


# ----------------------------------------------------------------- step 1 and assignments
UNIT2 = str(uuid.uuid4())
UA2 = str(uuid.uuid4())
AGENCY = str(uuid.uuid4())
SECTOR = str(uuid.uuid4())
MEMBER = str(uuid.uuid4())


def second_unit(*, assigned: bool, revoked_on: str | None = None) -> list[Envelope]:
    """A second unit, enrolled, with nothing submitted; optionally a sector agency (SYT) and a
    PC member assigned to it by decision."""
    events = [
        env(
            "Unit",
            AGENCY,
            1,
            "Registered",
            {"code": "SYT", "name": "Sở Y tế", "kind": "department", "parent_id": None},
            10,
        ),
        env(
            "Unit",
            UNIT2,
            1,
            "Registered",
            {"code": "BVDK", "name": "Bệnh viện", "kind": "public_service_unit", "parent_id": None},
            11,
        ),
        env(
            "UnitAssessment",
            UA2,
            1,
            "Opened",
            {"cycle_id": CYCLE, "unit_id": UNIT2, "year": 2013},
            12,
        ),
    ]
    if assigned:
        grant = {
            "grant_id": "a" * 32,
            "unit_ids": [UNIT2],
            "decision_number": "1/QĐ-UBND",
            "decision_date": "2013-01-02",
            "valid_from": "2013-01-02",
            "valid_to": None,
        }
        events += [
            env(
                "Assignments",
                SECTOR,
                1,
                "Opened",
                {"kind": "sector_management", "holder": AGENCY},
                13,
            ),
            env("Assignments", SECTOR, 2, "Granted", grant, 14),
            env(
                "Assignments",
                MEMBER,
                1,
                "Opened",
                {"kind": "pc_oversight", "holder": "pct.vanxa"},
                15,
            ),
            env("Assignments", MEMBER, 2, "Granted", {**grant, "grant_id": "b" * 32}, 16),
        ]
        if revoked_on:
            events.append(
                env(
                    "Assignments",
                    SECTOR,
                    3,
                    "Revoked",
                    {"grant_id": "a" * 32, "effective_date": revoked_on, "reason": "đổi"},
                    17,
                )
            )
    return events


def row_of(db: SqliteDatabase, code: str) -> dict[str, Any]:
    return next(r for r in board(db) if r["unit_code"] == code)


def test_step_1_of_a_unit_no_agency_manages_is_never_overdue(db: SqliteDatabase) -> None:
    with db.transaction() as tx:
        for e in [*history(), *second_unit(assigned=False)]:
            apply(tx, e)
    row = row_of(db, "BVDK")  # 20/12/2013: step 1's deadline (10/11) is long past
    assert row["steps"]["sector_review"]["status"] == "not_required"
    assert "sector_review" not in row["late_steps"]
    assert row["sector_agencies"] == []
    # a review that came anyway still counts as done (SNV's, by SYT, with no grant)
    assert row_of(db, "SNV")["steps"]["sector_review"]["status"] == "on_time"


def test_an_assigned_agency_owes_step_1_and_a_revocation_before_the_year_lifts_it(
    db: SqliteDatabase, tmp_path: Path
) -> None:
    with db.transaction() as tx:
        for e in [*history(), *second_unit(assigned=True)]:
            apply(tx, e)
    row = row_of(db, "BVDK")
    assert row["steps"]["sector_review"]["status"] == "overdue"
    assert row["sector_agencies"] == [{"unit_id": AGENCY, "code": "SYT"}]
    assert row["pc_members"] == ["pct.vanxa"]
    other = SqliteDatabase(tmp_path / "other.sqlite")
    ensure_schema(other)
    try:
        with other.transaction() as tx:
            for e in [*history(), *second_unit(assigned=True, revoked_on="2012-12-31")]:
                apply(tx, e)
        assert row_of(other, "BVDK")["steps"]["sector_review"]["status"] == "not_required"
    finally:
        other.close()


def test_reviewer_and_member_queues_hold_only_their_assigned_units(db: SqliteDatabase) -> None:
    from reporting.read_models.cycle_board.todo import todo_for
    from shared.identity import Caller

    with db.transaction() as tx:
        for e in [*history(), *second_unit(assigned=True)]:
            apply(tx, e)
    now = datetime(2013, 12, 20, tzinfo=UTC)
    syt = todo_for(db, Caller(TENANT, "syt.lanhdao", "sector_reviewer", "SYT"), now)
    assert [(i.unit_code, i.step) for i in syt.items] == [("BVDK", "sector_review")]
    stc = todo_for(db, Caller(TENANT, "stc.lanhdao", "sector_reviewer", "STC"), now)
    assert stc.items == [] and stc.done == []
    member = todo_for(db, Caller(TENANT, "pct.vanxa", "pc_member", None), now)
    assert {i.unit_code for i in member.items} == {"BVDK"}
    other = todo_for(db, Caller(TENANT, "pct.khac", "pc_member", None), now)
    assert other.items == []


def test_deadline_changes_and_adjustment_reasons_are_on_the_board(db: SqliteDatabase) -> None:
    events = [
        *history(),
        env(
            "Cycle",
            CYCLE,
            2,
            "DeadlineChanged",
            {"step": "self_assessment", "deadline": "2013-12-15", "reason": "Nghỉ lễ"},
            20,
        ),
        env(
            "UnitAssessment",
            UA,
            4,
            "LevelAdjusted",
            {
                "from_level": "hoan_thanh_tot",
                "to_level": "hoan_thanh",
                "reason": "Thiếu minh chứng",
            },
            21,
        ),
    ]
    with db.transaction() as tx:
        for e in events:
            apply(tx, e)
        cycle, rows, _ = board_rows(tx, TENANT, CYCLE, now=datetime(2013, 12, 20, tzinfo=UTC))
    assert cycle is not None
    (change,) = cycle["deadline_changes"]
    assert (change["from"], change["to"], change["reason"]) == (
        "2013-12-10",
        "2013-12-15",
        "Nghỉ lễ",
    )
    assert rows[0]["levels"]["adjusted"] == "hoan_thanh"
    assert rows[0]["adjustments"][0]["reason"] == "Thiếu minh chứng"
