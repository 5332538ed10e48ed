"""Shared fixtures. Integration fixtures FAIL (never skip) when CI=true and a server is missing."""

from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

import pytest

from helpers import MutableClock

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _need_env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        message = (
            f"{name} is not set: start the servers with `deploy/local/infra.sh start` "
            f'and `eval "$(deploy/local/infra.sh env)"` (or use `make test`)'
        )
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return value


@pytest.fixture
def clock() -> MutableClock:
    return MutableClock(datetime(2013, 10, 1, 2, 0, tzinfo=UTC))


@pytest.fixture
def sqlite_dir(tmp_path: Path) -> Path:
    return tmp_path


# ------------------------------------------------------------------ PostgreSQL
@pytest.fixture(scope="session")
def pg_admin_url() -> str:
    return _need_env("TEST_DATABASE_URL")


@pytest.fixture
def pg_url(pg_admin_url: str) -> Iterator[str]:
    """A fresh database per test, dropped afterwards."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    parsed = urlparse(pg_admin_url)
    url = urlunparse(parsed._replace(path=f"/{name}"))
    try:
        yield url
    finally:
        with psycopg.connect(pg_admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# ------------------------------------------------------------------ Kafka
def _run_async(factory: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """``asyncio.run`` in a worker thread: works beside a running loop too (Playwright's)."""
    with ThreadPoolExecutor(1) as pool:
        pool.submit(lambda: asyncio.run(factory())).result()


@pytest.fixture(scope="session")
def kafka_bootstrap() -> str:
    return _need_env("TEST_KAFKA_BOOTSTRAP")


@pytest.fixture
def kafka_topics(kafka_bootstrap: str) -> Iterator[dict[str, str]]:
    """Private topics for one test (the broker refuses auto-creation)."""
    from aiokafka.admin import AIOKafkaAdminClient, NewTopic

    prefix = f"t{uuid.uuid4().hex[:10]}"
    topics = {
        "events": f"{prefix}.assessment.events.v1",
        "position": f"{prefix}.assessment.relay-position",
        "dlq": f"{prefix}.reporting.dlq.v1",
        "checkpoints": f"{prefix}.audit.checkpoints.v1",
    }

    async def create() -> None:
        admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap)
        await admin.start()
        try:
            await admin.create_topics(
                [
                    NewTopic(topics["events"], 3, 1),
                    NewTopic(topics["position"], 1, 1, topic_configs={"cleanup.policy": "compact"}),
                    NewTopic(topics["dlq"], 1, 1),
                    NewTopic(topics["checkpoints"], 1, 1),
                ]
            )
        finally:
            await admin.close()

    async def delete() -> None:
        admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap)
        await admin.start()
        try:
            await admin.delete_topics(list(topics.values()))
        finally:
            await admin.close()

    _run_async(create)
    try:
        yield topics
    finally:
        with contextlib.suppress(Exception):
            _run_async(delete)
