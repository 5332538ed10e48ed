"""An aggregate as of a version in one query: its newest snapshot up to that version and the
events after it (PostgreSQL event store).

eventsourcing's repository reads a past version in two statements, each on its own pooled
connection: the newest snapshot ``<= version``, then the events after it ``<= version``. The
as-of read of the audit (issue 14, item 4) pays both round trips and both check-outs for every
read. ``snapshot_and_events`` asks once: the snapshot row (if any) first, then the event rows in
version order, on one connection, with the library's retries on connection errors. The result
comes in PostgreSQL's binary format: the same values (``uuid``, ``bigint``, ``text``,
``bytea``), without the hex text of every ``bytea`` state to send and parse (half the query's
time in the client, ``bench/audit_as_of.py``). The rows are the same stored rows; the caller
maps them with the same mappers (tag checks included) and falls back to the repository when
the snapshot is refused (a forged row: the repository then reads past it to an older one).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.utils import retry
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Identifier


def install_snapshot_and_events(
    recorder: Any, snapshot_recorder: Any, *, binary: bool = True
) -> bool:
    """Give ``recorder`` ``snapshot_and_events(id, version, ahead=0) -> (snapshot row | None,
    [event rows])``; False (nothing installed) when the two tables are not in one database.
    ``ahead``: the events read on past ``version``, up to the snapshot's version + ``ahead``
    (the row cache's read-ahead: one segment per snapshot interval).
    ``binary=False``: results in text format, as until issue 14's second pass (the bench's
    same-run "before")."""
    if getattr(snapshot_recorder, "datastore", None) is not recorder.datastore:
        return False
    datastore: Any = recorder.datastore
    schema = Identifier(datastore.schema)
    statement = (
        SQL(
            "WITH snap AS (SELECT originator_id, originator_version, topic, state FROM {0}.{1} "
            "WHERE originator_id = %(id)s AND originator_version <= %(v)s "
            "ORDER BY originator_version DESC LIMIT 1) "
            "SELECT 0 AS part, originator_id, originator_version, topic, state FROM snap "
            "UNION ALL "
            "SELECT 1, originator_id, originator_version, topic, state FROM {0}.{2} "
            "WHERE originator_id = %(id)s AND originator_version > COALESCE((SELECT "
            "originator_version FROM snap), 0) AND originator_version <= GREATEST(%(v)s, "
            "COALESCE((SELECT originator_version FROM snap), 0) + %(ahead)s) "
            "ORDER BY part, originator_version"
        )
        .format(
            schema,
            Identifier(snapshot_recorder.events_table_name),
            Identifier(recorder.events_table_name),
        )
        .as_bytes(None)
    )
    text_ids = datastore.originator_id_type == "text"

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def snapshot_and_events(
        originator_id: UUID, version: int, ahead: int = 0
    ) -> tuple[StoredEvent | None, list[StoredEvent]]:
        params = {
            "id": str(originator_id) if text_ids else originator_id,
            "v": version,
            "ahead": ahead,
        }
        with (
            datastore.get_connection() as conn,
            conn.cursor(row_factory=tuple_row, binary=binary) as curs,
        ):
            curs.execute(statement, params, prepare=True)
            rows = curs.fetchall()
        snapshot: StoredEvent | None = None
        events: list[StoredEvent] = []
        for part, ident, at, topic, state in rows:
            stored = StoredEvent(
                originator_id=ident, originator_version=at, topic=topic, state=bytes(state)
            )
            if part == 0:
                snapshot = stored
            else:
                events.append(stored)
        return snapshot, events

    recorder.snapshot_and_events = snapshot_and_events
    return True
