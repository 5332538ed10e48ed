"""The reporting consumer on real Kafka and PostgreSQL: exactly-once effect, DLQ, rebuild."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from aiokafka import AIOKafkaProducer
from pydantic import SecretStr

from assessment.adapters.relay import ApplicationSource, KafkaTarget, Relay
from assessment.application.service import AssessmentApplication, CommandContext
from assessment.bootstrap import build_application
from builders import thorough_groups
from helpers import MutableClock
from kafka_helpers import read_all
from reporting.adapters.db import PostgresDatabase
from reporting.consumer.rebuild import prepare_shadow, rebuild_from_kafka
from reporting.consumer.runner import KafkaBoardConsumer, ensure_schema
from reporting.read_models.cycle_board.board import board_rows
from shared.settings import AssessmentSettings

pytestmark = pytest.mark.integration
CTX = CommandContext(
    tenant="dong-nai", actor={"subject": "u", "role": "home_affairs", "acting_for": "SNV"}
)


@pytest.fixture
def app(pg_url: str, clock: MutableClock) -> Iterator[AssessmentApplication]:
    application = build_application(
        AssessmentSettings(mode="production", database_url=SecretStr(pg_url)), clock=clock
    )
    yield application
    application.close()


@pytest.fixture
def db(pg_url: str) -> Iterator[PostgresDatabase]:
    database = PostgresDatabase(pg_url)
    ensure_schema(database)
    yield database
    database.close()


def seed(app: AssessmentApplication, clock: MutableClock, units: int = 5) -> str:
    ids = [
        uuid.UUID(app.register_unit(CTX, code=f"U{i}", name=f"Đơn vị {i}", kind="department")["id"])
        for i in range(units)
    ]
    cycle = app.plan_cycle(CTX, year=2013, plan_reference="KH", unit_ids=ids)
    cid = uuid.UUID(cycle["id"])
    clock.set("2013-12-12T10:00+07:00")
    for i, u in enumerate(ids[:3]):
        officer = CommandContext(
            tenant="dong-nai",
            actor={"subject": f"o{i}", "role": "unit_officer", "acting_for": f"U{i}"},
        )
        app.submit_self_assessment(
            officer, cid, u, groups=thorough_groups(), proposed_level="hoan_thanh_tot"
        )
    app.consolidate(CTX, cid, ids[0], summary="ok", proposed_level="hoan_thanh_tot")
    return cycle["id"]


def relay(app: AssessmentApplication, bootstrap: str, topics: dict[str, str]) -> None:
    async def run() -> None:
        target = KafkaTarget(
            bootstrap, topics["events"], topics["position"], f"relay-{uuid.uuid4().hex[:6]}"
        )
        await target.start()
        try:
            await Relay(ApplicationSource(app), target).drain()
        finally:
            await target.stop()

    asyncio.run(run())


def consume(
    db: PostgresDatabase, bootstrap: str, topics: dict[str, str], group: str
) -> KafkaBoardConsumer:
    consumer = KafkaBoardConsumer(db, bootstrap, topics["events"], group, topics["dlq"])

    async def run() -> None:
        await consumer.start()
        try:
            await consumer.run_until_caught_up(timeout=60)
        finally:
            await consumer.stop()

    asyncio.run(run())
    return consumer


def snapshot(db: PostgresDatabase, cycle_id: str) -> list[dict[str, Any]]:
    with db.transaction() as tx:
        _, rows, _ = board_rows(tx, "dong-nai", cycle_id, limit=500)
    return rows


def test_board_complete_offsets_stored_and_restart_reprocesses_nothing(
    app: AssessmentApplication,
    clock: MutableClock,
    db: PostgresDatabase,
    kafka_bootstrap: str,
    kafka_topics: dict[str, str],
) -> None:
    cycle_id = seed(app, clock)
    relay(app, kafka_bootstrap, kafka_topics)
    group = f"g-{uuid.uuid4().hex[:6]}"
    first = consume(db, kafka_bootstrap, kafka_topics, group)
    rows = snapshot(db, cycle_id)
    assert len(rows) == 5
    assert sum(1 for r in rows if r["levels"].get("self_assessment")) == 3
    assert rows[0]["steps"]["self_assessment"]["status"] == "late"
    assert rows[0]["levels"]["consolidation"] == "hoan_thanh_tot"
    assert first.applied == app.recorder.max_notification_id()
    with db.transaction() as tx:
        stored = sum(
            r[0]
            for r in tx.fetchall("SELECT next_offset FROM rm_offsets WHERE consumer = %s", (group,))
        )
    assert stored == first.applied
    again = consume(db, kafka_bootstrap, kafka_topics, group)
    assert again.applied == 0 and again.duplicates == 0


def test_duplicate_delivery_changes_nothing(
    app: AssessmentApplication,
    clock: MutableClock,
    db: PostgresDatabase,
    kafka_bootstrap: str,
    kafka_topics: dict[str, str],
) -> None:
    cycle_id = seed(app, clock)
    relay(app, kafka_bootstrap, kafka_topics)
    group = f"g-{uuid.uuid4().hex[:6]}"
    consume(db, kafka_bootstrap, kafka_topics, group)
    before = snapshot(db, cycle_id)
    records = asyncio.run(read_all(kafka_bootstrap, kafka_topics["events"]))

    async def redeliver() -> None:
        producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap, enable_idempotence=True)
        await producer.start()
        try:
            for rec in records[:10]:
                await producer.send_and_wait(kafka_topics["events"], rec.value, key=rec.key)
        finally:
            await producer.stop()

    asyncio.run(redeliver())
    second = consume(db, kafka_bootstrap, kafka_topics, group)
    assert second.duplicates == 10 and second.applied == 0
    assert snapshot(db, cycle_id) == before


def test_poison_record_goes_to_the_dlq_and_the_consumer_goes_on(
    app: AssessmentApplication,
    clock: MutableClock,
    db: PostgresDatabase,
    kafka_bootstrap: str,
    kafka_topics: dict[str, str],
) -> None:
    async def poison() -> None:
        producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap, enable_idempotence=True)
        await producer.start()
        try:
            await producer.send_and_wait(kafka_topics["events"], b"{not json", key=b"x")
        finally:
            await producer.stop()

    asyncio.run(poison())
    cycle_id = seed(app, clock, units=2)
    relay(app, kafka_bootstrap, kafka_topics)
    consume(db, kafka_bootstrap, kafka_topics, f"g-{uuid.uuid4().hex[:6]}")
    assert len(snapshot(db, cycle_id)) == 2
    dead = asyncio.run(read_all(kafka_bootstrap, kafka_topics["dlq"]))
    assert len(dead) == 1 and dead[0].value == b"{not json"
    assert dict(dead[0].headers)["reason"].startswith(b"unreadable envelope")


def test_rebuild_into_shadow_tables_then_swap_gives_the_same_board(
    app: AssessmentApplication,
    clock: MutableClock,
    db: PostgresDatabase,
    kafka_bootstrap: str,
    kafka_topics: dict[str, str],
) -> None:
    cycle_id = seed(app, clock)
    relay(app, kafka_bootstrap, kafka_topics)
    group = f"g-{uuid.uuid4().hex[:6]}"
    consume(db, kafka_bootstrap, kafka_topics, group)
    before = snapshot(db, cycle_id)
    prepare_shadow(db)
    assert snapshot(db, cycle_id) == before  # readers keep the old board while rebuilding
    seen: list[tuple[int, int | None]] = []
    applied = asyncio.run(
        rebuild_from_kafka(
            db,
            kafka_bootstrap,
            kafka_topics["events"],
            group,
            batch_size=7,
            progress=lambda d, t: seen.append((d, t)),
        )
    )
    assert applied == app.recorder.max_notification_id()
    assert seen and seen[-1][0] == seen[-1][1]
    after = snapshot(db, cycle_id)
    assert json.dumps(after, sort_keys=True) == json.dumps(before, sort_keys=True)
    resumed = consume(db, kafka_bootstrap, kafka_topics, group)
    assert resumed.applied == 0 and resumed.duplicates == 0  # offsets came with the swap
