"""The inspection side of the accountability report on real PostgreSQL and Kafka: the demo
province (with its inspection of Sở Y tế) written to PostgreSQL, relayed to Kafka, consumed into
the ``inspection_overview`` read model; Sở Y tế's report names each finding by the event Kafka
carried and each plan's status by its last status event; rebuilt from zero from Kafka, the
report is the same."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from assessment.application.service import AssessmentApplication
from assessment.domain.collective.cycle import cycle_id_for
from assessment.domain.registry.unit import unit_id_for
from embedded.demo import TENANT, YEAR, load_demo
from integration.reporting.test_accountability_kafka import app, consume, db, relay
from kafka_helpers import read_all
from reporting.adapters.db import PostgresDatabase
from reporting.consumer.rebuild import rebuild_from_kafka
from reporting.reports.accountability import unit_report

pytestmark = pytest.mark.integration
__all__ = ["app", "db"]  # the fixtures, shared with the accountability test
NOW = datetime(2026, 12, 1, tzinfo=UTC)


def syt_report(database: PostgresDatabase) -> dict[str, Any]:
    with database.transaction() as tx:
        r = unit_report(
            tx, TENANT, str(cycle_id_for(TENANT, YEAR)), str(unit_id_for(TENANT, "SYT")), now=NOW
        )
    assert r is not None
    return r


def test_findings_and_remediation_reach_the_report_through_kafka(
    app: AssessmentApplication,
    db: PostgresDatabase,
    kafka_bootstrap: str,
    kafka_topics: dict[str, str],
) -> None:
    assert load_demo(app) is not None
    relay(app, kafka_bootstrap, kafka_topics)
    events, group = kafka_topics["events"], "g-insp-report"
    consume(db, kafka_bootstrap, events, group, kafka_topics["dlq"])
    carried = {
        env["event_id"]: env
        for env in (json.loads(r.value) for r in asyncio.run(read_all(kafka_bootstrap, events)))
    }
    before = syt_report(db)
    insp = before["inspection"]
    assert len(insp["findings"]) == 2
    for f in insp["findings"]:
        env = carried[f["ref"]["event_id"]]  # the figure names the event Kafka carried
        assert env["type"].endswith("Inspection.FindingRecorded")
        assert env["payload"]["description"] == f["description"]
        assert env["aggregate_version"] == f["ref"]["version"]
    statuses = {p["subject_kind"]: p for p in insp["remediation"]}
    assert statuses["unit"]["status"] == "closed"
    assert carried[statuses["unit"]["ref"]["event_id"]]["type"].endswith("RemediationPlan.Closed")
    assert statuses["person"]["status"] == "open" and statuses["person"]["overdue"]
    applied = asyncio.run(rebuild_from_kafka(db, kafka_bootstrap, events, group, batch_size=50))
    assert applied == len(carried)
    assert json.dumps(syt_report(db), sort_keys=True) == json.dumps(before, sort_keys=True)
