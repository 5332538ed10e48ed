"""The relay publishes checkpoints signed while idle, and survives store errors (issue 15)."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.persistence import OperationalError

from assessment.adapters.relay import ApplicationSource
from assessment.application.service import CommandContext
from assessment.bootstrap import build_application, build_sealer, load_or_create_signing_key
from helpers import MutableClock
from shared.relay import Batch, Relay
from shared.settings import AssessmentSettings

CTX = CommandContext(
    tenant="dong-nai", actor={"subject": "snv", "role": "home_affairs", "acting_for": "SNV"}
)


class RecordingTarget:
    def __init__(self) -> None:
        self.batches: list[Batch] = []
        self.checkpoint_position: int | None = None
        self.position = 0

    async def start(self) -> None:
        return None

    async def load_position(self) -> int:
        return self.position

    async def publish(self, batch: Batch) -> None:
        self.batches.append(batch)
        self.position = batch.position
        if batch.checkpoints:
            self.checkpoint_position = batch.checkpoints[-1].position

    async def stop(self) -> None:
        return None


def test_a_checkpoint_signed_while_idle_is_published(tmp_path: Path) -> None:
    settings = AssessmentSettings(
        sqlite_path=tmp_path / "a.sqlite",
        audit_key_file=tmp_path / "audit.pem",
        checkpoint_every_events=1000,
        checkpoint_every_seconds=60,
    )
    load_or_create_signing_key(tmp_path / "audit.pem", create=True)
    app = build_application(settings)
    clock = MutableClock(datetime(2026, 12, 1, 8, 0, tzinfo=UTC))
    sealer = build_sealer(app, settings)
    sealer.clock = clock
    target = RecordingTarget()
    relay = Relay(ApplicationSource(app, sealer), target)
    try:
        for i in range(3):
            app.register_unit(CTX, code=f"U{i}", name=f"Đơn vị {i}", kind="department")
        asyncio.run(relay.drain())
        for i in range(3, 5):
            app.register_unit(CTX, code=f"U{i}", name=f"Đơn vị {i}", kind="department")
        asyncio.run(relay.drain())
        published = [cp.position for b in target.batches for cp in b.checkpoints]
        assert published == [3]  # the first one; the next is not due yet
        clock.advance(seconds=61)  # idle: the sealer signs the head when time is due
        relay.position = None  # as after a restart: read the stored position back
        asyncio.run(relay.drain())
        published = [cp.position for b in target.batches for cp in b.checkpoints]
        assert published == [3, 5], published
        stored = [cp.position for cp in sealer.checkpoints(0, None, 100)]
        assert stored == published  # every stored checkpoint reached the target
        asyncio.run(relay.drain())  # and only once
        assert [cp.position for b in target.batches for cp in b.checkpoints] == [3, 5]
    finally:
        sealer.db.close()
        app.close()


class FlakySource:
    """A store that fails like a restarting PostgreSQL, then comes back."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.calls = 0

    def read_batch(self, after: int, limit: int) -> Batch:
        self.calls += 1
        if self.calls <= self.failures:
            raise OperationalError("terminating connection due to administrator command")
        return Batch([], max(after, 7))


def test_the_relay_survives_store_errors_and_logs_once(caplog: pytest.LogCaptureFixture) -> None:
    target = RecordingTarget()
    relay = Relay(FlakySource(failures=3), target, poll_seconds=0.01)

    async def run() -> None:
        stop = asyncio.Event()
        task = asyncio.create_task(relay.run(stop))
        for _ in range(400):
            await asyncio.sleep(0.02)
            if target.position == 7:
                break
        stop.set()
        await task

    relay_backoff_scale(relay)
    with caplog.at_level(logging.DEBUG, logger="congvu.relay"):
        asyncio.run(run())
    assert target.position == 7, "the relay must keep going after the store comes back"
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and "event store unavailable" in errors[0].getMessage()
    assert any("reachable again" in r.getMessage() for r in caplog.records)


def relay_backoff_scale(relay: Any) -> None:
    """Shorten the backoff sleeps for the test (same loop, same states)."""

    async def quick(stop: asyncio.Event, seconds: float) -> None:
        await asyncio.sleep(min(seconds, 0.01))

    relay._sleep = quick
