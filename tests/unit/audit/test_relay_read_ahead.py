"""The relay reads the next batch while it publishes the current one (issue 14 item 3).

A scripted source and a target whose publish waits for the test: the order of reads and
publishes is observed, not timed. Publishing stays one batch at a time, in order, each batch
exactly once; a failed publish discards the batch read ahead; a wake-up that comes while the
relay reads or publishes is not lost (the test's poll is an hour: only a kept wake-up can
publish the late event).
"""

from __future__ import annotations

import asyncio
import threading

import pytest

from assessment.entrypoints.relay import build_relay
from shared.envelope import Envelope, event_id_for
from shared.relay import Batch, Relay
from shared.settings import AssessmentSettings

HOUR = 3600.0


def envelope(position: int) -> Envelope:
    return Envelope(
        event_id=event_id_for("a", position),
        type="assessment.Unit.Registered",
        tenant="t",
        aggregate_type="Unit",
        aggregate_id="a",
        aggregate_version=position,
        global_position=position,
        occurred_at="2026-12-02T00:00:00+00:00",
        recorded_at="2026-12-02T00:00:00+00:00",
        actor={"subject": "s", "role": "r", "acting_for": None},
        payload={},
    )


class Log:
    """What the store holds (positions 1..head) and every read, in order, thread-safe."""

    def __init__(self, head: int) -> None:
        self.head = head
        self.lock = threading.Lock()
        self.reads: list[int] = []
        self.in_read = threading.Event()

    def read_batch(self, after: int, limit: int) -> Batch:
        with self.lock:
            self.reads.append(after)
            up_to = min(self.head, after + limit)
        return Batch([envelope(p) for p in range(after + 1, up_to + 1)], max(after, up_to))


class GatedTarget:
    """Publishes only when the test opens the gate; fails once if asked to."""

    def __init__(self, log: Log) -> None:
        self.log = log
        self.published: list[Batch] = []
        self.position = 0
        self.gate = asyncio.Event()
        self.publishing = asyncio.Event()
        self.reads_before_done: list[list[int]] = []
        self.fail_next = False

    async def start(self) -> None:
        return None

    async def load_position(self) -> int:
        return self.position

    async def publish(self, batch: Batch) -> None:
        self.publishing.set()
        await self.gate.wait()
        await asyncio.sleep(0.05)  # let a read that was started ahead run meanwhile
        with self.log.lock:
            self.reads_before_done.append(list(self.log.reads))
        if self.fail_next:
            self.fail_next = False
            raise OSError("broker went away")
        self.published.append(batch)
        self.position = batch.position

    async def stop(self) -> None:
        return None


def positions(target: GatedTarget) -> list[int]:
    return [e.global_position for b in target.published for e in b.envelopes]


async def until(check: object, timeout: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not check():  # type: ignore[operator]
        if loop.time() > deadline:
            raise AssertionError("condition not reached")
        await asyncio.sleep(0.01)


@pytest.mark.parametrize("read_ahead", [True, False])
def test_the_next_batch_is_read_while_one_is_published(read_ahead: bool) -> None:
    log = Log(head=7)
    target = GatedTarget(log)
    relay = Relay(log, target, batch_size=3, poll_seconds=HOUR, read_ahead=read_ahead)

    async def run() -> None:
        target.gate.set()
        await relay.drain()

    asyncio.run(run())
    assert positions(target) == [1, 2, 3, 4, 5, 6, 7]  # in order, each once
    assert [b.position for b in target.published] == [3, 6, 7]
    # when the first publish finished, had the read of the second batch (after 3) begun?
    assert (3 in target.reads_before_done[0]) is read_ahead
    assert relay.reads_ahead_used == (3 if read_ahead else 0)


def test_a_failed_publish_drops_the_batch_read_ahead_and_nothing_is_lost() -> None:
    log = Log(head=6)
    target = GatedTarget(log)
    target.fail_next = True
    relay = Relay(log, target, batch_size=3, poll_seconds=HOUR)

    async def quick(stop: asyncio.Event, seconds: float) -> None:
        await asyncio.sleep(0.01)

    relay._sleep = quick  # type: ignore[method-assign]

    async def run() -> None:
        stop = asyncio.Event()
        task = asyncio.create_task(relay.run(stop))
        target.gate.set()
        await until(lambda: target.position == 6)
        stop.set()
        await task

    asyncio.run(run())
    assert positions(target) == [1, 2, 3, 4, 5, 6]
    # the first batch was read twice (before and after the failure), the rest once each
    assert log.reads.count(0) == 2


def test_a_wake_up_during_a_publish_is_kept() -> None:
    """An event committed while the relay publishes (after its read-ahead looked) is
    published without waiting for the hour-long poll."""
    log = Log(head=2)
    target = GatedTarget(log)
    relay = Relay(log, target, batch_size=10, poll_seconds=HOUR)

    async def run() -> None:
        stop = asyncio.Event()
        task = asyncio.create_task(relay.run(stop))
        await until(target.publishing.is_set)  # batch 1..2 is being published
        await until(lambda: 2 in log.reads)  # ... and the read ahead found nothing yet
        with log.lock:
            log.head = 3  # committed now
        relay.wake()  # the NOTIFY of that commit
        target.gate.set()
        await until(lambda: target.position == 3)
        stop.set()
        await task

    asyncio.run(run())
    assert positions(target) == [1, 2, 3]


def test_the_setting_reaches_the_relay(monkeypatch: pytest.MonkeyPatch) -> None:
    log = Log(head=0)
    assert build_relay(AssessmentSettings(), log, GatedTarget(log)).read_ahead is True  # type: ignore[arg-type]
    monkeypatch.setenv("ASSESSMENT_RELAY_READ_AHEAD", "false")
    relay = build_relay(AssessmentSettings(), log, GatedTarget(log))  # type: ignore[arg-type]
    assert relay.read_ahead is False
