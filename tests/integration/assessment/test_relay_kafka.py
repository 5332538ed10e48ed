"""The relay on real PostgreSQL and Kafka: no loss, nothing twice, even when killed."""

from __future__ import annotations

import asyncio
import collections
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import SecretStr

from assessment.adapters.relay import ApplicationSource, Batch, KafkaTarget, Relay
from assessment.application.service import AssessmentApplication
from assessment.bootstrap import build_application
from assessment.domain.registry.unit import Unit
from kafka_helpers import read_all
from shared.envelope import Envelope
from shared.settings import AssessmentSettings

pytestmark = pytest.mark.integration
ACTOR = {"subject": "loader", "role": "home_affairs", "acting_for": "SNV"}


@pytest.fixture
def app(pg_url: str) -> Iterator[AssessmentApplication]:
    application = build_application(
        AssessmentSettings(mode="production", database_url=SecretStr(pg_url))
    )
    yield application
    application.close()


def load_units(app: AssessmentApplication, count: int, per_save: int = 200) -> None:
    now = datetime.now(UTC)
    for start in range(0, count, per_save):
        units = []
        for i in range(start, min(count, start + per_save)):
            unit = Unit.register(
                tenant="dong-nai",
                actor=ACTOR,
                occurred_at=now,
                code=f"U{i:05d}",
                name=f"Đơn vị {i}",
                kind="department",
                parent_id=None,
            )
            unit.rename(actor=ACTOR, occurred_at=now, name=f"Đơn vị số {i}")
            units.append(unit)
        app.save(*units)


def assert_exactly_once(records: Sequence[object], expected: int) -> list[Envelope]:
    envelopes = [Envelope.from_json_bytes(r.value) for r in records]  # type: ignore[attr-defined]
    counts = collections.Counter(e.event_id for e in envelopes)
    dupes = [k for k, n in counts.items() if n > 1]
    assert not dupes, f"{len(dupes)} events delivered twice"
    assert len(counts) == expected, f"{expected - len(counts)} events lost"
    for rec, env in zip(records, envelopes, strict=True):
        assert rec.key == env.aggregate_id.encode()  # type: ignore[attr-defined]
    return envelopes


def test_relay_publishes_every_event_once_with_its_position(
    app: AssessmentApplication, kafka_bootstrap: str, kafka_topics: dict[str, str]
) -> None:
    load_units(app, 300)
    tid = f"relay-{uuid.uuid4().hex[:8]}"

    async def run() -> int | None:
        target = KafkaTarget(kafka_bootstrap, kafka_topics["events"], kafka_topics["position"], tid)
        relay = Relay(ApplicationSource(app), target, batch_size=64)
        await target.start()
        try:
            await relay.drain()
        finally:
            await target.stop()
        return relay.position

    position = asyncio.run(run())
    assert position == app.recorder.max_notification_id()
    envelopes = assert_exactly_once(
        asyncio.run(read_all(kafka_bootstrap, kafka_topics["events"])), 600
    )
    per_unit = collections.defaultdict(list)
    for e in envelopes:
        per_unit[e.aggregate_id].append(e.aggregate_version)
    assert all(v == [1, 2] for v in per_unit.values())  # per-key order kept
    assert envelopes[0].payload.get("code", "").startswith("U")
    assert "_state" not in json.dumps(envelopes[0].payload)

    async def read_position() -> int:
        target = KafkaTarget(kafka_bootstrap, kafka_topics["events"], kafka_topics["position"], tid)
        return await target.load_position()

    assert asyncio.run(read_position()) == position


