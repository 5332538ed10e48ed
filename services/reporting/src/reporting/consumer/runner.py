"""Feeding every registered read model (``read_models/registry.py``): from the in-process bus
(embedded) or Kafka (production).

Exactly-once effect: rows and the consumer position (bus position, or Kafka offsets per
partition) are written in one database transaction; on start or assignment the consumer seeks
to the stored offsets. The projections' version guards make any re-delivery harmless.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Sequence
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRebalanceListener, TopicPartition
from aiokafka.errors import KafkaError

from reporting.adapters.db import Database, Tx
from reporting.consumer import positions
from reporting.read_models import registry
from shared.envelope import Envelope
from shared.kafka import committed_consumer

log = logging.getLogger("congvu.reporting.consumer")


def ensure_schema(db: Database) -> None:
    """Create every read model; when one's schema version changed (or it is new), drop its
    tables and every position so that the events are replayed from the first: read models are
    disposable, and the others' version guards make the replay harmless to them."""
    with db.transaction() as tx:
        tx.execute(
            "CREATE TABLE IF NOT EXISTS rm_schema (name TEXT PRIMARY KEY, version INTEGER NOT NULL)"
        )
        for model in registry.READ_MODELS:
            row = tx.fetchone("SELECT version FROM rm_schema WHERE name = %s", (model.name,))
            if row is None or int(row[0]) != model.schema_version:
                for table in (*model.tables, *positions.TABLES):
                    tx.execute(f"DROP TABLE IF EXISTS {table}")
                if row is not None:
                    log.warning(
                        "read model %s schema %s → %s: dropped for replay",
                        model.name,
                        row[0],
                        model.schema_version,
                    )
            model.create_schema(tx)
            tx.execute(
                "INSERT INTO rm_schema (name, version) VALUES (%s, %s) ON CONFLICT (name) "
                "DO UPDATE SET version = excluded.version",
                (model.name, model.schema_version),
            )
        positions.create_schema(tx)


class BoardProjector:
    """In-process bus subscriber (embedded mode), feeding every read model."""

    def __init__(self, db: Database, name: str = "cycle-board") -> None:
        self.db = db
        self.name = name

    def position(self) -> int:
        with self.db.transaction() as tx:
            row = tx.fetchone(
                "SELECT position FROM rm_bus_position WHERE consumer = %s", (self.name,)
            )
        return int(row[0]) if row else 0

    def handle_batch(self, envelopes: Sequence[Envelope], up_to_position: int) -> None:
        with self.db.transaction() as tx:
            registry.apply_all(tx, envelopes)
            tx.execute(positions.SAVE_BUS_POSITION, (self.name, up_to_position))


def _stored_offsets(tx: Tx, consumer: str, topic: str) -> dict[int, int]:
    rows = tx.fetchall(
        "SELECT part, next_offset FROM rm_offsets WHERE consumer = %s AND topic = %s",
        (consumer, topic),
    )
    return {int(r[0]): int(r[1]) for r in rows}


class _SeekToStored(ConsumerRebalanceListener):
    def __init__(self, runner: KafkaBoardConsumer) -> None:
        self.runner = runner

    async def on_partitions_revoked(self, revoked: Any) -> None:
        return None

    async def on_partitions_assigned(self, assigned: Any) -> None:
        await self.runner.seek_assigned(list(assigned))


