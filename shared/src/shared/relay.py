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

    @property
    def checkpoint_position(self) -> int | None:
        return self.checkpoints[-1].position if self.checkpoints else None


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
        # last checkpoint published, read back with the position (idle checkpoints are
        # signed at a position already published: the relay must not lose them)
        self.checkpoint_position: int | None = None

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
            checkpoint: int | None = None
            key = self.transactional_id.encode()
            while await consumer.position(tp) < end:
                batch = await consumer.getmany(tp, timeout_ms=1000)
                for record in batch.get(tp, []):
                    if record.key == key and record.value:
                        data = json.loads(record.value)
                        position = int(data["position"])
                        if data.get("checkpoint") is not None:
                            checkpoint = int(data["checkpoint"])
            self.checkpoint_position = checkpoint
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
            if batch.checkpoint_position is not None:
                self.checkpoint_position = batch.checkpoint_position
            record: dict[str, int] = {"position": batch.position}
            if self.checkpoint_position is not None:
                record["checkpoint"] = self.checkpoint_position
            await producer.send(
                self.position_topic,
                key=self.transactional_id.encode(),
                value=json.dumps(record).encode(),
            )


class Relay:
    def __init__(
        self,
        source: NotificationSource,
        target: RelayTarget,
        *,
        batch_size: int = 500,
        poll_seconds: float = 0.5,
        read_ahead: bool = True,
    ) -> None:
        self.source = source
        self.target = target
        self.batch_size = batch_size
        self.poll_seconds = poll_seconds
        # read (and seal) the next batch while the current one is being published, instead
        # of one after the other; publishing stays strictly in order, one batch at a time
        self.read_ahead = read_ahead
        self.position: int | None = None
        self.checkpoint_position: int | None = None
        self._wake = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        # the read started ahead: (position it reads after, its task)
        self._ahead: tuple[int, asyncio.Task[Batch]] | None = None
        self.reads_ahead_used = 0

    def wake(self) -> None:
        """Thread-safe: called by the application after each save."""
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._wake.set)

    async def _read(self, after: int, checkpoints_after: int | None) -> Batch:
        # a wake-up that comes once this read has begun is kept for the next wait: the read
        # may have looked before that event was committed
        self._wake.clear()
        if hasattr(self.source, "checkpoints_after"):
            self.source.checkpoints_after = checkpoints_after
        return await asyncio.to_thread(self.source.read_batch, after, self.batch_size)

    async def _take_ahead(self, after: int) -> Batch | None:
        ahead, self._ahead = self._ahead, None
        if ahead is None:
            return None
        start, task = ahead
        if start != after or task.get_loop() is not asyncio.get_running_loop():
            await self._drop(task)
            return None
        self.reads_ahead_used += 1
        return await task  # its error, if any, is the store's: handled like a direct read's

    @staticmethod
    async def _drop(task: asyncio.Task[Batch]) -> None:
        """Forget a read started ahead, once its thread is done (the source reads one batch
        at a time: the sealer keeps state between a seal and the read that follows it)."""
        if task.done() or task.get_loop() is not asyncio.get_running_loop():
            if task.done() and not task.cancelled():
                task.exception()  # retrieved: never "exception was never retrieved"
            return
        with contextlib.suppress(Exception):
            await task

    async def drop_read_ahead(self) -> None:
        ahead, self._ahead = self._ahead, None
        if ahead is not None:
            await self._drop(ahead[1])

    async def run_once(self) -> int:
        """Publish one batch; returns how many notifications were consumed."""
        if self.position is None:
            await self.drop_read_ahead()
            self.position = await self.target.load_position()
            self.checkpoint_position = getattr(self.target, "checkpoint_position", None)
        after = self.position
        batch = await self._take_ahead(after)
        if batch is None:
            batch = await self._read(after, self.checkpoint_position)
        if batch.position == after and not batch.checkpoints:
            return 0
        if self.read_ahead and batch.position != after:
            # the next batch is read while this one is published; its checkpoints start
            # after those this batch carries
            following = (
                batch.checkpoint_position
                if batch.checkpoint_position is not None
                else self.checkpoint_position
            )
            self._ahead = (
                batch.position,
                asyncio.create_task(self._read(batch.position, following)),
            )
        try:
            await self.target.publish(batch)
        except BaseException:
            await self.drop_read_ahead()  # re-read from the target's position
            raise
        self.position = batch.position
        if batch.checkpoint_position is not None:
            self.checkpoint_position = batch.checkpoint_position
        if batch.position == after:
            return 0  # only an idle checkpoint went out: nothing more to read now
        return len(batch.envelopes) or 1

    async def drain(self) -> None:
        try:
            while await self.run_once():
                pass
        finally:
            await self.drop_read_ahead()

    async def run(self, stop: asyncio.Event) -> None:
        """Publish until ``stop``. A broker or a database that is down (at start or later) is
        retried with backoff while commands keep being stored; the relay never exits on such
        an error and logs one line when a part goes down and one when it is back."""
        self._loop = asyncio.get_running_loop()
        started = False
        backoff = 0.5
        down: str | None = None
        try:
            while not stop.is_set():
                try:
                    if not started:
                        await self.target.start()
                        started = True
                    moved = await self.run_once()
                    backoff = 0.5
                    if down is not None:
                        log.warning("relay: %s reachable again; publishing resumed", down)
                        down = None
                except (KafkaError, OSError) as exc:
                    down = self._went_down(down, "Kafka", exc, backoff)
                    self.position = None
                    if started:
                        await self._stop_quietly()
                        started = False
                    await self._sleep(stop, backoff)
                    backoff = min(backoff * 2, 10.0)
                    continue
                except Exception as exc:  # the store (PostgreSQL restart, pool timeout, …)
                    down = self._went_down(down, "event store", exc, backoff)
                    self.position = None  # re-read: a batch may have been half-published
                    await self._sleep(stop, backoff)
                    backoff = min(backoff * 2, 10.0)
                    continue
                if moved:
                    continue
                # not cleared here: _read clears it when a read begins, so a wake-up that
                # came during the read (or the publish) ends this wait at once
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
            await self.drop_read_ahead()
            if started:
                await self.target.stop()

    @staticmethod
    def _went_down(down: str | None, what: str, exc: BaseException, backoff: float) -> str:
        if down != what:
            log.error(
                "relay: %s unavailable (%s: %s); retrying with backoff, commands are still stored",
                what,
                type(exc).__name__,
                str(exc).splitlines()[0][:200] if str(exc) else "",
            )
        else:
            log.debug(
                "relay: %s still unavailable (%s: %s); next try in %.1f s",
                what,
                type(exc).__name__,
                str(exc).splitlines()[0][:200] if str(exc) else "",
                backoff,
            )
        return what

    @staticmethod
    async def _sleep(stop: asyncio.Event, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=seconds)

    async def _stop_quietly(self) -> None:
        try:
            await self.target.stop()
        except Exception:
            log.debug("relay: stopping broken target failed", exc_info=True)
