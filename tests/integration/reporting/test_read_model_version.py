"""The read models' version on PostgreSQL (what the pages' cache and ETags are keyed by): empty
before any consumer ran, and changed by every position a consumer saves."""

from __future__ import annotations

from reporting.adapters.db import PostgresDatabase
from reporting.consumer import positions


def test_version_follows_every_consumer_position(pg_url: str) -> None:
    db = PostgresDatabase(pg_url)
    try:
        with db.transaction() as tx:
            positions.create_schema(tx)
            seen = [positions.read_model_version(tx)]
            tx.execute(positions.SAVE_OFFSET, ("reporting", "events", 0, 5))
            seen.append(positions.read_model_version(tx))
            tx.execute(positions.SAVE_OFFSET, ("reporting", "events", 1, 7))
            seen.append(positions.read_model_version(tx))
            tx.execute(positions.SAVE_OFFSET, ("reporting", "events", 0, 6))
            seen.append(positions.read_model_version(tx))
            tx.execute(positions.SAVE_BUS_POSITION, ("ballot-results", 3))
            seen.append(positions.read_model_version(tx))
            again = positions.read_model_version(tx)
    finally:
        db.close()
    assert seen[0] == ""
    assert len(set(seen)) == len(seen)  # every saved position gives a new version
    assert again == seen[-1]  # and reading changes nothing
