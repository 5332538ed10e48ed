"""The relay: follow a store's log and publish envelopes, with no loss (every service).

One loop, two targets: Kafka (production; records and the new position committed in one Kafka
transaction) and the in-process bus (embedded; subscribers store their own position with their
rows). A crash anywhere re-reads the position and re-sends from there: Kafka aborts the open
transaction, and bus subscribers drop what they already applied.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from dataclasses import dataclass, field
from typing import Protocol

from aiokafka import AIOKafkaProducer, TopicPartition
from aiokafka.errors import KafkaError

from shared.audit import Checkpoint
from shared.bus import InProcessBus
from shared.envelope import Envelope, canonical_json
from shared.kafka import committed_consumer, transactional_producer

log = logging.getLogger("congvu.relay")


@dataclass(frozen=True)
class Batch:
    envelopes: list[Envelope]
    position: int  # last store position covered (``after`` when nothing new)
    checkpoints: list[Checkpoint] = field(default_factory=list)


class NotificationSource(Protocol):
    """What the relay needs from the event-sourced application."""

    def read_batch(self, after: int, limit: int) -> Batch:
        """Envelopes after position ``after`` (exclusive), at most ``limit`` notifications."""
        ...


class RelayTarget(Protocol):
    async def start(self) -> None: ...
    async def load_position(self) -> int: ...
    async def publish(self, batch: Batch) -> None: ...
    async def stop(self) -> None: ...


class BusTarget:
    def __init__(self, bus: InProcessBus) -> None:
        self.bus = bus

    async def start(self) -> None:
        return None

    async def load_position(self) -> int:
        return await asyncio.to_thread(self.bus.position)

    async def publish(self, batch: Batch) -> None:
        await asyncio.to_thread(self.bus.publish, batch.envelopes, batch.position)

    async def stop(self) -> None:
        return None


class KafkaTarget:
    """Transactional producer; the position travels in the same transaction as the records."""

    def __init__(
        self,
        bootstrap: str,
        events_topic: str,
        position_topic: str,
        transactional_id: str,
        checkpoints_topic: str | None = None,
    ) -> None:
        self.bootstrap = bootstrap
        self.events_topic = events_topic
        self.position_topic = position_topic
        self.checkpoints_topic = checkpoints_topic
        self.transactional_id = transactional_id
        self._producer: AIOKafkaProducer | None = None

    async def start(self) -> None:
        producer = transactional_producer(self.bootstrap, self.transactional_id)
        try:
            await producer.start()  # init_transactions fences any zombie with the same id
        except BaseException:
            await producer.stop()
            raise
        self._producer = producer

    async def stop(self) -> None:
        if self._producer is not None:
            producer, self._producer = self._producer, None
            await producer.stop()

    async def load_position(self) -> int:
        consumer = committed_consumer(self.bootstrap, None)
        await consumer.start()
        try:
            tp = TopicPartition(self.position_topic, 0)
            consumer.assign([tp])
            await consumer.seek_to_beginning(tp)
            end = (await consumer.end_offsets([tp]))[tp]
            position = 0
            key = self.transactional_id.encode()
            while await consumer.position(tp) < end:
                batch = await consumer.getmany(tp, timeout_ms=1000)
                for record in batch.get(tp, []):
                    if record.key == key and record.value:
                        position = int(json.loads(record.value)["position"])
            return position
        finally:
            await consumer.stop()

    async def publish(self, batch: Batch) -> None:
        producer = self._producer
        if producer is None:
            raise RuntimeError("Kafka target not started")
        async with producer.transaction():
            for env in batch.envelopes:
                await producer.send(
                    self.events_topic, value=env.to_json_bytes(), key=env.aggregate_id.encode()
                )
            if self.checkpoints_topic:
                for cp in batch.checkpoints:
                    await producer.send(
                        self.checkpoints_topic,
                        key=cp.service.encode(),
                        value=canonical_json(cp.to_dict()),
                    )
            await producer.send(
                self.position_topic,
                key=self.transactional_id.encode(),
                value=json.dumps({"position": batch.position}).encode(),
            )


class Relay:
    def __init__(
        self,
        source: NotificationSource,
        target: RelayTarget,
        *,
        batch_size: int = 500,
        poll_seconds: float = 0.5,
    ) -> None:
        self.source = source
        self.target = target
        self.batch_size = batch_size
        self.poll_seconds = poll_seconds
        self.position: int | None = None
        self._wake = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None

    def wake(self) -> None:
        """Thread-safe: called by the application after each save."""
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._wake.set)

    async def run_once(self) -> int:
        """Publish one batch; returns how many notifications were consumed."""
        if self.position is None:
            self.position = await self.target.load_position()
        after = self.position
        batch = await asyncio.to_thread(self.source.read_batch, after, self.batch_size)
        if batch.position == after:
            return 0
        await self.target.publish(batch)
        self.position = batch.position
        return len(batch.envelopes) or 1

    async def drain(self) -> None:
        while await self.run_once():
            pass

    async def run(self, stop: asyncio.Event) -> None:
        """Publish until ``stop``; a broker that is down (at start or later) is retried with
        backoff while commands keep being stored, and the relay catches up when it returns."""
        self._loop = asyncio.get_running_loop()
        started = False
        backoff = 0.5
        try:
            while not stop.is_set():
                try:
                    if not started:
                        await self.target.start()
                        started = True
                    moved = await self.run_once()
                    backoff = 0.5
                except (KafkaError, OSError) as exc:
                    log.warning("relay: target unavailable (%s); retrying in %.1f s", exc, backoff)
                    self.position = None
                    if started:
                        await self._stop_quietly()
                        started = False
                    await self._sleep(stop, backoff)
                    backoff = min(backoff * 2, 10.0)
                    continue
                if moved:
                    continue
                self._wake.clear()
                waiter = asyncio.create_task(self._wake.wait())
                stopper = asyncio.create_task(stop.wait())
                await asyncio.wait(
                    {waiter, stopper},
                    timeout=self.poll_seconds,
                    return_when=asyncio.FIRST_COMPLETED,
                )
                waiter.cancel()
                stopper.cancel()
        finally:
            if started:
                await self.target.stop()

    @staticmethod
    async def _sleep(stop: asyncio.Event, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=seconds)

    async def _stop_quietly(self) -> None:
        try:
            await self.target.stop()
        except Exception:
            log.debug("relay: stopping broken target failed", exc_info=True)
