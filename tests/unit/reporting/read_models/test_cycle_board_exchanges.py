"""The cycle board and "Việc cần làm" follow withdrawals and supplement requests (issue 9)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from reporting.adapters.db import SqliteDatabase
from reporting.consumer.runner import ensure_schema
from reporting.read_models.cycle_board.board import board_rows
from reporting.read_models.cycle_board.projection import apply
from reporting.read_models.cycle_board.todo import todo_for
from shared.envelope import Envelope, event_id_for
from shared.identity import Caller

TENANT = "dong-nai"
CYCLE, UNIT, UA = (str(uuid.uuid4()) for _ in range(3))
NOW = datetime.fromisoformat("2013-12-05T00:00:00+00:00")
HA = {"subject": "snv.tonghop", "role": "home_affairs", "acting_for": "SNV"}
OFFICER = {"subject": "snv.vanthu", "role": "unit_officer", "acting_for": "SNV"}


@pytest.fixture
def db(tmp_path: Path) -> Iterator[SqliteDatabase]:
    database = SqliteDatabase(tmp_path / "r.sqlite")
    ensure_schema(database)
    yield database
    database.close()


class Stream:
    def __init__(self) -> None:
        self.position = 0
        self.versions: dict[str, int] = {}

    def __call__(
        self, agg: str, ident: str, event: str, payload: dict[str, Any], actor: dict[str, Any]
    ) -> Envelope:
        self.position += 1
        version = self.versions[ident] = self.versions.get(ident, 0) + 1
        at = f"2013-12-0{min(self.position, 4)}T03:00:00+00:00"
        return Envelope(
            event_id=event_id_for(ident, version),
            type=f"assessment.{agg}.{event}",
            tenant=TENANT,
            aggregate_type=agg,
            aggregate_id=ident,
            aggregate_version=version,
            global_position=self.position,
            occurred_at=at,
            recorded_at=at,
            actor=actor,
            payload=payload,
        )


def start(db: SqliteDatabase, s: Stream) -> None:
    deadlines = {"self_assessment": "2013-12-10", "consolidation": "2013-12-31"}
    with db.transaction() as tx:
        for e in (
            s("Unit", UNIT, "Registered", {"code": "SNV", "name": "Sở Nội vụ", "kind": "d"}, HA),
            s(
                "Cycle",
                CYCLE,
                "Planned",
                {
                    "year": 2013,
                    "title": "Đánh giá 2013",
                    "plan_reference": "KH",
                    "content_groups": [],
                    "deadlines": deadlines,
                },
                HA,
            ),
            s(
                "UnitAssessment",
                UA,
                "Opened",
                {"cycle_id": CYCLE, "unit_id": UNIT, "year": 2013},
                HA,
            ),
            s(
                "UnitAssessment",
                UA,
                "SelfAssessmentSubmitted",
                {
                    "groups": {},
                    "proposed_level": "hoan_thanh_tot",
                    "perfunctory_signals": ["x"],
                    "late_by_seconds": 0,
                    "deadline": None,
                },
                OFFICER,
            ),
        ):
            assert apply(tx, e)


def row(db: SqliteDatabase) -> dict[str, Any]:
    with db.transaction() as tx:
        _, rows, _ = board_rows(tx, TENANT, CYCLE, now=NOW)
    (only,) = rows
    return only


def test_a_withdrawal_clears_the_self_assessment_on_the_board(db: SqliteDatabase) -> None:
    s = Stream()
    start(db, s)
    assert row(db)["steps"]["self_assessment"]["status"] == "on_time"
    payload = {
        "reason": "",
        "submitted_at": "x",
        "deadline": None,
        "cleared_steps": ["self_assessment"],
    }
    with db.transaction() as tx:
        assert apply(tx, s("UnitAssessment", UA, "SelfAssessmentWithdrawn", payload, OFFICER))
    got = row(db)
    assert got["steps"]["self_assessment"]["status"] == "missing"
    assert "self_assessment" not in got["levels"] and got["perfunctory_signals"] == []
    todo = todo_for(db, Caller(TENANT, "snv.vanthu", "unit_officer", "SNV"), now=NOW)
    assert [i.step for i in todo.items] == ["self_assessment"]  # waiting for the unit again


def test_supplements_wait_for_the_unit_and_show_to_who_asked(db: SqliteDatabase) -> None:
    s = Stream()
    start(db, s)
    request = {
        "request_id": "r1",
        "reason": "Bổ sung số liệu",
        "due_date": "2013-12-08",
        "requested_by_unit": "SNV",
    }
    with db.transaction() as tx:
        assert apply(tx, s("UnitAssessment", UA, "SupplementRequested", request, HA))
    unit = Caller(TENANT, "snv.vanthu", "unit_officer", "SNV")
    asker = Caller(TENANT, "snv.tonghop", "home_affairs", "SNV")
    other = Caller(TENANT, "someone", "home_affairs", "SNV")
    [waiting] = todo_for(db, unit, now=NOW).supplements
    assert (waiting.reason, waiting.due_date, waiting.answered_at) == (
        "Bổ sung số liệu",
        "2013-12-08",
        None,
    )
    assert len(todo_for(db, asker, now=NOW).supplements) == 1
    assert todo_for(db, other, now=NOW).supplements == []
    answer = {
        "request_id": "r1",
        "text": "Đây",
        "evidence": [],
        "deadline": None,
        "late_by_seconds": 0,
    }
    with db.transaction() as tx:
        assert apply(tx, s("UnitAssessment", UA, "SupplementAnswered", answer, OFFICER))
    assert todo_for(db, unit, now=NOW).supplements == []
    [answered] = todo_for(db, asker, now=NOW).supplements
    assert answered.answered_at is not None
    assert row(db)["supplements"][0]["answered_at"] is not None
