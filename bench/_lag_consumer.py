"""Helper process for ``relay_lag.py`` (not a benchmark): the reporting consumer, timestamped.

Runs ``KafkaBoardConsumer`` on PostgreSQL exactly as production does, through a subclass that
notes the wall-clock time right after each read-model transaction commits, for every envelope
in it, together with the Kafka record timestamp (set by the relay's producer at send time).
Prints ``READY`` once partitions are assigned; on SIGTERM/SIGINT it stops and writes one line
per envelope to ``--out``: ``aggregate_id version applied_ns kafka_create_ms``.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
import time
from pathlib import Path
from typing import Any

from aiokafka import TopicPartition

from reporting.adapters.db import PostgresDatabase
from reporting.consumer.runner import KafkaBoardConsumer, ensure_schema
from shared.envelope import Envelope


class TimedBoardConsumer(KafkaBoardConsumer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.marks: list[tuple[str, int, int, int]] = []
        self._record_ts: list[int] = []

    async def _apply_records(self, tp: TopicPartition, records: list[Any]) -> None:
        self._record_ts = [int(r.timestamp) for r in records]
        await super()._apply_records(tp, records)

    def _apply_tx(
        self, partition: int, envelopes: list[Envelope], next_offset: int
    ) -> tuple[int, int]:
        result = super()._apply_tx(partition, envelopes, next_offset)  # commits
        applied_ns = time.time_ns()
        stamps = self._record_ts if len(self._record_ts) == len(envelopes) else [0] * len(envelopes)
        for env, created_ms in zip(envelopes, stamps, strict=True):
            self.marks.append((env.aggregate_id, env.aggregate_version, applied_ns, created_ms))
        return result


async def run(args: argparse.Namespace) -> None:
    db = PostgresDatabase(args.db)
    ensure_schema(db)
    consumer = TimedBoardConsumer(
        db, args.bootstrap, args.topic, args.group, args.dlq, batch_size=args.batch_size
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await consumer.start()
    try:
        assert consumer.consumer is not None
        while not consumer.consumer.assignment() and not stop.is_set():
            await consumer.poll_once(timeout_ms=200)
        print("READY", flush=True)
        while not stop.is_set():
            await consumer.poll_once()
    finally:
        await consumer.stop()
        db.close()
        with Path(args.out).open("w") as out:
            for aggregate_id, version, applied_ns, created_ms in consumer.marks:
                out.write(f"{aggregate_id} {version} {applied_ns} {created_ms}\n")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--db", required=True, help="read-model PostgreSQL URL")
    p.add_argument("--bootstrap", required=True)
    p.add_argument("--topic", required=True)
    p.add_argument("--dlq", required=True)
    p.add_argument("--group", required=True)
    p.add_argument("--batch-size", type=int, default=500)
    p.add_argument("--out", required=True)
    asyncio.run(run(p.parse_args()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
