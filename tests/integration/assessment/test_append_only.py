"""Writes you can prove, on real PostgreSQL: each attack done by hand in SQL and caught.

The schema is made by an owner role (``migrate``); the service runs as a least-privilege role;
the "operator" in these tests holds the service role's own grants (its password is in the
service's configuration), and for the last two attacks the owner's, with triggers disabled.
"""

from __future__ import annotations

import json
import logging
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

import psycopg
import pytest

from assessment.adapters.history import iter_envelopes
from assessment.adapters.relay import ApplicationSource
from assessment.adapters.sealer import Sealer
from assessment.application.service import AssessmentApplication
from integration.assessment.store_roles import CTX, Roles
from shared.audit import verify_history
from shared.settings import AssessmentSettings

pytestmark = pytest.mark.integration


def _events(conn: psycopg.Connection[Any]) -> list[tuple[Any, ...]]:
    return list(
        conn.execute(
            "SELECT notification_id, originator_id, originator_version, topic, state "
            "FROM assessment_events ORDER BY notification_id"
        )
    )


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE assessment_events SET state = state",
        "DELETE FROM assessment_events",
        "TRUNCATE assessment_events",
        "UPDATE audit_chain SET hash = hash",
        "DELETE FROM audit_checkpoints",
        "TRUNCATE audit_chain",
        "CREATE TABLE sneaky (x int)",
    ],
)
def test_the_service_role_cannot_change_or_remove_history(
    service: tuple[AssessmentApplication, Sealer, AssessmentSettings],
    roles: Roles,
    statement: str,
) -> None:
    with (
        psycopg.connect(roles.app_url) as conn,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        conn.execute(statement)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE assessment_events SET state = state",
        "DELETE FROM assessment_events",
        "TRUNCATE assessment_events",
        "DELETE FROM audit_chain",
        "DELETE FROM audit_checkpoints",
        "TRUNCATE audit_checkpoints",
    ],
)
def test_triggers_stop_even_the_owner(
    service: tuple[AssessmentApplication, Sealer, AssessmentSettings],
    roles: Roles,
    statement: str,
) -> None:
    with (
        psycopg.connect(roles.owner_url) as conn,
        pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"),
    ):
        conn.execute(statement)


def test_an_event_inserted_by_sql_is_refused_named_and_never_published(
    service: tuple[AssessmentApplication, Sealer, AssessmentSettings],
    roles: Roles,
    caplog: pytest.LogCaptureFixture,
) -> None:
    app, sealer, _ = service
    before_head = sealer.head()
    # the operator copies a real row, changes its content and its aggregate: INSERT is granted
    with psycopg.connect(roles.app_url) as conn:
        _, _, _, topic, state = _events(conn)[0]
        forged_state = bytes(state).replace("Đơn vị 0".encode(), "Đơn vị giả".encode())
        forged_id = uuid.uuid4()
        conn.execute(
            "INSERT INTO assessment_events (originator_id, originator_version, topic, state) "
            "VALUES (%s, %s, %s, %s)",
            (forged_id, 1, topic, forged_state),
        )
        conn.execute(  # and one without any tag
            "INSERT INTO assessment_events (originator_id, originator_version, topic, state) "
            "VALUES (%s, %s, %s, %s)",
            (uuid.uuid4(), 1, topic, bytes(state).split(b"\x00")[0]),
        )
        forged_pos = _events(conn)[-2][0]
    app.register_unit(CTX, code="AFTER", name="Sau", kind="department")  # a real one after
    with caplog.at_level(logging.ERROR, logger="congvu.audit"):
        assert sealer.seal() == 0
        sealer.seal()  # again: still refused, one log line only
    refusal = sealer.refused
    assert refusal is not None and refusal.position == forged_pos
    assert refusal.aggregate_id == str(forged_id) and refusal.reason == "wrong_tag"
    lines = [r.getMessage() for r in caplog.records if "REFUSED" in r.getMessage()]
    assert len(lines) == 1 and f"position {forged_pos}" in lines[0] and str(forged_id) in lines[0]
    assert sealer.head() == before_head
    # the relay source publishes nothing at or after the refused row
    batch = ApplicationSource(app, sealer).read_batch(before_head[0], 500)
    assert all(e.global_position < forged_pos for e in batch.envelopes)
    assert batch.position < forged_pos


def _independent_copy(sealer: Sealer, path: Path) -> Path:
    """What an auditor keeps (here: the API's JSON answer, saved to a file)."""
    items = [cp.to_dict() for cp in sealer.checkpoints(0, None, 10**6)]
    path.write_text(json.dumps({"items": items}), encoding="utf-8")
    return path


