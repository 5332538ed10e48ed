"""Fail fast while PostgreSQL is down, and work with a least-privilege role.

eventsourcing retries every recorder call 10 times on a connection error, each waiting up to
the pool timeout: during a real outage one request would hang for minutes. The guard wraps the
datastore's connections in a circuit: after a connection failure, calls fail at once with
``StoreUnavailable`` (not retried by the library; the API answers 503 + Retry-After) for a
short cool-down, then one call may try again. Connections are checked before use (a stale
pooled connection after a restart is replaced, not returned as an error) — by
``shared.sql.check_when_suspect``, which pings only a connection whose socket shows the server
said or did something, not every check-out — and connecting gives up after ``connect_timeout``
seconds.

A least-privilege role may not ``LOCK TABLE … IN EXCLUSIVE MODE`` (that needs UPDATE, DELETE
or TRUNCATE); the store's insert lock goes through a ``SECURITY DEFINER`` function the owner
role created (``assessment.adapters.schema``) instead.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from eventsourcing.persistence import InterfaceError, OperationalError
from psycopg import errors as pg_errors
from psycopg.sql import SQL, Identifier
from psycopg_pool import ConnectionPool

from shared.sql import check_when_suspect

log = logging.getLogger("congvu.store")

LOCK_FUNCTION = "assessment_lock_events"


# operational errors of one statement, not of the server: no reason to open the circuit
_NOT_AN_OUTAGE = (pg_errors.TransactionRollback, pg_errors.QueryCanceled)


class StoreUnavailable(OperationalError):
    """The event store cannot be reached right now (circuit open). An ``OperationalError``:
    the library's own retries (10 × 0.2 s) end quickly, and the API's translation of
    operational errors (503 + Retry-After) applies."""


class Circuit:
    def __init__(self, cooldown: float = 3.0) -> None:
        self.cooldown = cooldown
        self._open_until = 0.0
        self._down = False
        self._lock = threading.Lock()

    def check(self) -> None:
        with self._lock:
            if time.monotonic() < self._open_until:
                raise StoreUnavailable("event store unavailable (circuit open)")

    def failed(self, exc: BaseException) -> bool:
        """Record a failure; True when the circuit was closed until now (first failure)."""
        with self._lock:
            was_closed = time.monotonic() >= self._open_until
            self._open_until = time.monotonic() + self.cooldown
            if not self._down:
                self._down = True
                log.error("event store unreachable: %s", str(exc).splitlines()[0][:200])
            return was_closed

    def succeeded(self) -> None:
        if self._down:
            with self._lock:
                if self._down:
                    self._down = False
                    log.warning("event store reachable again")

    @property
    def down(self) -> bool:
        return self._down


def guard_datastore(datastore: Any, *, connect_timeout: int, cooldown: float = 3.0) -> Circuit:
    """Install the circuit and the connect timeout on an eventsourcing PostgresDatastore."""
    circuit = Circuit(cooldown)
    datastore.pool.kwargs["connect_timeout"] = connect_timeout
    if getattr(datastore.pool, "_check", None) is ConnectionPool.check_connection:
        # eventsourcing's POSTGRES_PRE_PING gives the pool a ping per check-out; keep the
        # check, without the round trip for a quiet connection (psycopg_pool pinned: 3.3.3)
        datastore.pool._check = check_when_suspect
    original = datastore.get_connection

    @contextmanager
    def get_connection() -> Iterator[Any]:
        circuit.check()
        try:
            with original() as conn:
                yield conn
        except (OperationalError, InterfaceError) as exc:
            if not isinstance(exc.__cause__, _NOT_AN_OUTAGE) and circuit.failed(exc):
                # drop every broken pooled connection now, in the background, so that the
                # pool refills as soon as the server is back
                threading.Thread(target=_check_pool, args=(datastore.pool,), daemon=True).start()
            raise
        circuit.succeeded()

    datastore.get_connection = get_connection
    return circuit


def _check_pool(pool: Any) -> None:
    try:
        pool.check()
    except Exception:
        log.debug("pool check failed", exc_info=True)


def use_lock_function(recorder: Any) -> None:
    """The insert lock through the owner's SECURITY DEFINER function (least privilege)."""
    schema = recorder.datastore.schema
    recorder.lock_table_statements = [
        SQL("SET LOCAL lock_timeout = '{0}s'").format(recorder.datastore.lock_timeout),
        SQL("SELECT {0}.{1}()").format(Identifier(schema), Identifier(LOCK_FUNCTION)),
    ]
