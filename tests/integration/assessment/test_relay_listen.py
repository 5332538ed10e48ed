"""The relay woken by PostgreSQL: an event appended by another process is published as soon as
its transaction commits (LISTEN/NOTIFY), long before the fallback poll, also after the
listening connection was killed by the server."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime

import psycopg
import pytest
from pydantic import SecretStr

from assessment.adapters.relay import ApplicationSource, Batch, Relay
from assessment.application.service import AssessmentApplication
from assessment.bootstrap import build_application
from assessment.domain.registry.unit import Unit
from shared.pg_listen import APPLICATION_NAME, NotifyWakeup
from shared.settings import AssessmentSettings

pytestmark = pytest.mark.integration
ACTOR = {"subject": "loader", "role": "home_affairs", "acting_for": "SNV"}
POLL = 120.0  # both polls far longer than the test: only a notification can wake the relay
WAIT = 15.0  # how long the test waits for an event (well under POLL)


def build(pg_url: str) -> AssessmentApplication:
    return build_application(AssessmentSettings(mode="production", database_url=SecretStr(pg_url)))


@pytest.fixture
def writer(pg_url: str) -> Iterator[AssessmentApplication]:
    """Another process's application, appending to the same store."""
    app = build(pg_url)
    yield app
    app.close()


@pytest.fixture
def reader(pg_url: str, writer: AssessmentApplication) -> Iterator[AssessmentApplication]:
    app = build(pg_url)  # the relay's own application (after the writer made the tables)
    yield app
    app.close()


def append_unit(app: AssessmentApplication, code: str) -> None:
    app.save(
        Unit.register(
            tenant="dong-nai",
            actor=ACTOR,
            occurred_at=datetime.now(UTC),
            code=code,
            name=f"Đơn vị {code}",
            kind="department",
            parent_id=None,
        )
    )


class Published:
    """The relay's target: remembers what was published (the store and relay are real)."""

    def __init__(self) -> None:
        self.codes: list[str] = []
        self.arrived = asyncio.Event()

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def load_position(self) -> int:
        return 0

    async def publish(self, batch: Batch) -> None:
        self.codes += [str(e.payload.get("code")) for e in batch.envelopes]
        self.arrived.set()

    async def wait_for(self, code: str) -> None:
        while code not in self.codes:
            self.arrived.clear()
            await asyncio.wait_for(self.arrived.wait(), WAIT)


async def kill_listener(pg_admin_url: str, database: str) -> int:
    async with await psycopg.AsyncConnection.connect(pg_admin_url, autocommit=True) as conn:
        cur = await conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE application_name = %s AND datname = %s",
            (APPLICATION_NAME, database),
        )
        return len(await cur.fetchall())


def test_an_appended_event_is_relayed_on_notify_before_any_poll(
    pg_url: str, pg_admin_url: str, writer: AssessmentApplication, reader: AssessmentApplication
) -> None:
    append_unit(writer, "U-BEFORE")
    database = pg_url.rsplit("/", 1)[1]

    async def scenario() -> None:
        target = Published()
        relay = Relay(ApplicationSource(reader), target, poll_seconds=POLL)
        listener = NotifyWakeup(
            pg_url, reader.recorder.channel_name, relay, fallback_poll_seconds=POLL
        )
        stop = asyncio.Event()
        tasks = [asyncio.create_task(relay.run(stop)), asyncio.create_task(listener.run(stop))]
        try:
            await target.wait_for("U-BEFORE")  # the start-up read
            await asyncio.wait_for(listener.connected.wait(), WAIT)
            assert relay.poll_seconds == POLL

            await asyncio.to_thread(append_unit, writer, "U-NOTIFIED")
            await target.wait_for("U-NOTIFIED")  # woken by NOTIFY, not by a 120 s poll
            assert listener.notifications >= 1

            # the server drops the listening connection (as in a restart): the listener
            # reconnects, and the next event is again relayed at once
            assert await kill_listener(pg_admin_url, database) == 1
            for _ in range(int(WAIT / 0.05)):
                if listener.connections >= 2 and listener.connected.is_set():
                    break
                await asyncio.sleep(0.05)
            assert listener.connections == 2 and listener.connected.is_set()
            await asyncio.to_thread(append_unit, writer, "U-AFTER-RECONNECT")
            await target.wait_for("U-AFTER-RECONNECT")
            assert target.codes == ["U-BEFORE", "U-NOTIFIED", "U-AFTER-RECONNECT"]
        finally:
            stop.set()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    asyncio.run(scenario())


def test_without_listening_the_relay_polls_at_the_short_interval(
    pg_url: str, writer: AssessmentApplication, reader: AssessmentApplication
) -> None:
    """While the LISTEN connection is down the relay keeps its short poll (here: a server
    that refuses the connection); once it stops, the short poll is restored."""

    async def scenario() -> None:
        relay = Relay(ApplicationSource(reader), Published(), poll_seconds=0.05)
        bad = pg_url.replace("/t_", "/no_such_db_t_")
        listener = NotifyWakeup(bad, reader.recorder.channel_name, relay, fallback_poll_seconds=9)
        stop = asyncio.Event()
        task = asyncio.create_task(listener.run(stop))
        await asyncio.sleep(1.0)
        assert not listener.connected.is_set() and listener.connections == 0
        assert relay.poll_seconds == 0.05
        stop.set()
        await asyncio.wait_for(task, WAIT)

    asyncio.run(scenario())