def _superuser(pg_admin_url: str, pg_url: str) -> psycopg.Connection[Any]:
    parsed = urlparse(pg_admin_url)
    conn = psycopg.connect(urlunparse(parsed._replace(path=urlparse(pg_url).path)))
    conn.execute("SET session_replication_role = replica")  # triggers off: a superuser can
    return conn


def _verify(app: AssessmentApplication, sealer: Sealer, independent: Path | None) -> Any:
    from shared.audit import load_checkpoints

    signer = sealer.signer
    assert signer is not None
    return verify_history(
        list(iter_envelopes(app)),
        sealer.all_links(),
        sealer.checkpoints(0, None, 10**9),
        signer.public_key,
        independent=load_checkpoints(independent.read_text()) if independent else None,
    )


def _cli_verify(url: str, sealer: Sealer, copy: Path) -> tuple[int, dict[str, Any]]:
    import subprocess
    import sys

    from shared.audit import public_key_pem

    assert sealer.signer is not None
    pub = copy.with_name("pub.pem")
    pub.write_text(public_key_pem(sealer.signer.public_key))
    proc = subprocess.run(
        [
            sys.executable, "-m", "embedded.audit_cli", "verify", "--store",
            "--database-url", url, "--public-key", str(pub),
            "--checkpoints-file", str(copy), "--json",
        ],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def test_truncation_is_caught_by_the_independent_copy(
    service: tuple[AssessmentApplication, Sealer, AssessmentSettings],
    roles: Roles,
    pg_url: str,
    pg_admin_url: str,
    tmp_path: Path,
) -> None:
    app, sealer, _ = service
    copy = _independent_copy(sealer, tmp_path / "auditor-checkpoints.json")
    with _superuser(pg_admin_url, pg_url) as conn:
        last = conn.execute("SELECT max(notification_id) FROM assessment_events").fetchone()
        assert last is not None
        cut = int(last[0]) - 1
        conn.execute("DELETE FROM assessment_events WHERE notification_id >= %s", (cut,))
        conn.execute("DELETE FROM audit_chain WHERE position >= %s", (cut,))
        conn.execute("DELETE FROM audit_checkpoints WHERE position >= %s", (cut,))
        conn.execute(
            "UPDATE audit_seal_state SET position = %s, head_position = %s, head_hash = "
            "(SELECT hash FROM audit_chain WHERE position = %s), count = count - 2",
            (cut - 1, cut - 1, cut - 1),
        )
    assert _verify(app, sealer, None).ok  # the store alone looks clean
    report = _verify(app, sealer, copy)
    assert not report.ok and report.first is not None
    assert report.first.kind == "truncated" and report.first.position == cut
    # the auditor's command, connecting with read grants only
    rc, out = _cli_verify(roles.app_url, sealer, copy)
    assert rc == 1 and out["findings"][0]["kind"] == "truncated", out


def test_rewrite_with_chain_and_checkpoint_deletion_is_caught(
    service: tuple[AssessmentApplication, Sealer, AssessmentSettings],
    pg_url: str,
    pg_admin_url: str,
    tmp_path: Path,
) -> None:
    from shared.audit import link

    app, sealer, _ = service
    copy = _independent_copy(sealer, tmp_path / "auditor-checkpoints.json")
    target = 2
    with _superuser(pg_admin_url, pg_url) as conn:
        row = conn.execute(
            "SELECT state FROM assessment_events WHERE notification_id = %s", (target,)
        ).fetchone()
        assert row is not None and "Đơn vị 1".encode() in bytes(row[0])
        rewritten = bytes(row[0]).replace("Đơn vị 1".encode(), "Đơn vị X".encode())
        conn.execute(
            "UPDATE assessment_events SET state = %s WHERE notification_id = %s",
            (rewritten, target),
        )
        conn.commit()
    # recompute the whole chain from the rewritten content, as the attacker can
    prev = None
    rows = []
    for env in iter_envelopes(app):
        lk = link(prev, env)
        rows.append((lk.prev_hash, lk.hash, lk.position))
        prev = lk.hash
    with _superuser(pg_admin_url, pg_url) as conn:
        conn.cursor().executemany(
            "UPDATE audit_chain SET prev_hash = %s, hash = %s WHERE position = %s", rows
        )
        conn.execute("DELETE FROM audit_checkpoints WHERE position >= %s", (target,))
        conn.execute("UPDATE audit_seal_state SET head_hash = %s", (prev,))
    assert _verify(app, sealer, None).ok  # the store alone looks clean
    report = _verify(app, sealer, copy)
    assert not report.ok and report.first is not None
    assert report.first.kind == "altered", report.findings
