"""Tamper evidence on real PostgreSQL: edit, delete, insert, reorder rows; rewrite the chain too.

Each case changes the database behind the application's back, as a database administrator
could, and expects ``audit verify`` to name the first damaged event.
"""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from pydantic import SecretStr

from assessment.adapters.history import iter_envelopes
from assessment.adapters.sealer import Sealer
from assessment.application.service import AssessmentApplication, CommandContext
from assessment.bootstrap import build_application, build_sealer, load_or_create_signing_key
from shared.audit import verify_history
from shared.settings import AssessmentSettings

pytestmark = pytest.mark.integration
CTX = CommandContext(
    tenant="dong-nai", actor={"subject": "snv", "role": "home_affairs", "acting_for": "SNV"}
)


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "keys" / "audit.pem"
    load_or_create_signing_key(path, create=True)
    return path


@pytest.fixture
def store(pg_url: str, key_file: Path) -> Iterator[tuple[AssessmentApplication, Sealer]]:
    settings = AssessmentSettings(
        mode="production",
        database_url=SecretStr(pg_url),
        audit_key_file=key_file,
        checkpoint_every_events=5,
    )
    app = build_application(settings)
    sealer = build_sealer(app, settings)
    for i in range(6):
        app.register_unit(CTX, code=f"U{i}", name=f"Đơn vị {i}", kind="department")
    sealer.seal()  # first checkpoint
    # a conflicting save burns a notification id: a real gap, as rolled-back inserts leave
    a = app.repository.get(uuid.UUID(app.get_unit(CTX, _uid(app, "U0"))["id"]))
    b = app.repository.get(a.id)
    a.rename(actor=CTX.actor, occurred_at=app.clock(), name="Đơn vị không")
    b.rename(actor=CTX.actor, occurred_at=app.clock(), name="Đơn vị zero")
    app.save(a)
    with pytest.raises(Exception):
        app.save(b)
    for i in range(6, 12):
        app.register_unit(CTX, code=f"U{i}", name=f"Đơn vị {i}", kind="department")
    sealer.seal()
    sealer.checkpoint_now()
    yield app, sealer
    sealer.db.close()
    app.close()


def _uid(app: AssessmentApplication, code: str) -> uuid.UUID:
    from assessment.domain.registry.unit import unit_id_for

    return unit_id_for("dong-nai", code)


def _table(conn: psycopg.Connection[Any]) -> str:
    row = conn.execute(
        "SELECT table_name FROM information_schema.tables WHERE "
        "table_name LIKE '%events' AND table_name NOT LIKE '%snapshots%'"
    ).fetchone()
    assert row is not None
    return str(row[0])


def run_verify(pg_url: str, key_file: Path) -> tuple[int, dict[str, Any]]:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "embedded.audit_cli",
            "verify",
            "--store",
            "--database-url",
            pg_url,
            "--public-key",
            str(key_file),
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def ids(conn: psycopg.Connection[Any]) -> list[int]:
    t = _table(conn)
    return [r[0] for r in conn.execute(f"SELECT notification_id FROM {t} ORDER BY notification_id")]


def test_untouched_history_verifies_clean(
    store: tuple[AssessmentApplication, Sealer], pg_url: str, key_file: Path
) -> None:
    rc, report = run_verify(pg_url, key_file)
    assert rc == 0 and report["ok"], report
    assert report["events"] == 13 and report["checkpoints_checked"] >= 2


def test_edited_row_is_named(
    store: tuple[AssessmentApplication, Sealer], pg_url: str, key_file: Path
) -> None:
    with psycopg.connect(pg_url, autocommit=True) as conn:
        t = _table(conn)
        target = ids(conn)[4]
        conn.execute(
            f"UPDATE {t} SET state = convert_to(replace(convert_from(state, 'UTF8'), "
            "'Đơn vị', 'Đơn vị GIẢ'), 'UTF8') WHERE notification_id = %s",
            (target,),
        )
    rc, report = run_verify(pg_url, key_file)
    assert rc == 1
    first = report["findings"][0]
    assert first["kind"] == "altered" and first["position"] == target


