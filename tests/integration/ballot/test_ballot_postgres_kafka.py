"""The ballot service on real PostgreSQL and Kafka.

A whole election over HTTP on PostgreSQL (ballots cast from several threads at once, so the
per-election head lock is exercised), refusals that store nothing, the record verified, and the
lifecycle and result — never a ballot, credential or share — published on ``ballot.events.v1``
through ``shared.relay`` (in-process and with ``python -m ballot.entrypoints.relay --once``).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from ballot.bootstrap import BallotModule, build_ballot, load_or_create_board_key
from ballot.config import BallotSettings
from ballot.entrypoints.api.app import create_app
from ballot.harness import ElectionDriver, Trustee, dump_tables, election_request
from ballot.verifier import read_ndjson, verify_record
from helpers import TEST_ISSUER, MutableClock, headers
from kafka_helpers import read_all
from shared.envelope import Envelope
from shared.relay import KafkaTarget

pytestmark = pytest.mark.integration
TENANT = "tra-vinh"


def as_role(role: str) -> dict[str, str]:
    return headers(tenant=TENANT, subject=f"{role}.pg", role=role, unit="SNV")


@pytest.fixture
def ballot_topics(kafka_bootstrap: str, kafka_topics: dict[str, str]) -> Iterator[dict[str, str]]:
    """The ballot topics beside the test's private topics (same random prefix)."""
    from aiokafka.admin import AIOKafkaAdminClient, NewTopic

    prefix = kafka_topics["events"].split(".")[0]
    topics = {"events": f"{prefix}.ballot.events.v1", "position": f"{prefix}.ballot.relay-position"}

    async def admin(create: bool) -> None:
        client = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap)
        await client.start()
        try:
            if create:
                await client.create_topics(
                    [
                        NewTopic(topics["events"], 3, 1),
                        NewTopic(
                            topics["position"], 1, 1, topic_configs={"cleanup.policy": "compact"}
                        ),
                    ]
                )
            else:
                await client.delete_topics(list(topics.values()))
        finally:
            await client.close()

    asyncio.run(admin(True))
    try:
        yield topics
    finally:
        with contextlib.suppress(Exception):
            asyncio.run(admin(False))


def pg_settings(pg_url: str, key: Path) -> BallotSettings:
    return BallotSettings(
        mode="production", database_url=SecretStr(pg_url), board_key_file=key, checkpoint_every=10
    )


@pytest.fixture
def module(pg_url: str, tmp_path: Path, clock: MutableClock) -> Iterator[BallotModule]:
    key = tmp_path / "board.pem"
    load_or_create_board_key(key, create=True)  # production never creates it
    m = build_ballot(pg_settings(pg_url, key), clock=clock)
    yield m
    m.close()


