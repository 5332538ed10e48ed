"""SQL databases beside the event store and read models: PostgreSQL and SQLite, one SQL.

SQL is written with ``%s`` placeholders and ``ON CONFLICT`` upserts, which both engines accept
(SQLite gets ``?`` placeholders). JSON is stored as TEXT so the schema is identical.
"""

from __future__ import annotations

import re
import select
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

import psycopg
import psycopg_pool.pool
from psycopg_pool import ConnectionPool
from psycopg_pool.base import AttemptWithBackoff

_PLACEHOLDER = re.compile(r"%s")


class Tx(Protocol):
    def execute(self, sql: str, params: Sequence[Any] = ()) -> None: ...
    def executemany(self, sql: str, params: Sequence[Sequence[Any]]) -> None: ...
    def fetchone(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None: ...
    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...


class Database(Protocol):
    dialect: str

    def transaction(self) -> Any: ...
    def close(self) -> None: ...


class _SqliteTx:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.conn.execute(_PLACEHOLDER.sub("?", sql), tuple(params))

    def executemany(self, sql: str, params: Sequence[Sequence[Any]]) -> None:
        self.conn.executemany(_PLACEHOLDER.sub("?", sql), [tuple(p) for p in params])

    def fetchone(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        row = self.conn.execute(_PLACEHOLDER.sub("?", sql), tuple(params)).fetchone()
        return tuple(row) if row is not None else None

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self.conn.execute(_PLACEHOLDER.sub("?", sql), tuple(params))]


class SqliteDatabase:
    dialect = "sqlite"

    def __init__(self, path: Path | str) -> None:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._lock = threading.RLock()

    @contextmanager
    def transaction(self) -> Iterator[_SqliteTx]:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield _SqliteTx(self._conn)
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def close(self) -> None:
        self._conn.close()


class _PgTx:
    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self.conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.conn.execute(sql, tuple(params))

    def executemany(self, sql: str, params: Sequence[Sequence[Any]]) -> None:
        with self.conn.cursor() as cur:  # psycopg 3 pipelines executemany: one round trip
            cur.executemany(sql, [tuple(p) for p in params])

    def fetchone(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        return self.conn.execute(sql, tuple(params)).fetchone()

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return list(self.conn.execute(sql, tuple(params)).fetchall())


class _CappedAttempt(AttemptWithBackoff):
    """Reconnection attempts at most ``MAX_DELAY`` apart (the library doubles the delay
    without bound: after a 10 s outage the pool would wait 16 s more before trying again)."""

    MAX_DELAY = 1.0

    def update_delay(self, now: float) -> None:
        super().update_delay(now)
        self.delay = min(self.delay, self.MAX_DELAY)


def check_when_suspect(conn: Any) -> None:
    """A pool ``check`` that pings a pooled connection only when there is a reason to.

    ``ConnectionPool.check_connection`` pings on every check-out: one round trip per check-out
    (several per command: issue 14's profile). An idle connection of the pool has nothing to
    read; when the server ends it (restart, ``pg_terminate_backend``, crash) its socket becomes
    readable (the FATAL message, or end of file) or the connection is already marked closed.
    So: a closed connection is refused, a readable (or otherwise unusual) one gets the full
    ping, which raises for a dead one (the pool then discards it and hands out another), and a
    quiet one is handed out without a round trip. A server that vanished without a word (a
    partition) is found by the first statement's error, which opens the store's circuit."""
    if conn.closed or conn.broken:
        raise psycopg.OperationalError("the pooled connection is closed")
    pgconn = conn.pgconn
    if (
        pgconn.status != psycopg.pq.ConnStatus.OK
        or pgconn.transaction_status != psycopg.pq.TransactionStatus.IDLE
    ):
        ConnectionPool.check_connection(conn)
        return
    poller = select.poll()
    poller.register(pgconn.socket, select.POLLIN | select.POLLPRI)
    if poller.poll(0):
        ConnectionPool.check_connection(conn)


def reconnect_promptly() -> None:
    """Make every psycopg pool of this process retry a lost server about once a second.
    Called by the services' bootstrap (a process-wide setting of the pool library)."""
    psycopg_pool.pool.AttemptWithBackoff = _CappedAttempt  # type: ignore[misc]


class PostgresDatabase:
    dialect = "postgres"

    def __init__(
        self,
        url: str,
        max_size: int = 8,
        connect_timeout: int = 2,
        pool_timeout: float = 10.0,
        check: Callable[[Any], None] = ConnectionPool.check_connection,
    ) -> None:
        # fail fast in an outage (connect and pool waits), and check a pooled connection
        # before use: the first request after a PostgreSQL restart gets a fresh one
        # (``check_when_suspect``: the same without a round trip for a quiet connection)
        reconnect_promptly()
        self._pool = ConnectionPool(
            url,
            min_size=1,
            max_size=max_size,
            open=True,
            timeout=pool_timeout,
            check=check,
            reconnect_timeout=float("inf"),
            kwargs={"autocommit": False, "connect_timeout": connect_timeout},
        )

    @contextmanager
    def transaction(self) -> Iterator[_PgTx]:
        with self._pool.connection() as conn, conn.transaction():
            yield _PgTx(conn)

    def close(self) -> None:
        self._pool.close()


def open_database(
    url: str | None,
    sqlite_path: Path,
    connect_timeout: int = 2,
    check: Callable[[Any], None] = ConnectionPool.check_connection,
) -> SqliteDatabase | PostgresDatabase:
    if url:  # callers that want to fail fast in an outage wait no longer than they connect
        return PostgresDatabase(
            url, connect_timeout=connect_timeout, pool_timeout=float(connect_timeout), check=check
        )
    return SqliteDatabase(sqlite_path)
