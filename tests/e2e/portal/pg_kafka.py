"""The portal on real PostgreSQL and Kafka, shared by the Chromium runs on them (CCHC,
inspection): one app whose assessment event store is a fresh PostgreSQL database and whose read
models are fed through Kafka — the relay publishes the store's notifications to a private topic,
the reporting consumer applies them to a second PostgreSQL database (``reads_url``). The demo is
loaded at start; ``pg_kafka_site`` waits until its year came through the broker.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, suppress
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr

from assessment.adapters.evidence_store import DiskEvidenceStore
from assessment.adapters.relay import ApplicationSource, KafkaTarget, Relay
from assessment.bootstrap import build_application
from assessment.entrypoints.api.app import include_assessment, install_assessment_errors
from assessment.entrypoints.web import include_assessment_pages
from ballot.harness import LiveServer
from embedded.app import demo_users
from embedded.demo import load_demo
from helpers import TEST_ISSUER
from reporting.adapters.db import PostgresDatabase
from reporting.consumer.runner import KafkaBoardConsumer, ensure_schema
from reporting.entrypoints.api.app import include_reporting
from reporting.entrypoints.web import include_reporting_pages
from shared.http import add_problem_schema
from shared.settings import AssessmentSettings
from shared.web.pages import WebSettings
from shared.web.signin import build_portal, install_portal

from .conftest import Site, demo_loaded


def postgres_kafka_app(
    store_url: str, reads_url: str, bootstrap: str, topics: dict[str, str], data: Path
) -> FastAPI:
    portal = build_portal(
        WebSettings(mode="embedded"),
        secret_file=data / "web-session.key",
        dev_issuer=TEST_ISSUER,
        dev_users=demo_users(),
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = build_application(
            AssessmentSettings(mode="production", database_url=SecretStr(store_url))
        )
        db = PostgresDatabase(reads_url)
        ensure_schema(db)
        app.state.assessment = store
        app.state.verifier = TEST_ISSUER.verifier()
        app.state.reporting_db = db
        app.state.evidence = DiskEvidenceStore(data / "evidence")
        tag = uuid.uuid4().hex[:6]
        target = KafkaTarget(bootstrap, topics["events"], topics["position"], f"relay-{tag}")
        relay = Relay(ApplicationSource(store), target, poll_seconds=0.5)
        store.add_save_listener(relay.wake)
        consumer = KafkaBoardConsumer(
            db, bootstrap, topics["events"], f"reporting-{tag}", topics["dlq"]
        )
        stop = asyncio.Event()
        tasks = [asyncio.create_task(relay.run(stop)), asyncio.create_task(consumer.run(stop))]
        await asyncio.to_thread(load_demo, store)
        try:
            yield
        finally:
            stop.set()
            for task in tasks:
                with suppress(asyncio.CancelledError):
                    await task
            store.close()
            db.close()

    app = FastAPI(title="congvu — pages on PostgreSQL + Kafka (test)", lifespan=lifespan)
    install_assessment_errors(app)
    add_problem_schema(app)
    include_assessment(app)
    include_reporting(app)
    install_portal(app, portal)
    include_reporting_pages(app, portal)
    include_assessment_pages(app, portal)
    return app


@pytest.fixture
def reads_url(pg_admin_url: str) -> Iterator[str]:
    """The read models' own database (the store has ``pg_url``), dropped afterwards."""
    import psycopg

    name = f"r_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunparse(urlparse(pg_admin_url)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(pg_admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_kafka_site(
    pg_url: str,
    reads_url: str,
    kafka_bootstrap: str,
    kafka_topics: dict[str, str],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Site]:
    data = tmp_path_factory.mktemp("portal-pg")
    app = postgres_kafka_app(pg_url, reads_url, kafka_bootstrap, kafka_topics, data)
    with (
        LiveServer(app, access_log=False) as server,
        httpx.Client(base_url=server.url, timeout=30) as http,
    ):
        s = Site(server.url, http)
        s.wait_for(demo_loaded, timeout=180)  # the demo's year, through Kafka
        yield s
