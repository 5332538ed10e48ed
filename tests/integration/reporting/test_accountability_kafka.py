"""The accountability read model on real Kafka and PostgreSQL: consumed from
``assessment.events.v1`` and ``ballot.events.v1`` with the cycle board's exactly-once rules
(rows and offsets in one transaction, re-delivery changes nothing), each figure naming the
event Kafka carried, and rebuilt from zero (both topics, one swap) into the same report."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from pydantic import SecretStr

from assessment.adapters.relay import ApplicationSource, KafkaTarget, Relay
from assessment.application.service import AssessmentApplication, CommandContext
from assessment.bootstrap import build_application
from builders import thorough_groups
from helpers import MutableClock
from kafka_helpers import read_all
from reporting.adapters.db import PostgresDatabase
from reporting.adapters.kafka_history import kafka_history
from reporting.consumer.rebuild import rebuild_from_kafka
from reporting.consumer.runner import KafkaBoardConsumer, ensure_schema
from reporting.reports.accountability import unit_report
from reporting.reports.as_of import replay_then
from shared.envelope import Envelope
from shared.settings import AssessmentSettings
from unit.reporting.reports.conftest import ballot_envelopes

pytestmark = pytest.mark.integration
HA = CommandContext(
    tenant="dong-nai", actor={"subject": "u", "role": "home_affairs", "acting_for": "SNV"}
)
NOW = datetime(2026, 1, 1, tzinfo=UTC)


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


@pytest.fixture
def ballot_topic(kafka_bootstrap: str, kafka_topics: dict[str, str]) -> str:
    name = kafka_topics["events"].replace("assessment.events", "ballot.events")

    async def create() -> None:
        admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap)
        await admin.start()
        try:
            await admin.create_topics([NewTopic(name, 1, 1)])
        finally:
            await admin.close()

    asyncio.run(create())
    return name


def seed(app: AssessmentApplication, clock: MutableClock) -> tuple[str, str]:
    unit = app.register_unit(HA, code="SYT", name="Sở Y tế", kind="department")["id"]
    cycle = app.plan_cycle(HA, year=2013, plan_reference="KH", unit_ids=[uuid.UUID(unit)])["id"]
    clock.set("2013-12-12T10:00+07:00")  # two days late
    officer = CommandContext(
        tenant="dong-nai", actor={"subject": "o", "role": "unit_officer", "acting_for": "SYT"}
    )
    app.submit_self_assessment(
        officer,
        uuid.UUID(cycle),
        uuid.UUID(unit),
        groups=thorough_groups(),
        proposed_level="hoan_thanh_xuat_sac",
    )
    app.consolidate(
        HA, uuid.UUID(cycle), uuid.UUID(unit), summary="ok", proposed_level="hoan_thanh"
    )
    app.reopen_step(
        HA,
        uuid.UUID(cycle),
        uuid.UUID(unit),
        step="consolidation",
        reason="Thiếu ý kiến thành viên UBND tỉnh",
    )
    app.consolidate(
        HA, uuid.UUID(cycle), uuid.UUID(unit), summary="lại", proposed_level="hoan_thanh"
    )
    return cycle, unit


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


def publish(bootstrap: str, topic: str, envelopes: list[Envelope]) -> None:
    async def run() -> None:
        producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=True)
        await producer.start()
        try:
            for env in envelopes:
                await producer.send_and_wait(
                    topic, env.to_json_bytes(), key=env.aggregate_id.encode()
                )
        finally:
            await producer.stop()

    asyncio.run(run())


def consume(
    db: PostgresDatabase, bootstrap: str, topic: str, group: str, dlq: str
) -> KafkaBoardConsumer:
    consumer = KafkaBoardConsumer(db, bootstrap, topic, group, dlq)

    async def run() -> None:
        await consumer.start()
        try:
            await consumer.run_until_caught_up(timeout=60)
        finally:
            await consumer.stop()

    asyncio.run(run())
    return consumer


def report(db: PostgresDatabase, cycle: str, unit: str) -> dict:
    with db.transaction() as tx:
        r = unit_report(tx, "dong-nai", cycle, unit, now=NOW)
    assert r is not None
    return r


def test_consumed_exactly_once_from_both_topics_and_rebuilt_from_zero(
    app: AssessmentApplication,
    clock: MutableClock,
    db: PostgresDatabase,
    kafka_bootstrap: str,
    kafka_topics: dict[str, str],
    ballot_topic: str,
) -> None:
    cycle, unit = seed(app, clock)
    relay(app, kafka_bootstrap, kafka_topics)
    publish(kafka_bootstrap, ballot_topic, ballot_envelopes())
    events, ballots, dlq = kafka_topics["events"], ballot_topic, kafka_topics["dlq"]
    g_events, g_ballots = f"g-{uuid.uuid4().hex[:6]}", f"b-{uuid.uuid4().hex[:6]}"
    consume(db, kafka_bootstrap, events, g_events, dlq)
    first = consume(db, kafka_bootstrap, ballots, g_ballots, dlq)
    assert first.applied == 4

    before = report(db, cycle, unit)
    steps = {s["step"]: s for s in before["unit"]["steps"]}
    carried = {
        json.loads(r.value)["event_id"]: json.loads(r.value)
        for r in asyncio.run(read_all(kafka_bootstrap, events))
    }
    (self_src,) = steps["self_assessment"]["sources"]
    env = carried[self_src["ref"]["event_id"]]  # the figure names the event Kafka carried
    assert env["type"].endswith("SelfAssessmentSubmitted")
    assert env["aggregate_version"] == self_src["ref"]["version"]
    assert steps["self_assessment"]["late_by_days"] == 2
    assert [r["reason"] for r in before["unit"]["reopenings"]] == [
        "Thiếu ý kiến thành viên UBND tỉnh"
    ]
    assert before["unit"]["inflation_gap"] == 2  # excellent proposed, completed found
    assert before["ballots"][0]["quorum_met"] is True

    # re-delivery of both topics changes nothing
    publish(kafka_bootstrap, ballots, ballot_envelopes())
    again = consume(db, kafka_bootstrap, ballots, g_ballots, dlq)
    assert again.applied == 0 and again.duplicates == 4
    assert report(db, cycle, unit) == before

    applied = asyncio.run(
        rebuild_from_kafka(
            db, kafka_bootstrap, events, g_events, batch_size=5, also=[(ballots, g_ballots)]
        )
    )
    assert applied == len(carried) + 8
    assert json.dumps(report(db, cycle, unit), sort_keys=True) == json.dumps(before, sort_keys=True)
    for topic, group in ((events, g_events), (ballots, g_ballots)):
        resumed = consume(db, kafka_bootstrap, topic, group, dlq)
        assert resumed.applied == 0 and resumed.duplicates == 0  # offsets came with the swap

    # as of a past moment, from the history Kafka keeps (what the production API replays)
    history = kafka_history(kafka_bootstrap, [events, ballots])()
    early = datetime.fromisoformat("2013-12-01T00:00:00+07:00")
    past = replay_then(
        history, "dong-nai", early, lambda tx: unit_report(tx, "dong-nai", cycle, unit, now=early)
    )
    assert past is not None and past["ballots"] == []  # the vote came later
    steps = {s["step"]: s["status"] for s in past["unit"]["steps"]}
    assert steps["self_assessment"] == "missing" and past["unit"]["reopenings"] == []
    later = datetime.fromisoformat("2014-02-01T00:00:00+07:00")
    again_now = replay_then(
        history, "dong-nai", later, lambda tx: unit_report(tx, "dong-nai", cycle, unit, now=NOW)
    )
    assert json.dumps(again_now, sort_keys=True) == json.dumps(before, sort_keys=True)