class CrashingTarget(KafkaTarget):
    """Dies in the middle of its n-th transaction, as a process would on SIGKILL."""

    def __init__(self, *args: object, crash_on_batch: int) -> None:
        super().__init__(*args)  # type: ignore[arg-type]
        self.crash_on_batch = crash_on_batch
        self.batches = 0

    async def publish(self, batch: Batch) -> None:
        envelopes = batch.envelopes
        self.batches += 1
        if self.batches == self.crash_on_batch:
            assert self._producer is not None
            await self._producer.begin_transaction()
            for env in envelopes[: len(envelopes) // 2]:
                await self._producer.send_and_wait(
                    self.events_topic, env.to_json_bytes(), key=env.aggregate_id.encode()
                )
            raise RuntimeError("simulated crash mid-transaction")
        await super().publish(batch)


def test_crash_mid_transaction_then_restart_loses_and_repeats_nothing(
    app: AssessmentApplication, kafka_bootstrap: str, kafka_topics: dict[str, str]
) -> None:
    load_units(app, 250)
    tid = f"relay-{uuid.uuid4().hex[:8]}"
    args = (kafka_bootstrap, kafka_topics["events"], kafka_topics["position"], tid)

    async def crash_then_restart() -> None:
        crashing = CrashingTarget(*args, crash_on_batch=3)
        relay = Relay(ApplicationSource(app), crashing, batch_size=50)
        await crashing.start()
        with pytest.raises(RuntimeError):
            await relay.drain()
        # the dead relay's producer is simply abandoned (no abort sent), like a killed process
        fresh = KafkaTarget(*args)
        await fresh.start()  # same transactional id: fences the zombie, aborts its open tx
        try:
            await Relay(ApplicationSource(app), fresh, batch_size=50).drain()
        finally:
            await fresh.stop()
        if crashing._producer is not None:
            with pytest.raises(Exception):
                await crashing._producer.send_and_wait(kafka_topics["events"], b"zombie")

    asyncio.run(crash_then_restart())
    committed = asyncio.run(read_all(kafka_bootstrap, kafka_topics["events"]))
    assert_exactly_once(committed, 500)
    uncommitted = asyncio.run(read_all(kafka_bootstrap, kafka_topics["events"], committed=False))
    assert len(uncommitted) > len(committed)  # the aborted half-batch is in the log, unseen


def test_relay_process_killed_repeatedly_then_restarted(
    app: AssessmentApplication, pg_url: str, kafka_bootstrap: str, kafka_topics: dict[str, str]
) -> None:
    load_units(app, 2000, per_save=500)
    total = app.recorder.max_notification_id()
    env = {
        **os.environ,
        "ASSESSMENT_MODE": "production",
        "ASSESSMENT_DATABASE_URL": pg_url,
        "ASSESSMENT_KAFKA_BOOTSTRAP": kafka_bootstrap,
        "ASSESSMENT_EVENTS_TOPIC": kafka_topics["events"],
        "ASSESSMENT_POSITION_TOPIC": kafka_topics["position"],
        "ASSESSMENT_RELAY_TRANSACTIONAL_ID": f"relay-{uuid.uuid4().hex[:8]}",
        "ASSESSMENT_RELAY_BATCH_SIZE": "100",
        "ASSESSMENT_LOG_LEVEL": "WARNING",
    }
    cmd = [sys.executable, "-m", "assessment.entrypoints.relay"]
    kills = 0
    for delay in (3.0, 3.5, 4.0):
        proc = subprocess.Popen(cmd, env=env)
        time.sleep(delay)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait(timeout=30)
    done = subprocess.run([*cmd, "--once"], env=env, timeout=180, check=False)
    assert done.returncode == 0
    assert kills >= 1
    records = asyncio.run(read_all(kafka_bootstrap, kafka_topics["events"]))
    assert_exactly_once(records, int(total or 0))


def test_sealed_events_and_checkpoints_on_kafka_verify_from_the_topic_alone(
    app: AssessmentApplication,
    pg_url: str,
    kafka_bootstrap: str,
    kafka_topics: dict[str, str],
    tmp_path: Path,
) -> None:
    from assessment.bootstrap import build_sealer, load_or_create_signing_key

    key = tmp_path / "audit.pem"
    load_or_create_signing_key(key, create=True)
    settings = AssessmentSettings(
        mode="production",
        database_url=SecretStr(pg_url),
        audit_key_file=key,
        checkpoint_every_events=100,
    )
    sealer = build_sealer(app, settings)
    load_units(app, 150, per_save=50)

    async def run() -> None:
        target = KafkaTarget(
            kafka_bootstrap,
            kafka_topics["events"],
            kafka_topics["position"],
            f"relay-{uuid.uuid4().hex[:8]}",
            kafka_topics["checkpoints"],
        )
        await target.start()
        try:
            await Relay(ApplicationSource(app, sealer), target, batch_size=40).drain()
        finally:
            await target.stop()

    asyncio.run(run())
    sealer.db.close()
    records = asyncio.run(read_all(kafka_bootstrap, kafka_topics["events"]))
    envelopes = assert_exactly_once(records, 300)
    assert all(e.hash and len(e.hash) == 64 for e in envelopes)
    cmd = [
        sys.executable,
        "-m",
        "embedded.audit_cli",
        "verify",
        "--kafka",
        kafka_bootstrap,
        "--events-topic",
        kafka_topics["events"],
        "--checkpoints-topic",
        kafka_topics["checkpoints"],
        "--public-key",
        str(key),
        "--json",
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["events"] == 300 and report["checkpoints_checked"] >= 3


def test_broker_down_commands_still_stored_relay_catches_up(
    app: AssessmentApplication, kafka_bootstrap: str, kafka_topics: dict[str, str]
) -> None:
    import socket

    with socket.socket() as s:  # a loopback port nobody listens on: "Kafka is down"
        s.bind(("127.0.0.1", 0))
        dead = f"127.0.0.1:{s.getsockname()[1]}"
    target = KafkaTarget(
        dead, kafka_topics["events"], kafka_topics["position"], f"relay-{uuid.uuid4().hex[:8]}"
    )
    relay = Relay(ApplicationSource(app), target, batch_size=50, poll_seconds=0.1)

    async def scenario() -> None:
        stop = asyncio.Event()
        task = asyncio.create_task(relay.run(stop))
        load_units(app, 60)  # commands keep succeeding while the broker is unreachable
        await asyncio.sleep(2.0)
        assert not task.done()  # the relay waits and retries, it does not die
        target.bootstrap = kafka_bootstrap  # the broker is back
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 60
        while relay.position != app.recorder.max_notification_id():
            assert loop.time() < deadline, "relay did not catch up"
            await asyncio.sleep(0.2)
        stop.set()
        await asyncio.wait_for(task, 30)

    asyncio.run(scenario())
    assert_exactly_once(asyncio.run(read_all(kafka_bootstrap, kafka_topics["events"])), 120)
