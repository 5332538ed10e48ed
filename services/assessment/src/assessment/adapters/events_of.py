"""The events of many aggregates, in one query (PostgreSQL event store).

eventsourcing reconstructs one aggregate at a time: a snapshot query, then an events query,
each on a pooled connection checked with a round trip of its own. A batch command on an
agency's people (their files, their twelve monthly sheets, their ratings) would pay four round
trips per aggregate. ``events_of`` asks the events table once for the whole list (the primary
key's index, ``originator_id = ANY(...)``), in version order per aggregate; the application
rebuilds each aggregate from all its events (the same state a snapshot would start from).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from psycopg.sql import SQL, Identifier


def install_events_of(recorder: Any) -> None:
    """Give an eventsourcing PostgreSQL recorder ``events_of(ids) -> {id: [StoredEvent]}``."""
    table = (Identifier(recorder.datastore.schema), Identifier(recorder.events_table_name))
    head = "SELECT originator_id, originator_version, topic, state FROM {0}.{1} "
    order = " ORDER BY originator_id, originator_version"
    every = SQL(head + "WHERE originator_id = ANY(%s)" + order).format(*table)
    some = SQL(head + "WHERE originator_id = ANY(%s) AND topic = ANY(%s)" + order).format(*table)
    text_ids = recorder.datastore.originator_id_type == "text"

    def events_of(
        ids: Sequence[UUID], topics: Sequence[str] | None = None
    ) -> dict[UUID, list[StoredEvent]]:
        """All events of ``ids`` (or only those of ``topics``), in version order per id."""
        found: dict[UUID, list[StoredEvent]] = {}
        if not ids:
            return found
        params = [str(i) for i in ids] if text_ids else list(ids)
        with recorder.datastore.get_connection() as conn, conn.cursor() as curs:
            if topics is None:
                curs.execute(every, (params,))
            else:
                curs.execute(some, (params, list(topics)))
            for row in curs.fetchall():
                ident = row["originator_id"]
                key = ident if isinstance(ident, UUID) else UUID(str(ident))
                found.setdefault(key, []).append(
                    StoredEvent(
                        originator_id=ident,
                        originator_version=row["originator_version"],
                        topic=row["topic"],
                        state=bytes(row["state"]),
                    )
                )
        return found

    recorder.events_of = events_of
