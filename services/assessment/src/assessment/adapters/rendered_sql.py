"""The PostgreSQL recorders' statements rendered once, not on every call.

eventsourcing builds its statements as psycopg ``Composed`` objects (identifiers quoted per
call) and ``select_events`` composes a new one for every read: issue 14's profile of a command
over HTTP showed ~5 % of the server in ``Composed``/``Identifier.as_bytes``, plus the rows
built as dicts. Here each statement is rendered to bytes once per recorder (the same SQL text),
``select_events`` keeps one rendered statement per shape of its arguments and reads rows as
tuples. Same rows, same order, same retries (the library's ``retry`` on connection errors).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.utils import retry
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Composable, Identifier


def _rendered(statement: Any) -> Any:
    return statement.as_bytes(None) if isinstance(statement, Composable) else statement


def install_rendered_statements(recorder: Any) -> None:
    """Render an eventsourcing PostgreSQL recorder's fixed statements once, and give it a
    ``select_events`` whose statement per argument shape is rendered once."""
    for name in ("insert_events_statement", "max_notification_id_statement"):
        if hasattr(recorder, name):
            setattr(recorder, name, _rendered(getattr(recorder, name)))
    if hasattr(recorder, "lock_table_statements"):
        recorder.lock_table_statements = [_rendered(s) for s in recorder.lock_table_statements]
    if hasattr(recorder, "channel_name"):
        notify = SQL("NOTIFY {0}").format(Identifier(recorder.channel_name)).as_bytes(None)

        def notify_channel(curs: Any) -> None:
            curs.execute(notify)

        recorder._notify_channel = notify_channel

    head = SQL(
        "SELECT originator_id, originator_version, topic, state FROM {0}.{1} "
        "WHERE originator_id = %s"
    ).format(Identifier(recorder.datastore.schema), Identifier(recorder.events_table_name))
    shapes: dict[tuple[bool, bool, bool, bool], bytes] = {}

    def statement_for(gt: bool, lte: bool, desc: bool, limit: bool) -> bytes:
        key = (gt, lte, desc, limit)
        found = shapes.get(key)
        if found is None:
            statement = head
            if gt:
                statement += SQL(" AND originator_version > %s")
            if lte:
                statement += SQL(" AND originator_version <= %s")
            statement += SQL(" ORDER BY originator_version")
            statement += SQL(" DESC") if desc else SQL(" ASC")
            if limit:
                statement += SQL(" LIMIT %s")
            found = shapes[key] = statement.as_bytes(None)
        return found

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def select_events(
        originator_id: UUID | str,
        *,
        gt: int | None = None,
        lte: int | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> Sequence[StoredEvent]:
        params: list[Any] = [originator_id]
        if gt is not None:
            params.append(gt)
        if lte is not None:
            params.append(lte)
        if limit is not None:
            params.append(limit)
        statement = statement_for(gt is not None, lte is not None, desc, limit is not None)
        with (
            recorder.datastore.get_connection() as conn,
            conn.cursor(row_factory=tuple_row) as curs,
        ):
            curs.execute(statement, params, prepare=True)
            return [
                StoredEvent(
                    originator_id=row[0],
                    originator_version=row[1],
                    topic=row[2],
                    state=bytes(row[3]),
                )
                for row in curs.fetchall()
            ]

    recorder.select_events = select_events
