"""What an idle relay costs: CPU of ``python -m assessment.entrypoints.relay`` with nothing to
publish, woken by LISTEN/NOTIFY (fallback poll 2 s) beside the same process polling every
0.05 s (``ASSESSMENT_RELAY_LISTEN=false``), same run, same private database and topics.

Then one event is appended and the time until the relay has published it is printed for
each (commit → the relay's position record in Kafka), to show that the woken relay is not
slower for being idle.

    eval "$(deploy/local/infra.sh env)"
    .venv/bin/python bench/relay_idle.py --seconds 20
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from _common import (
    REPO,
    cpu_seconds_of,
    exit_on_sigterm,
    machine_notes,
    need_env,
    private_database,
    private_topics,
)
from _common import summary as summary_line
from pydantic import SecretStr

from assessment.bootstrap import build_application, load_or_create_signing_key
from assessment.domain.registry.unit import Unit
from shared.kafka import committed_consumer
from shared.settings import AssessmentSettings

ACTOR = {"subject": "bench", "role": "home_affairs", "acting_for": "SNV"}


def append_one(url: str, code: str) -> float:
    app = build_application(AssessmentSettings(mode="production", database_url=SecretStr(url)))
    try:
        unit = Unit.register(
            tenant="bench-tinh",
            actor=ACTOR,
            occurred_at=datetime.now(UTC),
            code=code,
            name=f"Đơn vị {code}",
            kind="department",
            parent_id=None,
        )
        app.save(unit)
        return time.perf_counter()
    finally:
        app.close()


async def position_after(
    bootstrap: str,
    topic: str,
    txid: str,
    start: int,
    timeout: float,
    append: tuple[str, str] | None = None,
) -> float | None:
    """Wait until the relay ``txid`` published a position beyond ``start``; with ``append``
    (url, code), append one event once the consumer is reading and return the milliseconds
    from its commit to the position record read back (None: not seen in ``timeout``)."""
    from aiokafka import TopicPartition

    consumer = committed_consumer(bootstrap, None)
    await consumer.start()
    try:
        tp = TopicPartition(topic, 0)
        consumer.assign([tp])
        await consumer.seek_to_beginning(tp)
        committed = time.perf_counter()
        if append is not None:
            await consumer.getmany(tp, timeout_ms=100)  # connected and fetching
            committed = await asyncio.to_thread(append_one, *append)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            batch = await consumer.getmany(tp, timeout_ms=20)
            for record in batch.get(tp, []):
                mine = record.key == txid.encode() and record.value
                if mine and int(json.loads(record.value)["position"]) > start:
                    return (time.perf_counter() - committed) * 1000
        return None
    finally:
        await consumer.stop()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--seconds", type=float, default=20.0, help="idle seconds measured (≤ 300)")
    args = p.parse_args(argv)
    if not 0 < args.seconds <= 300:
        p.error("--seconds must be in (0, 300]")
    exit_on_sigterm()
    admin, bootstrap = need_env("TEST_DATABASE_URL"), need_env("TEST_KAFKA_BOOTSTRAP")
    print(f"relay_idle · {machine_notes()}")
    results: dict[str, tuple[float, float | None]] = {}
    with (
        private_database(admin) as url,
        private_topics(bootstrap) as topics,
        tempfile.TemporaryDirectory(prefix="bench-idle-") as tmp,
    ):
        key_file = Path(tmp) / "audit-signing-key.pem"
        load_or_create_signing_key(key_file, create=True)
        append_one(url, "SETUP")  # the tables, and something to publish at start
        position = 1
        for name, extra in (
            ("LISTEN/NOTIFY, fallback poll 2 s", {}),
            ("poll every 0.05 s, no LISTEN", {"ASSESSMENT_RELAY_LISTEN": "false",
                                              "ASSESSMENT_RELAY_POLL_SECONDS": "0.05"}),
        ):  # fmt: skip
            txid = f"bench-idle-{uuid.uuid4().hex[:8]}"
            env = {
                **os.environ,
                "ASSESSMENT_MODE": "production",
                "ASSESSMENT_DATABASE_URL": url,
                "ASSESSMENT_KAFKA_BOOTSTRAP": bootstrap,
                "ASSESSMENT_EVENTS_TOPIC": topics.events,
                "ASSESSMENT_POSITION_TOPIC": topics.position,
                "ASSESSMENT_CHECKPOINTS_TOPIC": topics.checkpoints,
                "ASSESSMENT_AUDIT_KEY_FILE": str(key_file),
                "ASSESSMENT_RELAY_TRANSACTIONAL_ID": txid,
                "ASSESSMENT_LOG_LEVEL": "WARNING",
                **extra,
            }
            proc = subprocess.Popen(
                [sys.executable, "-m", "assessment.entrypoints.relay"],
                cwd=REPO,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=(Path(tmp) / f"relay-{txid}.log").open("wb"),
                start_new_session=True,
            )
            try:
                # started and caught up: it published everything so far
                ok = asyncio.run(position_after(bootstrap, topics.position, txid, position - 1, 90))
                if ok is None:
                    raise RuntimeError((Path(tmp) / f"relay-{txid}.log").read_text()[-1500:])
                time.sleep(2.0)  # settle
                cpu0 = cpu_seconds_of([proc.pid])
                time.sleep(args.seconds)
                idle = (cpu_seconds_of([proc.pid]) - cpu0) / args.seconds
                took = asyncio.run(
                    position_after(
                        bootstrap, topics.position, txid, position, 30, (url, f"U{position}")
                    )
                )
                position += 1
                results[name] = (idle, took)
            finally:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=10)
    print()
    for name, (idle, took) in results.items():
        shown = f"{took:.0f} ms" if took is not None else "not seen in 30 s"
        print(
            f"{name:34s} idle CPU {1000 * idle:7.2f} ms/s ({100 * idle:.2f} % of a core); "
            f"one event after the idle period: commit → published (read back) {shown}"
        )
    (li, lt), (pi, _) = (
        results["LISTEN/NOTIFY, fallback poll 2 s"],
        results["poll every 0.05 s, no LISTEN"],
    )
    summary_line(
        "relay idle cost (LISTEN vs 0.05 s poll)",
        f"{1000 * li:.1f} ms CPU/s idle, event published {lt:.0f} ms" if lt else "event lost",
        f"{1000 * pi:.1f} ms CPU/s polling",
        "near zero",
        lt is not None and li < pi,
    )
    return 0


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(main())
