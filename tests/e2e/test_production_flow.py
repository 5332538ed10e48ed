"""End to end in production mode: HTTP → PostgreSQL store → relay → Kafka → consumer →
PostgreSQL read model → reporting HTTP."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from assessment.adapters.relay import ApplicationSource, KafkaTarget, Relay
from assessment.bootstrap import build_application
from assessment.entrypoints.api.app import create_app as create_assessment
from helpers import TEST_ISSUER, headers
from reporting.adapters.db import PostgresDatabase
from reporting.consumer.runner import KafkaBoardConsumer, ensure_schema
from reporting.entrypoints.api.app import create_app as create_reporting
from shared.settings import AssessmentSettings

pytestmark = [pytest.mark.integration, pytest.mark.e2e]


def test_http_command_visible_on_the_board(
    pg_url: str, kafka_bootstrap: str, kafka_topics: dict[str, str]
) -> None:
    store = build_application(AssessmentSettings(mode="production", database_url=SecretStr(pg_url)))
    db = PostgresDatabase(pg_url)
    ensure_schema(db)
    try:
        api = TestClient(create_assessment(store, verifier=TEST_ISSUER.verifier()))
        unit = api.post(
            "/v1/units",
            json={"code": "SNV", "name": "Sở Nội vụ", "kind": "department"},
            headers=headers(),
        ).json()
        cycle = api.post(
            "/v1/cycles",
            json={"year": 2024, "plan_reference": "KH 2024", "unit_ids": [unit["id"]]},
            headers=headers(),
        ).json()
        groups = {
            c: {"results": "r" * 90, "limitations": "l"}
            for c in ("tham_muu", "nhiem_vu", "ky_luat")
        }
        resp = api.post(
            f"/v1/cycles/{cycle['id']}/units/{unit['id']}/self-assessment",
            json={"groups": groups, "proposed_level": "hoan_thanh_tot"},
            headers=headers(role="unit_officer"),
        )
        assert resp.status_code == 201, resp.text
        bad = api.post(
            f"/v1/cycles/{cycle['id']}/units/{unit['id']}/consolidation",
            json={"summary": "", "proposed_level": "hoan_thanh_tot"},
            headers=headers(),
        )
        assert bad.status_code == 422
        assert bad.headers["content-type"].startswith("application/problem+json")

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
                await consumer.run_until_caught_up(timeout=60)
            finally:
                await consumer.stop()

        asyncio.run(pipeline())
        reports = TestClient(create_reporting(db, verifier=TEST_ISSUER.verifier()))
        board = reports.get(
            f"/v1/reports/cycles/{cycle['id']}/board", headers=headers(role="auditor")
        ).json()
        assert board["total"] == 1
        row = board["items"][0]
        assert row["unit_name"] == "Sở Nội vụ"
        assert row["levels"]["self_assessment"] == "hoan_thanh_tot"
        assert row["steps"]["consolidation"]["status"] in ("missing", "overdue")
        other = reports.get(
            f"/v1/reports/cycles/{cycle['id']}/board", headers=headers(tenant="quang-tri")
        )
        assert other.status_code == 404
        assert other.headers["content-type"].startswith("application/problem+json")
    finally:
        store.close()
        db.close()
