"""Wake a relay when PostgreSQL says new events were committed (``LISTEN``/``NOTIFY``).

The event store (eventsourcing's PostgreSQL recorder) issues ``NOTIFY <events table>`` inside
every insert transaction, so the notification arrives when the events are committed. A relay
in its own process listens on that channel with one dedicated autocommit connection and reads
the log as soon as a notification comes, instead of polling every few milliseconds: idle cost
near zero.

Polling stays as the fallback: while listening, the relay still looks every
``fallback_poll_seconds`` (a lost notification costs at most that); while the listening
connection is down (PostgreSQL restarting), the relay goes back to its short poll and the
listener reconnects with backoff, then wakes the relay once (for what was committed while it
was away).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Protocol

import psycopg
from psycopg.sql import SQL, Identifier

log = logging.getLogger("congvu.relay")

APPLICATION_NAME = "congvu-relay-listen"
"""The listening connection's name in ``pg_stat_activity``."""


class Wakeable(Protocol):
    poll_seconds: float

    def wake(self) -> None: ...


class NotifyWakeup:
    """``run`` until cancelled or ``stop``: LISTEN on ``channel``, wake ``relay`` on each
    notification, reconnect after any connection loss."""

    def __init__(
        self,
        conninfo: str,
        channel: str,
        relay: Wakeable,
        *,
        fallback_poll_seconds: float = 2.0,
        check_seconds: float = 5.0,
        connect_timeout: int = 5,
    ) -> None:
        self.conninfo = conninfo
        self.channel = channel
        self.relay = relay
        self.fallback_poll_seconds = fallback_poll_seconds
        self.check_seconds = check_seconds
        self.connect_timeout = connect_timeout
        self.short_poll_seconds = relay.poll_seconds
        self.connected = asyncio.Event()
        self.notifications = 0
        self.connections = 0

    async def run(self, stop: asyncio.Event) -> None:
        backoff = 0.5
        down_logged = False
        while not stop.is_set():
            try:
                async with await psycopg.AsyncConnection.connect(
                    self.conninfo,
                    autocommit=True,
                    connect_timeout=self.connect_timeout,
                    application_name=APPLICATION_NAME,
                ) as conn:
                    await conn.execute(SQL("LISTEN {0}").format(Identifier(self.channel)))
                    self.connections += 1
                    self.relay.poll_seconds = self.fallback_poll_seconds
                    self.connected.set()
                    self.relay.wake()  # whatever was committed while we were not listening
                    if down_logged:
                        log.warning("relay: listening on %s again", self.channel)
                        down_logged = False
                    backoff = 0.5
                    await self._listen(conn, stop)
            except Exception as exc:  # psycopg.Error, OSError, a bad setting: keep polling
                if not down_logged:
                    log.error(
                        "relay: LISTEN connection lost (%s: %s); polling every %g s meanwhile",
                        type(exc).__name__,
                        str(exc).splitlines()[0][:200] if str(exc) else "",
                        self.short_poll_seconds,
                    )
                    down_logged = True
            finally:
                self.connected.clear()
                self.relay.poll_seconds = self.short_poll_seconds
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=backoff)
            backoff = min(backoff * 2, 10.0)

    async def _listen(self, conn: psycopg.AsyncConnection[object], stop: asyncio.Event) -> None:
        while not stop.is_set():
            async for _ in conn.notifies(timeout=self.check_seconds):
                self.notifications += 1
                self.relay.wake()
            # no notification for a while: make sure the connection is still alive (a
            # dead one raises here, and we reconnect)
            await conn.execute("SELECT 1")
