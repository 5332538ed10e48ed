"""The development/test servers are up: PostgreSQL ≥ 15 and a Kafka broker with our topics.

Start them with `deploy/local/infra.sh start` and export the addresses with
`eval "$(deploy/local/infra.sh env)"`. Without TEST_DATABASE_URL / TEST_KAFKA_BOOTSTRAP these
tests skip, except under CI (CI=true) where a missing server is a failure.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
TOPICS_FILE = REPO / "deploy" / "kafka" / "topics.json"

START_HINT = 'deploy/local/infra.sh start && eval "$(deploy/local/infra.sh env)"'

pytestmark = pytest.mark.integration


def _require_env(name: str) -> str:
    value = os.environ.get(name)
    if value:
        return value
    reason = f"{name} is not set; run: {START_HINT}"
    if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
        pytest.fail(f"CI=true but {reason}", pytrace=False)
    pytest.skip(reason)


def test_postgresql_answers() -> None:
    import psycopg

    url = _require_env("TEST_DATABASE_URL")
    with psycopg.connect(url, connect_timeout=10) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)
        assert conn.info.server_version >= 150000, conn.info.server_version
        row = conn.execute("SELECT current_setting('server_encoding')").fetchone()
        assert row == ("UTF8",)


async def test_kafka_has_all_topics() -> None:
    from aiokafka.admin import AIOKafkaAdminClient

    bootstrap = _require_env("TEST_KAFKA_BOOTSTRAP")
    expected = {t["name"]: t["partitions"] for t in json.loads(TOPICS_FILE.read_text())["topics"]}
    assert expected, f"no topics in {TOPICS_FILE}"

    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=10_000)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = sorted(set(expected) - existing)
        assert not missing, f"topics missing on {bootstrap}: {missing}"
        described = await admin.describe_topics(list(expected))
    finally:
        await admin.close()

    partitions = {t["topic"]: len(t["partitions"]) for t in described}
    assert partitions == expected
