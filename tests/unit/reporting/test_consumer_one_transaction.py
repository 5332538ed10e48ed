"""The reporting consumer's read-model transaction (issue 14 item 3): what one transaction
applies — rows and each partition's next offset — commits together or not at all, and the
stored offsets are read inside it (no transaction of its own before it)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reporting.adapters.db import SqliteDatabase
from reporting.consumer import runner
from reporting.consumer.runner import KafkaBoardConsumer, ensure_schema
from shared.envelope import Envelope, event_id_for


def registered(aggregate_id: str, position: int) -> Envelope:
    return Envelope(
        event_id=event_id_for(aggregate_id, 1),
        type="assessment.Unit.Registered",
        tenant="dong-nai",
        aggregate_type="Unit",
        aggregate_id=aggregate_id,
        aggregate_version=1,
        global_position=position,
        occurred_at="2026-12-02T00:00:00+00:00",
        recorded_at="2026-12-02T00:00:00+00:00",
        actor={"subject": "snv", "role": "home_affairs", "acting_for": "SNV"},
        payload={"code": f"U{position}", "name": f"Đơn vị {position}", "kind": "department"},
    )


def offsets(db: SqliteDatabase) -> dict[int, int]:
    with db.transaction() as tx:
        rows = tx.fetchall("SELECT part, next_offset FROM rm_offsets")
    return {int(r[0]): int(r[1]) for r in rows}


def units(db: SqliteDatabase) -> int:
    with db.transaction() as tx:
        row = tx.fetchone("SELECT count(*) FROM rm_unit")
    return int(row[0]) if row else 0


def test_rows_and_offsets_of_one_transaction_commit_together(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every partition of a fetch in one transaction: a failure after the rows were folded
    (here: writing the offsets) leaves neither rows nor offsets."""
    db = SqliteDatabase(tmp_path / "rm.sqlite")
    try:
        ensure_schema(db)
        consumer = KafkaBoardConsumer(db, "127.0.0.1:1", "events", "board", "dlq")
        work = [
            (0, [registered("00000000-0000-0000-0000-00000000000a", 1)], 5),
            (2, [registered("00000000-0000-0000-0000-00000000000b", 2)], 9),
        ]
        calls: list[int] = []
        apply_all = runner.registry.apply_all

        def counted(tx: Any, envelopes: Any, *args: Any) -> Any:
            calls.append(len(envelopes))
            return apply_all(tx, envelopes, *args)

        monkeypatch.setattr(runner.registry, "apply_all", counted)
        monkeypatch.setattr(runner.positions, "SAVE_OFFSET", "INSERT INTO no_such_table VALUES (?)")
        with pytest.raises(Exception, match="no_such_table"):
            consumer._apply_tx(work)
        assert calls == [2]  # both partitions folded in one pass
        assert offsets(db) == {} and units(db) == 0  # partition 0 was not committed on its own

        monkeypatch.undo()
        assert consumer._apply_tx(work) == (2, 0)
        assert offsets(db) == {0: 5, 2: 9} and units(db) == 2
        assert consumer._apply_tx(work) == (0, 2)  # the same again: duplicates, per partition
    finally:
        db.close()


def test_what_lies_below_the_stored_offsets_is_skipped_in_the_same_transaction(
    tmp_path: Path,
) -> None:
    """A re-delivered fetch (after a rebalance or a seek): the offsets are read in the
    applying transaction; records below them are not applied again, the offset stays."""
    db = SqliteDatabase(tmp_path / "rm.sqlite")
    try:
        ensure_schema(db)
        consumer = KafkaBoardConsumer(db, "127.0.0.1:1", "events", "board", "dlq")
        a = registered("00000000-0000-0000-0000-00000000000a", 1)
        b = registered("00000000-0000-0000-0000-00000000000b", 2)
        assert consumer._apply_tx([(0, [a], 4)], {0: [3]}) == (1, 0)
        assert offsets(db) == {0: 4}
        # the same record again, then a new one: only the new one is applied
        assert consumer._apply_tx([(0, [a, b], 8)], {0: [3, 7]}) == (1, 0)
        assert offsets(db) == {0: 8}
        # all below: nothing applied, the offset does not move back
        assert consumer._apply_tx([(0, [a], 4)], {0: [3]}) == (0, 0)
        assert offsets(db) == {0: 8}
    finally:
        db.close()
