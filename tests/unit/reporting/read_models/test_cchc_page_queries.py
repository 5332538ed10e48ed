"""The reads behind reporting's CCHC pages, on SQLite: the sets per year and block, the
appraisers' queue (submitted first, what still waits), every ranking decision (published or
not) with the set's regular fields for the sub-index columns; another tenant sees nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reporting.adapters.db import SqliteDatabase
from reporting.consumer.runner import ensure_schema
from reporting.read_models.cchc_scores.queries import list_sets, queue, rankings
from reporting.read_models.cchc_scores.schema import RANKINGS, SCORINGS, SETS
from reporting.read_models.cchc_scores.todo import cchc_todo_for
from reporting.read_models.rows import store_rows
from shared.identity import Caller

T = "dong-nai"
NODES = [
    {"code": "I", "level": "field", "title": "Chỉ đạo", "max_points": "3", "parent": None,
     "kind": "regular", "method": None},
    {"code": "1", "level": "criterion", "title": "Kế hoạch", "max_points": "2", "parent": "I",
     "kind": "regular", "method": "appraisal"},
    {"code": "2", "level": "criterion", "title": "Báo cáo", "max_points": "1", "parent": "I",
     "kind": "regular", "method": "appraisal"},
    {"code": "IX", "level": "field", "title": "Thưởng", "max_points": "1", "parent": None,
     "kind": "bonus", "method": None},
]  # fmt: skip


def scoring(sid: str, unit: str, status: str, scores: dict[str, dict[str, str]]) -> dict:
    return {"scoring_id": sid, "tenant": T, "unit_id": unit, "year": 2020, "block": "so_nganh",
            "set_id": "s1", "status": status, "scores": scores, "version": 3,
            "updated_at": "2021-01-01T00:00:00+00:00"}  # fmt: skip


@pytest.fixture
def db(tmp_path: Path) -> Iterator[SqliteDatabase]:
    database = SqliteDatabase(tmp_path / "r.sqlite")
    ensure_schema(database)
    with database.transaction() as tx:
        for uid, code, name in (("u1", "SNV", "Sở Nội vụ"), ("u2", "SYT", "Sở Y tế")):
            tx.execute(
                "INSERT INTO rm_unit (unit_id, tenant, code, name, kind, names, version) "
                "VALUES (%s, %s, %s, %s, 'department', '[]', 1)",
                (uid, T, code, name),
            )
        store_rows(tx, SETS, [
            {"set_id": "s1", "tenant": T, "year": 2020, "block": "so_nganh", "set_version": 1,
             "title": "Bộ 2020", "nodes": NODES, "total_points": "3",
             "publication": {"decision_number": "1/QĐ", "decision_date": "2020-03-02",
                             "signer": "CT"}, "version": 2},
            {"set_id": "s2", "tenant": T, "year": 2021, "block": "so_nganh", "set_version": 1,
             "title": "Bộ 2021", "nodes": NODES, "total_points": "3", "publication": None,
             "version": 1},
            {"set_id": "x", "tenant": "ha-noi", "year": 2020, "block": "so_nganh",
             "set_version": 1, "title": "Khác", "nodes": [], "total_points": "100",
             "publication": None, "version": 1},
        ])  # fmt: skip
        store_rows(tx, SCORINGS, [
            scoring("a", "u1", "draft", {"1": {"self": "2"}}),
            scoring("b", "u2", "appraising", {"1": {"self": "2", "appraised": "1.5"},
                                               "2": {"self": "1"}}),
        ])  # fmt: skip
        store_rows(tx, RANKINGS, [
            {"ranking_id": "r1", "tenant": T, "year": 2020, "block": "so_nganh", "set_id": "s1",
             "survey_held": 0, "decision": {"number": "9/QĐ", "date": "2021-02-15",
                                            "signer": "CT"},
             "rows": [{"unit_id": "u1", "name": "Sở Nội vụ", "rank": 1, "index": "100",
                       "fields": {"I": "100"}}],
             "publish_at": None, "published_at": None, "version": 1},
        ])  # fmt: skip
    yield database
    database.close()


def test_sets_by_year_and_block(db: SqliteDatabase) -> None:
    found = list_sets(db, T, year=None, block=None)
    assert [(s["year"], s["title"]) for s in found] == [(2021, "Bộ 2021"), (2020, "Bộ 2020")]
    assert found[1]["publication"]["decision_number"] == "1/QĐ"
    assert [s["set_id"] for s in list_sets(db, T, year=2020, block="so_nganh")] == ["s1"]
    assert list_sets(db, T, year=2020, block="huyen") == []
    assert [s["set_id"] for s in list_sets(db, "ha-noi", year=None, block=None)] == ["x"]


def test_the_queue_puts_units_being_appraised_first_with_what_still_waits(
    db: SqliteDatabase,
) -> None:
    items = queue(db, T, year=2020)
    assert [(i["unit_code"], i["status"]) for i in items] == [
        ("SYT", "appraising"),
        ("SNV", "draft"),
    ]
    syt = items[0]
    assert (syt["self_points"], syt["appraised_points"], syt["waiting"]) == ("3", "1.5", 1)
    assert items[1]["waiting"] == 2
    assert queue(db, "ha-noi", year=2020) == []


def test_rankings_unpublished_too_with_the_regular_fields(db: SqliteDatabase) -> None:
    (found,) = rankings(db, T, year=2020, block="so_nganh")
    assert found["published_at"] is None and found["decision"]["number"] == "9/QĐ"
    assert found["fields"] == [{"code": "I", "title": "Chỉ đạo"}]  # the bonus field is not one
    assert rankings(db, T, year=2019, block=None) == []
    assert rankings(db, "ha-noi", year=None, block=None) == []


def caller(role: str, unit: str | None) -> Caller:
    return Caller(tenant=T, subject="x", role=role, acting_for=unit)


def test_todo_per_role(db: SqliteDatabase) -> None:
    mine = cchc_todo_for(db, caller("unit_head", "SNV"))
    assert [(t.unit_code, t.what, t.href) for t in mine] == [
        ("SNV", "Tự chấm điểm CCHC, phê duyệt báo cáo", "/ho-so/cchc/2020/cham-diem")
    ]
    assert cchc_todo_for(db, caller("unit_officer", "SYT"))[0].what_en.startswith("Follow")
    ha = cchc_todo_for(db, caller("home_affairs", "SNV"))
    assert [(t.unit_code, t.href) for t in ha] == [("SYT", "/ho-so/cchc/2020/SYT/tham-dinh")]
    assert cchc_todo_for(db, caller("chairman", "UBND")) == []
    assert cchc_todo_for(db, caller("unit_officer", None)) == []
    assert cchc_todo_for(db, caller("auditor", None)) == []
