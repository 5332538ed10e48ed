"""The rebuild's row cache (SQLite): rows stay in memory until written out, a row written out is
read back for its next event, and read models it cannot fold itself go through ``apply_many``."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import pytest

from reporting.adapters.db import SqliteDatabase, Tx
from reporting.consumer.rebuild_rows import RowCache
from reporting.consumer.runner import ensure_schema
from reporting.read_models import registry
from reporting.read_models.cycle_board import READ_MODEL as BOARD
from shared.envelope import Envelope
from unit.reporting.read_models.test_cycle_board import history, second_unit


@pytest.fixture
def db(tmp_path: Path) -> Iterator[SqliteDatabase]:
    database = SqliteDatabase(tmp_path / "r.sqlite")
    ensure_schema(database)
    yield database
    database.close()


def rows_of(db: SqliteDatabase) -> dict[str, list[tuple[object, ...]]]:
    with db.transaction() as tx:
        return {t: tx.fetchall(f"SELECT * FROM {t} ORDER BY 1") for t in BOARD.tables}


def events() -> list[Envelope]:
    return [*history(), *second_unit(assigned=True)]


def test_rows_are_written_once_at_the_end_and_equal_the_live_fold(
    db: SqliteDatabase, tmp_path: Path
) -> None:
    live = SqliteDatabase(tmp_path / "live.sqlite")
    ensure_schema(live)
    for env in events():
        with live.transaction() as tx:
            registry.apply_all(tx, [env])
    cache = RowCache([BOARD])
    with db.transaction() as tx:
        cache.apply(tx, events())
    assert all(not rows for rows in rows_of(db).values())  # nothing written yet
    with db.transaction() as tx:
        cache.flush(tx)
    assert rows_of(db) == rows_of(live)
    assert cache.written == sum(len(r) for r in rows_of(live).values()) and cache.reloaded == 0
    live.close()


def test_a_row_written_out_is_read_back_for_its_next_event(
    db: SqliteDatabase, tmp_path: Path
) -> None:
    whole = RowCache([BOARD])
    other = SqliteDatabase(tmp_path / "whole.sqlite")
    ensure_schema(other)
    with other.transaction() as tx:
        whole.apply(tx, events())
        whole.flush(tx)
    tiny = RowCache([BOARD], limit=1)
    for env in events():  # pages of one: every other row leaves memory all the time
        with db.transaction() as tx:
            tiny.apply(tx, [env])
    with db.transaction() as tx:
        tiny.flush(tx)
    assert tiny.reloaded > 0 and tiny.written > whole.written
    assert rows_of(db) == rows_of(other)
    other.close()


def test_read_models_without_their_own_folds_are_applied_page_by_page(
    db: SqliteDatabase,
) -> None:
    seen: list[list[str]] = []

    def apply_many(tx: Tx, envelopes: Sequence[Envelope]) -> tuple[int, int]:
        seen.append([e.event_id for e in envelopes])
        return 0, len(envelopes)

    bare = replace(BOARD, name="bare", folds={}, apply_many=apply_many)
    (table, fold) = BOARD.folds["Unit"]
    shared = replace(BOARD, name="shared", folds={"Unit": (table, fold), "Cycle": (table, fold)})
    cache = RowCache([bare, shared])
    assert cache.others == [bare, shared] and cache.folds == {}
    page1, page2 = events()[:3], events()[3:]
    with db.transaction() as tx:
        cache.apply(tx, page1)
        cache.apply(tx, page2)
    assert seen == [[e.event_id for e in page1], [e.event_id for e in page2]]