def test_election_on_postgres_and_lifecycle_on_kafka(
    module: BallotModule,
    clock: MutableClock,
    pg_url: str,
    tmp_path: Path,
    kafka_bootstrap: str,
    ballot_topics: dict[str, str],
) -> None:
    voters = 24
    with TestClient(create_app(module, verifier=TEST_ISSUER.verifier())) as client:
        d = ElectionDriver(client, as_role, [Trustee.generate(i) for i in (1, 2, 3)])
        d.setup_open(
            election_request(
                d.trustees,
                summoned=voters,
                threshold=2,
                min_ballots=5,
                opens_at=clock.now - timedelta(minutes=1),
                persons=(("Võ Văn Em", "Chánh Văn phòng"), ("Đặng Thị Giang", "Phó Chánh VP")),
                scale="completion",
            ),
            voters=voters,
        )
        ballots = [d.make_ballot(code, (i % 4, (i + 1) % 5)) for i, code in enumerate(d.codes)]
        with ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(lambda b: d.cast(b).status_code, ballots))
        assert statuses == [201] * voters
        # refusals on PostgreSQL store nothing either
        before = dump_tables(module.db)
        assert d.cast(ballots[0]).json()["code"] == "ballot.replay"
        alien = ballots[1].to_dict()
        alien["answers"][0]["options"][0]["alpha"] = "01" + "00" * 31
        assert d.cast(alien).json()["code"] == "ballot.non_canonical_encoding"
        assert dump_tables(module.db) == before
        clock.advance(hours=5)
        assert d.organiser("close")["counted"] == voters
        d.decrypt([2, 3])
        result = client.get(d.url("/result")).json()
        lines = read_ndjson(client.get(d.url("/record")).text.splitlines())
    expected_first = [sum(1 for i in range(voters) if i % 4 == lv) for lv in range(4)] + [0]
    assert result["counts"][0] == expected_first
    assert result["report"]["persons"][1]["invalid"] == sum(
        1 for i in range(voters) if (i + 1) % 5 == 4
    )
    verified = verify_record(lines)
    assert verified.report.ok, verified.report.findings
    assert verified.report.counted == voters

    # relay in-process: exactly the lifecycle and the result, once each
    tid = f"ballot-relay-{ballot_topics['events'][:11]}"

    async def relay_all() -> int | None:
        target = KafkaTarget(
            kafka_bootstrap, ballot_topics["events"], ballot_topics["position"], tid
        )
        relay = module.relay(target)
        await target.start()
        try:
            await relay.drain()
        finally:
            await target.stop()
        return relay.position

    assert asyncio.run(relay_all()) == 6
    records = asyncio.run(read_all(kafka_bootstrap, ballot_topics["events"]))
    envelopes = sorted(
        (Envelope.from_json_bytes(r.value) for r in records), key=lambda e: e.global_position
    )
    assert [e.type for e in envelopes] == [
        "ballot.ElectionCreated",
        "ballot.KeyCeremonyCompleted",
        "ballot.CredentialsPublished",
        "ballot.ElectionOpened",
        "ballot.ElectionClosed",
        "ballot.ResultPublished",
    ]
    assert {e.tenant for e in envelopes} == {TENANT}
    assert len({e.event_id for e in envelopes}) == 6
    assert envelopes[-1].payload["report"]["quorum"]["met"] is True
    published = "\n".join(json.dumps(e.to_dict()) for e in envelopes)
    for ballot in ballots:
        assert ballot.tracker() not in published
        assert ballot.credential.hex() not in published
        assert ballot.answers[0].ciphertexts[0].alpha.hex() not in published
    for code in d.codes:
        assert code not in published
    assert "decryption.share" not in published and '"d":' not in published

    # the relay process: same result, nothing twice (it resumes from the stored position)
    env = {
        **os.environ,
        "BALLOT_MODE": "production",
        "BALLOT_DATABASE_URL": pg_url,
        "BALLOT_BOARD_KEY_FILE": str(tmp_path / "board.pem"),
        "BALLOT_KAFKA_BOOTSTRAP": kafka_bootstrap,
        "BALLOT_EVENTS_TOPIC": ballot_topics["events"],
        "BALLOT_POSITION_TOPIC": ballot_topics["position"],
        "BALLOT_RELAY_TRANSACTIONAL_ID": tid,
    }
    proc = subprocess.run(
        [sys.executable, "-m", "ballot.entrypoints.relay", "--once"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    again = asyncio.run(read_all(kafka_bootstrap, ballot_topics["events"]))
    assert len(again) == 6


def test_postgres_rows_hold_no_time_or_identity_next_to_ballots(
    module: BallotModule, clock: MutableClock
) -> None:
    with TestClient(create_app(module, verifier=TEST_ISSUER.verifier())) as client:
        d = ElectionDriver(client, as_role, [Trustee.generate(1)])
        d.create(election_request(d.trustees, summoned=3, threshold=1, opens_at=clock.now))
    with module.db.transaction() as tx:
        cols = tx.fetchall(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_name LIKE 'ballot_%%'"
        )
    assert cols
    assert not [c for c in cols if "time" in str(c[2]) or "date" in str(c[2])]
    names = {str(c[1]) for c in cols}
    assert not names & {"created_at", "ip", "client", "cookie", "user_agent", "subject", "code"}
    assert "ballot_audits" in {str(c[0]) for c in cols}
    for statement in (
        "DELETE FROM ballot_board",
        "UPDATE ballot_board SET body = '{}'",
        "TRUNCATE ballot_board",
        "TRUNCATE ballot_checkpoints",
        "TRUNCATE ballot_audits",
    ):
        with pytest.raises(Exception, match="append-only"), module.db.transaction() as tx:
            tx.execute(statement)


def test_an_audited_ballot_on_postgres_is_never_cast_and_published_at_the_close(
    module: BallotModule, clock: MutableClock
) -> None:
    from ballot.crypto import Point, audit_document, derive_credential, make_auditable_ballot

    with TestClient(create_app(module, verifier=TEST_ISSUER.verifier())) as client:
        d = ElectionDriver(client, as_role, [Trustee.generate(i) for i in (1, 2)])
        d.setup_open(
            election_request(
                d.trustees,
                summoned=3,
                threshold=2,
                min_ballots=1,
                opens_at=clock.now - timedelta(minutes=1),
            ),
            voters=3,
        )
        m = d.load_manifest()
        ballot, rs = make_auditable_ballot(
            bytes.fromhex(m["fingerprint"]),
            Point.from_hex(m["manifest"]["joint_key"]),
            derive_credential(d.codes[0], d.election_id),
            [1] * len(m["option_counts"]),
            m["option_counts"],
        )
        doc = audit_document(ballot, rs, [1] * len(m["option_counts"]))
        r = client.post(d.url("/audits"), json={"ballot": ballot.to_dict(), "audit": doc})
        assert r.status_code == 201, r.text
        assert d.cast(ballot).json()["code"] == "ballot.audited"
        for statement in ("DELETE FROM ballot_audits", "UPDATE ballot_audits SET body = '{}'"):
            with pytest.raises(Exception, match="append-only"), module.db.transaction() as tx:
                tx.execute(statement)
        assert d.cast(d.make_ballot(d.codes[0], [0] * len(m["option_counts"]))).status_code == 201
        clock.advance(hours=5)
        d.organiser("close")
        lines = read_ndjson(client.get(d.url("/record")).text.splitlines())
    assert [x["body"] for x in lines if x.get("kind") == "ballot.audited"] == [{"audit": doc}]
    report = verify_record(lines).report
    assert report.ok and report.audited == 1 and report.counted == 1
