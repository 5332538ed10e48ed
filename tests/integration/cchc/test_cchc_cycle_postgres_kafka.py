"""A whole CCHC year through the HTTP API on real PostgreSQL, relayed through real Kafka into
the CCHC read model on PostgreSQL, then read through the reporting API."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from assessment.adapters.relay import ApplicationSource, KafkaTarget, Relay
from assessment.bootstrap import build_application
from assessment.entrypoints.api.app import create_app as create_assessment
from cchc_api import run_cycle
from cchc_reports import check_reports
from helpers import TEST_ISSUER, MutableClock
from reporting.adapters.db import PostgresDatabase
from reporting.consumer.runner import KafkaBoardConsumer, ensure_schema
from reporting.entrypoints.api.app import create_app as create_reporting
from shared.settings import AssessmentSettings

pytestmark = pytest.mark.integration


def test_cchc_year_on_postgres_through_kafka(
    pg_url: str, kafka_bootstrap: str, kafka_topics: dict[str, str], clock: MutableClock
) -> None:
    store = build_application(
        AssessmentSettings(mode="production", database_url=SecretStr(pg_url)), clock=clock
    )
    db = PostgresDatabase(pg_url)
    ensure_schema(db)
    try:
        api = TestClient(create_assessment(store, verifier=TEST_ISSUER.verifier()))
        ids = run_cycle(api, clock)
        # the store really is PostgreSQL: the scoring's history is there, in order
        events = store.recorder.select_events(uuid.UUID(ids["scoring:SA"]))
        topics = [e.topic for e in events]
        assert topics[0] == "assessment.CchcScoring.Opened"
        assert topics[-1] == "assessment.CchcScoring.CouncilConfirmed"
        assert "assessment.CchcScoring.SupplementReplied" in topics

        async def pipeline() -> None:
            target = KafkaTarget(
                kafka_bootstrap,
                kafka_topics["events"],
                kafka_topics["position"],
                f"r-{uuid.uuid4().hex[:6]}",
            )
            await target.start()
            try:
                await Relay(ApplicationSource(store), target).drain()
            finally:
                await target.stop()
            consumer = KafkaBoardConsumer(
                db,
                kafka_bootstrap,
                kafka_topics["events"],
                f"g-{uuid.uuid4().hex[:6]}",
                kafka_topics["dlq"],
            )
            await consumer.start()
            try:
                await consumer.run_until_caught_up(timeout=90)
            finally:
                await consumer.stop()

        asyncio.run(pipeline())
        reports = TestClient(create_reporting(db, verifier=TEST_ISSUER.verifier()))
        check_reports(reports, ids)
    finally:
        store.close()
        db.close()
