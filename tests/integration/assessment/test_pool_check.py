"""The store's pool checks a connection without a round trip, and still replaces a dead one.

Real PostgreSQL: the server ends a pooled connection (``pg_terminate_backend``, what a restart
does to it); the next check-out must hand out a working connection, not an error. And a quiet
connection must be handed out without a statement (counting the server's ``xact_commit``
would be fragile; the server's ``pg_stat_activity`` shows the last statement instead).
"""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from psycopg.rows import tuple_row
from psycopg_pool import ConnectionPool
from pydantic import SecretStr

from assessment.application.service import AssessmentApplication
from assessment.bootstrap import build_application
from shared.settings import AssessmentSettings
from shared.sql import check_when_suspect

pytestmark = pytest.mark.integration


@pytest.fixture
def app(pg_url: str) -> Iterator[AssessmentApplication]:
    application = build_application(
        AssessmentSettings(mode="production", database_url=SecretStr(pg_url))
    )
    yield application
    application.close()


def _pool(app: AssessmentApplication) -> ConnectionPool:
    pool: ConnectionPool = app.recorder.datastore.pool  # type: ignore[attr-defined]
    return pool


def test_the_store_pool_uses_the_suspect_check(app: AssessmentApplication) -> None:
    assert _pool(app)._check is check_when_suspect


def test_a_quiet_connection_is_not_pinged(app: AssessmentApplication, pg_admin_url: str) -> None:
    pool = _pool(app)

    def last_statement(pid: int) -> str:
        with psycopg.connect(pg_admin_url, autocommit=True) as admin:
            row = admin.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", (pid,))
            found = row.fetchone()
            assert found is not None
            return str(found[0])

    with pool.connection() as conn:
        conn.execute("SELECT 12345")
        pid = conn.info.backend_pid
        check_when_suspect(conn)
        assert last_statement(pid) == "SELECT 12345"  # no statement sent by the check
        # the stock check would have sent one: the server sees it
        ConnectionPool.check_connection(conn)
        assert last_statement(pid) == ""


def test_a_connection_ended_by_the_server_is_replaced(
    app: AssessmentApplication, pg_admin_url: str
) -> None:
    pool = _pool(app)
    pool.open(wait=True)
    conns = [pool.getconn() for _ in range(pool.get_stats()["pool_size"])]
    ended = conns[0].info.backend_pid
    with psycopg.connect(pg_admin_url, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (ended,))
    for conn in conns:  # back in the same order: the ended one is handed out first
        pool.putconn(conn)
    # (psycopg_pool waits up to a second after a failed check before the next connection;
    # so one ended connection at a time, as a restart under load meets them)
    for _ in range(len(conns) + 2):
        with pool.connection() as conn:
            cur = conn.cursor(row_factory=tuple_row)
            assert cur.execute("SELECT 1").fetchone() == (1,)
            assert conn.info.backend_pid != ended
    # and the application's own reads work at once (no 503, no circuit opened)
    app.recorder.max_notification_id()
    assert app.store_circuit.down is False  # type: ignore[attr-defined]
