"""Helper process for ``relay_lag.py`` (not a benchmark): the reporting consumer, timestamped.

Runs ``KafkaBoardConsumer`` on PostgreSQL exactly as production does, through a subclass that
notes the wall-clock time right after each read-model transaction commits, for every envelope
in it, together with the Kafka record timestamp (set by the relay's producer at send time).
Prints ``READY`` once partitions are assigned; on SIGTERM/SIGINT it stops and writes one line
per envelope to ``--out``: ``aggregate_id version applied_ns kafka_create_ms``; with
``--trace``, one line per fetch applied: ``stage start_s end_s records``.

Works with the consumer of this tree (one transaction per fetch) and with an older one on
``PYTHONPATH`` (one transaction per partition: ``relay_lag.py --relay …:tree``).
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

ONE_TX_PER_FETCH = hasattr(KafkaBoardConsumer, "_apply_fetched")


class TimedBoardConsumer(KafkaBoardConsumer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.marks: list[tuple[str, int, int, int]] = []
        self.trace: list[tuple[str, float, float, int]] = []
        self._record_ts: dict[int, list[int]] = {}

    def _mark(self, partition: int, envelopes: list[Envelope], applied_ns: int) -> None:
        # the records applied are the tail of the fetch (a prefix below the stored offset is
        # skipped); with a poison record among them the stamps are not known (0)
        ts = self._record_ts.get(partition, [])
        stamps = ts[len(ts) - len(envelopes) :] if len(ts) >= len(envelopes) else []
        if len(stamps) != len(envelopes):
            stamps = [0] * len(envelopes)
        for env, created_ms in zip(envelopes, stamps, strict=True):
            self.marks.append((env.aggregate_id, env.aggregate_version, applied_ns, created_ms))

    async def poll_once(self, timeout_ms: int = 500) -> int:
        t0 = time.time()
        count = await super().poll_once(timeout_ms)
        if count:
            self.trace.append(("consumer.fetch_applied", t0, time.time(), count))
        return count

    def _read_offsets(self) -> dict[int, int]:
        t0 = time.time()
        offsets = super()._read_offsets()
        self.trace.append(("consumer.read_offsets_tx", t0, time.time(), 0))
        return offsets

    # ---------------------------------------------------- this tree: one tx per fetch
    async def _apply_fetched(self, fetched: dict[TopicPartition, list[Any]]) -> None:
        self._record_ts = {
            tp.partition: [int(r.timestamp) for r in rs] for tp, rs in fetched.items()
        }
        await super()._apply_fetched(fetched)  # type: ignore[misc]

    def _apply_tx(self, *args: Any) -> tuple[int, int]:
        t0 = time.time()
        if ONE_TX_PER_FETCH:
            work = args[0]
            result = super()._apply_tx(*args)  # commits
            applied_ns = time.time_ns()
            for partition, envelopes, _ in work:
                self._mark(partition, envelopes, applied_ns)
            count = sum(len(e) for _, e, _ in work)
        else:  # an older consumer: (partition, envelopes, next_offset), one tx per partition
            partition, envelopes, next_offset = args
            result = super()._apply_tx(partition, envelopes, next_offset)  # type: ignore[call-arg]
            applied_ns = time.time_ns()
            self._mark(partition, envelopes, applied_ns)
            count = len(envelopes)
        self.trace.append(("consumer.apply_tx", t0, applied_ns / 1e9, count))
        return result

    # ---------------------------------------------------- older tree: one tx per partition
    async def _apply_records(self, tp: TopicPartition, records: list[Any]) -> None:
        self._record_ts = {tp.partition: [int(r.timestamp) for r in records]}
        await super()._apply_records(tp, records)  # type: ignore[misc]


def _settle() -> None:
    """The entrypoint's ``settle_heap``, where the tree has it (a ``:tree`` variant may be
    older)."""
    try:
        from shared.runtime import settle_heap
    except ImportError:
        return
    settle_heap()


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
        _settle()  # as the consumer entrypoint does once started
        print("READY", flush=True)
        while not stop.is_set():
            await consumer.poll_once()
    finally:
        await consumer.stop()
        db.close()
        with Path(args.out).open("w") as out:
            for aggregate_id, version, applied_ns, created_ms in consumer.marks:
                out.write(f"{aggregate_id} {version} {applied_ns} {created_ms}\n")
        if args.trace:
            with Path(args.trace).open("w") as out:
                for stage, start, end, count in consumer.trace:
                    out.write(f"{stage} {start:.6f} {end:.6f} {count}\n")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--db", required=True, help="read-model PostgreSQL URL")
    p.add_argument("--bootstrap", required=True)
    p.add_argument("--topic", required=True)
    p.add_argument("--dlq", required=True)
    p.add_argument("--group", required=True)
    p.add_argument("--batch-size", type=int, default=500)
    p.add_argument("--out", required=True)
    p.add_argument("--trace", default=None, help="also write per-fetch timings here")
    asyncio.run(run(p.parse_args()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