class KafkaBoardConsumer:
    def __init__(
        self,
        db: Database,
        bootstrap: str,
        topic: str,
        group_id: str,
        dlq_topic: str,
        batch_size: int = 500,
    ) -> None:
        self.db = db
        self.bootstrap = bootstrap
        self.topic = topic
        self.group_id = group_id
        self.dlq_topic = dlq_topic
        self.batch_size = batch_size
        self.consumer: AIOKafkaConsumer | None = None
        self.dlq: AIOKafkaProducer | None = None
        self.applied = 0
        self.duplicates = 0

    async def start(self) -> None:
        self.consumer = committed_consumer(
            self.bootstrap, self.group_id, max_poll_records=self.batch_size
        )
        await self.consumer.start()
        self.consumer.subscribe([self.topic], listener=_SeekToStored(self))
        self.dlq = AIOKafkaProducer(
            bootstrap_servers=self.bootstrap, acks="all", enable_idempotence=True
        )
        await self.dlq.start()

    async def stop(self) -> None:
        if self.consumer is not None:
            await self.consumer.stop()
            self.consumer = None
        if self.dlq is not None:
            await self.dlq.stop()
            self.dlq = None

    async def seek_assigned(self, partitions: list[TopicPartition]) -> None:
        assert self.consumer is not None
        stored = await asyncio.to_thread(self._read_offsets)
        for tp in partitions:
            if tp.partition in stored:
                self.consumer.seek(tp, stored[tp.partition])
            else:
                await self.consumer.seek_to_beginning(tp)

    def _read_offsets(self) -> dict[int, int]:
        with self.db.transaction() as tx:
            return _stored_offsets(tx, self.group_id, self.topic)

    async def poll_once(self, timeout_ms: int = 500) -> int:
        """Apply what one fetch returned (rows and each partition's next offset in one
        transaction); returns how many records came."""
        assert self.consumer is not None
        batches = await self.consumer.getmany(timeout_ms=timeout_ms, max_records=self.batch_size)
        fetched = {tp: records for tp, records in batches.items() if records}
        if not fetched:
            return 0
        await self._apply_fetched(fetched)
        return sum(len(records) for records in fetched.values())

    async def _apply_fetched(self, fetched: dict[TopicPartition, list[Any]]) -> None:
        # A fetch can repeat records already applied (rebalance, prefetch after a seek): what is
        # below the stored offset was applied and, if poison, dead-lettered already.
        parsed: list[tuple[TopicPartition, list[tuple[Any, Envelope | None, str]]]] = []
        poison = False
        for tp, records in fetched.items():
            items: list[tuple[Any, Envelope | None, str]] = []
            for record in records:
                try:
                    items.append((record, Envelope.from_json_bytes(record.value), ""))
                except (ValueError, TypeError, KeyError) as exc:
                    items.append((record, None, f"unreadable envelope: {exc}"))
                    poison = True
            parsed.append((tp, items))
        if not poison:
            # the usual case: one transaction for the whole fetch, every partition's rows and
            # next offset, which reads the stored offsets itself (no transaction before it).
            # Its cost is mostly fixed (round trips, commit), not per record: one per partition
            # had cost about three times as much under load (issue 14 item 3, relay_lag --trace)
            work = [
                (
                    tp.partition,
                    [env for _, env, _ in items if env is not None],
                    items[-1][0].offset + 1,
                )
                for tp, items in parsed
            ]
            at = {tp.partition: [r.offset for r, _, _ in items] for tp, items in parsed}
            applied, duplicates = await asyncio.to_thread(self._apply_tx, work, at)
        else:
            # a poison record is dead-lettered once: only if it is not below the stored offset
            stored = await asyncio.to_thread(self._read_offsets)
            work = []
            for tp, items in parsed:
                fresh = [i for i in items if i[0].offset >= stored.get(tp.partition, 0)]
                if not fresh:
                    continue
                for record, env, reason in fresh:
                    if env is None:
                        await self._dead_letter(record, reason)
                envs = [env for _, env, _ in fresh if env is not None]
                work.append((tp.partition, envs, fresh[-1][0].offset + 1))
            if not work:
                return
            applied, duplicates = await asyncio.to_thread(self._apply_tx, work)
        self.applied += applied
        self.duplicates += duplicates

    def _apply_tx(
        self,
        work: list[tuple[int, list[Envelope], int]],
        offsets: dict[int, list[int]] | None = None,
    ) -> tuple[int, int]:
        """One transaction: every partition's envelopes, each partition's in order, folded in
        one pass of the read models (an aggregate's events all come from one partition, so their
        order is kept), then each partition's next offset (rows and offsets commit together or
        not at all). With ``offsets`` (each envelope's Kafka offset, by partition) the stored
        offsets are read in the same transaction and what lies below them is skipped."""
        with self.db.transaction() as tx:
            stored = _stored_offsets(tx, self.group_id, self.topic) if offsets is not None else {}
            batch: list[Envelope] = []
            moved: list[tuple[str, str, int, int]] = []
            for partition, envelopes, next_offset in work:
                if offsets is not None:
                    floor = stored.get(partition, 0)
                    if next_offset <= floor:
                        continue  # all applied already
                    envelopes = [
                        env
                        for env, offset in zip(envelopes, offsets[partition], strict=True)
                        if offset >= floor
                    ]
                batch.extend(envelopes)
                moved.append((self.group_id, self.topic, partition, next_offset))
            applied, duplicates = registry.apply_all(tx, batch) if batch else (0, 0)
            if moved:
                tx.executemany(positions.SAVE_OFFSET, moved)
        return applied, duplicates

    async def _dead_letter(self, record: Any, reason: str) -> None:
        log.error(
            "poison record %s[%s]@%s: %s", record.topic, record.partition, record.offset, reason
        )
        assert self.dlq is not None
        await self.dlq.send_and_wait(
            self.dlq_topic,
            value=record.value,
            key=record.key,
            headers=[
                ("reason", reason.encode()),
                ("source", f"{record.topic}:{record.partition}:{record.offset}".encode()),
            ],
        )

    async def caught_up(self) -> bool:
        """True when every assigned partition's position has reached its end offset."""
        assert self.consumer is not None
        assigned = self.consumer.assignment()
        if not assigned:
            return False
        ends = await self.consumer.end_offsets(list(assigned))
        for tp in assigned:
            if await self.consumer.position(tp) < ends[tp]:
                return False
        return True

    async def run(self, stop: asyncio.Event) -> None:
        """Consume until ``stop``. Kafka or PostgreSQL down, at start or at any time: log one
        line, back off, start afresh (the new assignment seeks to the offsets stored with the
        rows, so nothing half-applied is skipped) and log one line when it is back."""
        started = False
        backoff = 0.5
        down: str | None = None
        try:
            while not stop.is_set():
                try:
                    if not started:
                        await self.start()
                        started = True
                    await self.poll_once()
                    backoff = 0.5
                    if down is not None:
                        log.warning("consumer: %s reachable again; consuming resumed", down)
                        down = None
                except Exception as exc:
                    what = "Kafka" if isinstance(exc, KafkaError) else "the read-model database"
                    if down != what:
                        log.error(
                            "consumer: %s unavailable (%s: %s); retrying with backoff",
                            what,
                            type(exc).__name__,
                            str(exc).splitlines()[0][:200] if str(exc) else "",
                        )
                    down = what
                    if started:
                        await self._stop_quietly()
                        started = False
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), timeout=backoff)
                    backoff = min(backoff * 2, 5.0)
        finally:
            if started:
                await self.stop()

    async def _stop_quietly(self) -> None:
        try:
            await self.stop()
        except Exception:
            log.debug("consumer: stopping after a failure failed", exc_info=True)
            self.consumer = None
            self.dlq = None

    async def run_until_caught_up(self, timeout: float = 120.0) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            moved = await self.poll_once(timeout_ms=300)
            if not moved and await self.caught_up():
                return
        raise TimeoutError("consumer did not catch up in time")


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)
