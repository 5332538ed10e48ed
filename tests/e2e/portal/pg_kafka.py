"""The portal served on real PostgreSQL and Kafka, for the Chromium runs of
``test_*_postgres_kafka.py``: one app whose assessment event store is a PostgreSQL database and
whose read models are fed through Kafka — the relay publishes the store's notifications to a
private topic, the reporting consumer applies them to a second PostgreSQL database (the
``reads_url`` fixture of the portal conftest) — so every page that lists, queues or ranks reads
what came through the broker.

Sign-in is the development sign-in of the portal in embedded mode, with the test issuer (the
production portal refuses it); evidence files stay on disk, the audit sealer is not wired (the
relay publishes unsealed)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager, suppress
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from pydantic import SecretStr

from assessment.adapters.evidence_store import DiskEvidenceStore
from assessment.adapters.relay import ApplicationSource, KafkaTarget, Relay
from assessment.application.service import AssessmentApplication
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
from shared.web.signin import DevUser, build_portal, install_portal

from .conftest import Site

Loader = Callable[[AssessmentApplication], Any]


def postgres_kafka_app(
    store_url: str,
    reads_url: str,
    bootstrap: str,
    topics: dict[str, str],
    data: Path,
    *,
    load: Loader | None = load_demo,
    users: Sequence[DevUser] | None = None,
    title: str = "congvu — pages on PostgreSQL + Kafka (test)",
) -> FastAPI:
    """``load`` runs on the store once it is open (the demo by default, ``None`` for an empty
    tenant); ``users`` are the development sign-in's choices (the demo's by default)."""
    portal = build_portal(
        WebSettings(mode="embedded"),
        secret_file=data / "web-session.key",
        dev_issuer=TEST_ISSUER,
        dev_users=list(users) if users is not None else demo_users(),
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
        if load is not None:
            await asyncio.to_thread(load, store)
        try:
            yield
        finally:
            stop.set()
            for task in tasks:
                with suppress(asyncio.CancelledError):
                    await task
            store.close()
            db.close()

    app = FastAPI(title=title, lifespan=lifespan)
    install_assessment_errors(app)
    add_problem_schema(app)
    include_assessment(app)
    include_reporting(app)
    install_portal(app, portal)
    include_reporting_pages(app, portal)
    include_assessment_pages(app, portal)
    return app


@contextmanager
def serve(app: FastAPI) -> Iterator[Site]:
    """The app on a real uvicorn server, with an HTTP client on it."""
    with (
        LiveServer(app, access_log=False) as server,
        httpx.Client(base_url=server.url, timeout=60) as http,
    ):
        yield Site(server.url, http)


def read_model_offsets(reads_url: str, topic: str) -> int:
    """How far the reporting consumer has read ``topic`` (its offsets are stored beside the rows
    of the read models): > 0 shows the read models came through the broker."""
    import psycopg

    with psycopg.connect(reads_url) as conn:
        row = conn.execute(
            "SELECT sum(next_offset) FROM rm_offsets WHERE topic = %s", (topic,)
        ).fetchone()
    return int(row[0]) if row is not None and row[0] else 0
