"""Which of many aggregates exist, in one query (PostgreSQL event store).

eventsourcing answers one originator at a time (``select_events(id, limit=1)``); an import of
thousands of rows would pay one round trip per row. ``existing_ids`` asks the events table
once for the whole list (the primary key's index, ``originator_id = ANY(...)``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from psycopg.sql import SQL, Identifier


def install_existing_ids(recorder: Any) -> None:
    """Give an eventsourcing PostgreSQL recorder ``existing_ids(ids) -> set[UUID]``."""
    statement = SQL(
        "SELECT DISTINCT originator_id FROM {0}.{1} WHERE originator_id = ANY(%s)"
    ).format(Identifier(recorder.datastore.schema), Identifier(recorder.events_table_name))
    text_ids = recorder.datastore.originator_id_type == "text"

    def existing_ids(ids: Sequence[UUID]) -> set[UUID]:
        if not ids:
            return set()
        params = [str(i) for i in ids] if text_ids else list(ids)
        with recorder.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(statement, (params,))
            found = (r["originator_id"] for r in curs.fetchall())
            return {i if isinstance(i, UUID) else UUID(str(i)) for i in found}

    recorder.existing_ids = existing_ids
