"""aiokafka helpers: producer/consumer factories with the settings every service must use."""

from __future__ import annotations

from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer


def transactional_producer(bootstrap: str, transactional_id: str) -> AIOKafkaProducer:
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        transactional_id=transactional_id,
        enable_idempotence=True,
        acks="all",
        linger_ms=5,
        max_batch_size=1_048_576,
        request_timeout_ms=30_000,
    )


def committed_consumer(bootstrap: str, group_id: str | None, **kwargs: Any) -> AIOKafkaConsumer:
    """read_committed, manual offsets (stored by the caller in its own database)."""
    return AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=group_id,
        isolation_level="read_committed",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        **kwargs,
    )
