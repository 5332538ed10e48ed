"""Tags checked where the sealer does not look, on real PostgreSQL (issue 15):

- ``audit verify --store --tag-key-file``: the auditor, given the event tag key, names every row
  that did not come through the application (inserted by SQL with the service role's INSERT
  grant: an edited copy has a wrong tag, a plain row none) and exits 1;
- snapshots: the service role may INSERT into ``assessment_snapshots``; a snapshot it forges
  would become the aggregate's state on the next read. Read through the tag check it is
  ignored (logged, naming the row) and the aggregate is rebuilt from its sealed events.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path
from typing import Any

import psycopg
import pytest
from eventsourcing.domain import Snapshot

from assessment.adapters.event_tags import mapper_class_for
from assessment.adapters.sealer import Sealer
from assessment.application.service import AssessmentApplication
from assessment.bootstrap import build_application
from assessment.domain.registry.unit import unit_id_for
from integration.assessment.store_roles import CTX, Roles
from shared.audit import public_key_pem
from shared.settings import AssessmentSettings

pytestmark = pytest.mark.integration
Service = tuple[AssessmentApplication, Sealer, AssessmentSettings]


def _audit(url: str, sealer: Sealer, tmp_path: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    assert sealer.signer is not None
    pub = tmp_path / "pub.pem"
    pub.write_text(public_key_pem(sealer.signer.public_key))
    proc = subprocess.run(
        [
            sys.executable, "-m", "embedded.audit_cli", "verify", "--store",
            "--database-url", url, "--public-key", str(pub), "--json", *extra,
        ],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def test_audit_verify_with_the_tag_key_names_rows_inserted_by_sql(
    service: Service, roles: Roles, tmp_path: Path
) -> None:
    _, sealer, settings = service
    key = ["--tag-key-file", str(settings.event_key_file)]
    rc, out = _audit(roles.app_url, sealer, tmp_path, *key)
    assert rc == 0 and out["ok"] and out["findings"] == [], out
    with psycopg.connect(roles.app_url) as conn:  # the operator, with the service's grants
        _, topic, state = conn.execute(
            "SELECT originator_id, topic, state FROM assessment_events "
            "ORDER BY notification_id LIMIT 1"
        ).fetchone() or (None, "", b"")
        edited = bytes(state).replace("Đơn vị 0".encode(), "Đơn vị giả".encode())
        untagged = bytes(state).split(b"\x00")[0]
        positions = []
        for code, content in (("FAKE1", edited), ("FAKE2", untagged)):
            row = conn.execute(
                "INSERT INTO assessment_events (originator_id, originator_version, topic, state) "
                "VALUES (%s, 1, %s, %s) RETURNING notification_id",
                (unit_id_for(CTX.tenant, code), topic, content),
            ).fetchone()
            assert row is not None
            positions.append(int(row[0]))
    rc, out = _audit(roles.app_url, sealer, tmp_path, *key)
    assert rc == 1 and not out["ok"], out
    named = [(f["kind"], f["position"]) for f in out["findings"][:2]]
    assert named == [("wrong_tag", positions[0]), ("untagged", positions[1])], out
    assert str(unit_id_for(CTX.tenant, "FAKE1")) in out["findings"][0]["detail"]
    # the human-readable line names the first one, in Vietnamese
    proc = subprocess.run(
        [sys.executable, "-m", "embedded.audit_cli", "verify", "--store",
         "--database-url", roles.app_url, *key],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert proc.returncode == 1 and "thẻ HMAC sai" in proc.stdout, proc.stdout
    assert f"vị trí {positions[0]}" in proc.stdout


def test_the_tag_key_is_refused_without_the_store_and_when_missing(
    service: Service, roles: Roles, tmp_path: Path
) -> None:
    for args in (
        ["--ndjson", str(tmp_path / "x.ndjson"), "--tag-key-file", str(tmp_path / "k")],
        ["--store", "--database-url", roles.app_url, "--tag-key-file", str(tmp_path / "nope")],
    ):
        proc = subprocess.run(
            [sys.executable, "-m", "embedded.audit_cli", "verify", *args],
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        assert proc.returncode == 2, (args, proc.stdout, proc.stderr)
        assert "Traceback" not in proc.stderr


def _forge_snapshot(
    app: AssessmentApplication, roles: Roles, code: str, key: bytes, version: int | None = None
) -> None:
    """The operator's forged snapshot of unit ``code``: its real state (at ``version``; the
    latest without) with another name, stored under a key of the operator's own (``b""``: no
    tag at all)."""
    unit: Any = app.repository.get(unit_id_for(CTX.tenant, code), version=version)
    unit.name = "Đơn vị giả mạo"
    mapper = app.factory.mapper(
        transcoder=app.construct_transcoder(), mapper_class=mapper_class_for(key or None)
    )
    stored = mapper.to_stored_event(Snapshot.take(unit))
    with psycopg.connect(roles.app_url) as conn:
        conn.execute(
            "INSERT INTO assessment_snapshots (originator_id, originator_version, topic, state) "
            "VALUES (%s, %s, %s, %s)",
            (stored.originator_id, stored.originator_version, stored.topic, stored.state),
        )


def test_a_forged_snapshot_is_ignored_on_read(
    service: Service, roles: Roles, caplog: pytest.LogCaptureFixture
) -> None:
    app, _, settings = service
    for code, key in (("U1", b"k" * 32), ("U2", b"")):  # a wrong tag, then none
        _forge_snapshot(app, roles, code, key)
    # a reader that checks nothing (no tag key) would take the forged state: the attack is real
    unchecked = build_application(settings.model_copy(update={"event_key_file": None}))
    try:
        assert unchecked.repository.get(unit_id_for(CTX.tenant, "U1")).name == "Đơn vị giả mạo"
    finally:
        unchecked.close()
    # a fresh process of the service (nothing cached): checks the tags of what it reads
    checked = build_application(settings)
    with caplog.at_level(logging.ERROR, logger="congvu.snapshots"):
        for code, n in (("U1", 1), ("U2", 2)):
            unit: Any = checked.repository.get(unit_id_for(CTX.tenant, code))
            assert unit.name == f"Đơn vị {n}", code
            assert unit.version == 1
        checked.repository.get(unit_id_for(CTX.tenant, "U1"))  # again: logged once per row
    checked.close()
    lines = [r.getMessage() for r in caplog.records if "snapshot refused" in r.getMessage()]
    assert len(lines) == 2, lines
    assert str(unit_id_for(CTX.tenant, "U1")) in lines[0] and "wrong_tag" in lines[0]
    assert "untagged" in lines[1]


def test_a_snapshot_the_application_took_is_still_used(service: Service) -> None:
    app, _, _ = service
    ident = unit_id_for(CTX.tenant, "U3")
    app.take_snapshot(ident)
    assert app.snapshots is not None
    assert [s.originator_version for s in app.snapshots.get(ident, desc=True, limit=1)] == [1]
    assert app.repository.get(ident).name == "Đơn vị 3"