def test_deleted_row_is_named(
    store: tuple[AssessmentApplication, Sealer], pg_url: str, key_file: Path
) -> None:
    with psycopg.connect(pg_url, autocommit=True) as conn:
        t = _table(conn)
        target = ids(conn)[3]
        conn.execute(f"DELETE FROM {t} WHERE notification_id = %s", (target,))
    rc, report = run_verify(pg_url, key_file)
    assert rc == 1
    first = report["findings"][0]
    assert first["kind"] == "deleted" and first["position"] == target


def test_inserted_row_is_named(
    store: tuple[AssessmentApplication, Sealer], pg_url: str, key_file: Path
) -> None:
    with psycopg.connect(pg_url, autocommit=True) as conn:
        t = _table(conn)
        present = ids(conn)
        gaps = sorted(set(range(present[0], present[-1])) - set(present))
        assert gaps, "expected the burnt id of the conflicting save"
        # a forged rename of unit U3, slotted into the gap inside the sealed history
        victim = conn.execute(
            f"SELECT originator_id, state FROM {t} WHERE notification_id = %s",
            (present[1],),
        ).fetchone()
        assert victim is not None
        state = json.loads(bytes(victim[1]))
        forged = {k: state[k] for k in ("tenant", "actor", "occurred_at", "timestamp")}
        forged["name"] = "Đơn vị bị đổi tên trái phép"
        conn.execute(
            f"INSERT INTO {t} (originator_id, originator_version, topic, state, "
            "notification_id) VALUES (%s, 2, 'assessment.Unit.Renamed', %s, %s)",
            (victim[0], json.dumps(forged).encode(), gaps[0]),
        )
    rc, report = run_verify(pg_url, key_file)
    assert rc == 1
    first = report["findings"][0]
    assert first["kind"] == "inserted" and first["position"] == gaps[0]


def test_reordered_rows_are_named(
    store: tuple[AssessmentApplication, Sealer], pg_url: str, key_file: Path
) -> None:
    with psycopg.connect(pg_url) as conn:
        t = _table(conn)
        a, b = ids(conn)[2], ids(conn)[5]
        conn.execute(
            f"UPDATE {t} SET notification_id = -1 WHERE notification_id = %s",
            (a,),
        )
        conn.execute(
            f"UPDATE {t} SET notification_id = %s WHERE notification_id = %s",
            (a, b),
        )
        conn.execute(
            f"UPDATE {t} SET notification_id = %s WHERE notification_id = -1",
            (b,),
        )
    rc, report = run_verify(pg_url, key_file)
    assert rc == 1
    first = report["findings"][0]
    assert first["kind"] == "reordered" and first["position"] == a


def test_rewriting_events_and_chain_together_is_caught_by_the_signed_checkpoints(
    store: tuple[AssessmentApplication, Sealer], pg_url: str, key_file: Path
) -> None:
    app, _ = store
    with psycopg.connect(pg_url, autocommit=True) as conn:
        t = _table(conn)
        target = ids(conn)[1]
        conn.execute(
            f"UPDATE {t} SET state = convert_to(replace(convert_from(state, 'UTF8'), "
            "'Đơn vị', 'Đơn vị GIẢ'), 'UTF8') WHERE notification_id = %s",
            (target,),
        )
        # the administrator also recomputes the stored chain (without the signing key)
        conn.execute("DELETE FROM audit_chain")
        conn.execute("DELETE FROM audit_seal_state")
    resealer = build_sealer(
        app, AssessmentSettings(mode="production", database_url=SecretStr(pg_url))
    )
    resealer.seal()
    links_ok = verify_history(list(iter_envelopes(app)), resealer.all_links(), [], None)
    resealer.db.close()
    assert links_ok.ok  # the rewritten chain is self-consistent ...
    rc, report = run_verify(pg_url, key_file)
    assert rc == 1  # ... but does not match what was signed
    assert report["findings"][0]["kind"] == "altered"
