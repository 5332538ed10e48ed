"""Reading a topic back the way a reporting consumer would (read_committed)."""

from __future__ import annotations

import asyncio
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition


async def read_all(bootstrap: str, topic: str, *, committed: bool = True) -> list[Any]:
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=None,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        isolation_level="read_committed" if committed else "read_uncommitted",
    )
    await consumer.start()
    try:
        metadata = await consumer._client.fetch_all_metadata()
        parts = metadata.partitions_for_topic(topic) or set()
        if not parts:
            raise AssertionError(f"topic {topic} has no partitions")
        tps = [TopicPartition(topic, p) for p in sorted(parts)]
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        ends = await consumer.end_offsets(tps)
        records: list[Any] = []
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 60
        while any([await consumer.position(tp) < ends[tp] for tp in tps]):
            if loop.time() > deadline:
                raise TimeoutError("topic not read to its end in 60 s")
            batch = await consumer.getmany(timeout_ms=500)
            for recs in batch.values():
                records.extend(recs)
        return records
    finally:
        await consumer.stop()
