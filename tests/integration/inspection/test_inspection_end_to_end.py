"""An inspection end to end on real PostgreSQL and Kafka: HTTP → store → relay → Kafka →
consumer → read model → reporting HTTP. ≥ 1,000 imported work items, figures at their
boundaries, a sample drawn and re-verified by the CLI (and refused when a file is swapped),
findings, a remediation plan with an overdue milestone then verified done, the province's
overdue list."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from assessment.adapters.relay import ApplicationSource, KafkaTarget, Relay
from assessment.bootstrap import build_application
from assessment.entrypoints.api.app import create_app as create_assessment
from helpers import TEST_ISSUER, MutableClock
from inspection_flow import DEPUTY, HEAD, HOME, TEAM, Flow, h, ok
from reporting.adapters.db import PostgresDatabase
from reporting.consumer.runner import KafkaBoardConsumer, ensure_schema
from reporting.entrypoints.api.app import create_app as create_reporting
from shared.settings import AssessmentSettings

pytestmark = [pytest.mark.integration, pytest.mark.e2e]


def _pipeline(store: object, db: PostgresDatabase, bootstrap: str, topics: dict[str, str]) -> None:
    async def run() -> None:
        target = KafkaTarget(
            bootstrap, topics["events"], topics["position"], f"r-{uuid.uuid4().hex[:6]}"
        )
        await target.start()
        try:
            await Relay(ApplicationSource(store), target).drain()  # type: ignore[arg-type]
        finally:
            await target.stop()
        consumer = KafkaBoardConsumer(
            db, bootstrap, topics["events"], f"g-{uuid.uuid4().hex[:6]}", topics["dlq"]
        )
        await consumer.start()
        try:
            await consumer.run_until_caught_up(timeout=120)
        finally:
            await consumer.stop()

    asyncio.run(run())


def test_an_inspection_end_to_end_on_postgres_and_kafka(
    pg_url: str,
    kafka_bootstrap: str,
    kafka_topics: dict[str, str],
    clock: MutableClock,
    tmp_path: Path,
) -> None:
    store = build_application(
        AssessmentSettings(mode="production", database_url=SecretStr(pg_url)), clock=clock
    )
    db = PostgresDatabase(pg_url)
    ensure_schema(db)
    try:
        api = TestClient(create_assessment(store, verifier=TEST_ISSUER.verifier()))
        flow = Flow(api, clock, tmp_path)
        result = flow.run()
        assert result["items"] >= 1000
        # a second plan, for a collective limitation of the unit, left with an overdue milestone
        other = ok(
            api.post(
                "/v1/remediation-plans",
                headers=h(HOME),
                json={
                    "source_kind": "collective_limitation",
                    "source_reference": "2023/SXD/tham-muu",
                    "source_description": "Tham mưu đề án còn chậm",
                    "source_year": 2023,
                    "subject_kind": "unit",
                    "subject_id": "SXD",
                    "subject_unit_id": flow.ids["SXD"],
                    "title": "Khắc phục chậm tham mưu đề án",
                    "owner": HEAD["subject"],
                    "follow_up_officer": HOME["subject"],
                },
            )
        )
        late = ok(
            api.post(
                f"/v1/remediation-plans/{other['id']}/milestones",
                headers=h(HEAD),
                json={"title": "Trình đề án", "due_on": "2024-05-10"},
            )
        )
        _pipeline(store, db, kafka_bootstrap, kafka_topics)

        reports = TestClient(create_reporting(db, verifier=TEST_ISSUER.verifier()))
        person = ok(
            reports.get(
                f"/v1/reports/inspection/persons/{DEPUTY['subject']}",
                params={"as_of": "2024-05-20"},
                headers=h(TEAM),
            ),
            200,
        )
        assert person["figures"][0]["total"] == 600
        assert person["figures"][0]["passed_on"] == 24
        assert [f["finding_id"] for f in person["findings"]] == [result["finding_id"]]
        assert person["findings"][0]["explained"] is True
        assert [p["status"] for p in person["remediation"]] == ["closed"]
        own = reports.get(f"/v1/reports/inspection/persons/{DEPUTY['subject']}", headers=h(DEPUTY))
        assert own.status_code == 200  # the person sees their own file
        nosy = reports.get(f"/v1/reports/inspection/persons/{DEPUTY['subject']}", headers=h(HEAD))
        assert nosy.status_code == 403 and nosy.json()["code"] == "auth.forbidden"

        overdue = ok(
            reports.get(
                "/v1/reports/remediation/overdue", params={"as_of": "2024-05-20"}, headers=h(HOME)
            ),
            200,
        )
        assert [i["plan_id"] for i in overdue["items"]] == [other["id"]]
        item = overdue["items"][0]
        assert item["owner"] == HEAD["subject"] and item["unit_id"] == flow.ids["SXD"]
        assert item["overdue"][0]["milestone_id"] == late["milestone_id"]
        assert item["overdue"][0]["days_overdue"] == 10
        assert overdue["plans_by_status"] == {"closed": 1, "open": 1}

        unit = ok(
            reports.get(
                f"/v1/reports/inspection/units/{flow.ids['SXD']}",
                params={"as_of": "2024-05-20"},
                headers=h(HOME),
            ),
            200,
        )
        assert len(unit["findings"]) == 1 and len(unit["remediation"]) == 2
        foreign = reports.get(
            "/v1/reports/remediation/overdue", headers=h({**HOME, "tenant": "ben-tre"})
        )
        assert ok(foreign, 200)["items"] == []  # another province sees nothing of Trà Vinh
    finally:
        store.close()
        db.close()
