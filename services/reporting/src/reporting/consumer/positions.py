"""Where the consumers are: Kafka offsets per partition, the in-process bus position. Written in
the same transaction as the read models' rows (exactly-once effect)."""

from __future__ import annotations

from reporting.adapters.db import Tx

TABLES = ("rm_offsets", "rm_bus_position")

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS rm_offsets (
        consumer TEXT NOT NULL, topic TEXT NOT NULL, part INTEGER NOT NULL,
        next_offset BIGINT NOT NULL, PRIMARY KEY (consumer, topic, part))""",
    """CREATE TABLE IF NOT EXISTS rm_bus_position (
        consumer TEXT PRIMARY KEY, position BIGINT NOT NULL)""",
]

SAVE_OFFSET = """INSERT INTO rm_offsets (consumer, topic, part, next_offset)
                 VALUES (%s, %s, %s, %s)
                 ON CONFLICT (consumer, topic, part)
                 DO UPDATE SET next_offset = excluded.next_offset"""

SAVE_BUS_POSITION = """INSERT INTO rm_bus_position (consumer, position) VALUES (%s, %s)
                       ON CONFLICT (consumer) DO UPDATE SET position = excluded.position"""


def create_schema(tx: Tx) -> None:
    for statement in SCHEMA:
        tx.execute(statement)


def read_model_version(tx: Tx) -> str:
    """Every consumer's position, as one string: it changes whenever a read model does (the
    rows and the positions are written in one transaction, a rebuild swaps them together), so
    page data kept under it is never stale. Not a clock: nothing expires by time."""
    rows = tx.fetchall(
        "SELECT 'k', consumer, topic, part, next_offset FROM rm_offsets "
        "UNION ALL SELECT 'b', consumer, '', 0, position FROM rm_bus_position "
        "ORDER BY 1, 2, 3, 4"
    )
    return ";".join(f"{k}:{c}:{t}:{p}:{n}" for k, c, t, p, n in rows)
