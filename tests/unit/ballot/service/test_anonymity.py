"""Anonymity: nothing near a ballot identifies a voter — stored rows, files and logs.

A real uvicorn server (access log on) receives ballots from a client that sends a forwarded
address, a cookie and a distinctive user agent. Afterwards no table, no database file and no
captured log line holds a code, an address, the cookie, the user agent or a time finer than
the election's; the cast and tracker routes leave no access-log line at all.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from ballot.bootstrap import BallotModule
from ballot.crypto import (
    Point,
    audit_document,
    derive_credential,
    make_auditable_ballot,
    normalize_code,
)
from ballot.entrypoints.api.app import create_app
from ballot.entrypoints.api.logfilter import AnonymousBallotAccessFilter
from ballot.harness import ElectionDriver, LiveServer, Trustee, dump_tables, election_request
from helpers import TEST_ISSUER, MutableClock

FORWARDED = "203.0.113.77"
COOKIE = "phien=bi-mat-cua-cu-tri"
AGENT = "may-cua-cu-tri-0042"
ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def test_no_identity_or_precise_time_near_a_ballot(
    module: BallotModule,
    clock: MutableClock,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    as_role: Callable[..., dict[str, str]],
) -> None:
    caplog.set_level(logging.DEBUG)
    app = create_app(module, verifier=TEST_ISSUER.verifier())
    with LiveServer(app, access_log=True) as server, httpx.Client(base_url=server.url) as http:
        d = ElectionDriver(http, as_role, [Trustee.generate(i) for i in (1, 2)])
        d.setup_open(
            election_request(
                d.trustees,
                summoned=4,
                threshold=2,
                min_ballots=2,
                opens_at=clock.now - timedelta(minutes=1),
            ),
            voters=4,
        )
        voter = {"X-Forwarded-For": FORWARDED, "User-Agent": AGENT, "Cookie": COOKIE}
        trackers = []
        for code in d.codes[:3]:
            r = http.post(
                d.url("/ballots"), json=d.make_ballot(code, (1,)).to_dict(), headers=voter
            )
            assert r.status_code == 201, r.text
            assert "set-cookie" not in r.headers
            trackers.append(r.json()["tracker"])
        # the fourth voter audits a ballot instead of casting it (Benaloh)
        m = d.load_manifest()
        auditor = derive_credential(d.codes[3], d.election_id)
        spoiled, rs = make_auditable_ballot(
            bytes.fromhex(m["fingerprint"]),
            Point.from_hex(m["manifest"]["joint_key"]),
            auditor,
            (1,),
            m["option_counts"],
        )
        body = {"ballot": spoiled.to_dict(), "audit": audit_document(spoiled, rs, (1,))}
        r = http.post(d.url("/audits"), json=body, headers=voter)
        assert r.status_code == 201, r.text
        assert "set-cookie" not in r.headers
        for t in trackers:
            assert http.get(d.url(f"/trackers/{t}"), headers=voter).status_code == 200
        assert http.get(d.url("/manifest"), headers=voter).status_code == 200

    secrets = [*d.codes, *(normalize_code(c) for c in d.codes)]
    identifying = [FORWARDED, COOKIE, AGENT, "tccb.organiser"]

    # 1. stored rows: no code, address, cookie or agent anywhere; no time on ballot entries
    tables = dump_tables(module.db)
    flat = repr(tables)
    for needle in [*secrets, FORWARDED, "127.0.0.1", COOKIE, AGENT]:
        assert needle not in flat, f"{needle!r} is stored"
    # the auditor's credential is on the public list, and nowhere near the audited ballot
    near = repr([tables[t] for t in ("ballot_audits", "ballot_alphas", "ballot_trackers")])
    assert auditor.public.hex() not in near
    (audit_row,) = tables["ballot_audits"]
    assert not ISO_TIME.search(repr(audit_row)), "an audited ballot carries a time"
    with module.db.transaction() as tx:
        rows = tx.fetchall("SELECT kind, body FROM ballot_board WHERE kind = 'ballot.cast'")
        cps = tx.fetchall("SELECT signed_at FROM ballot_checkpoints")
    assert len(rows) == 3
    for _, body in rows:
        assert '"ballot":' in body and '"tracker":' in body
        assert not ISO_TIME.search(body), "a ballot entry carries a time"
        assert "at" not in json.loads(body)
    assert cps and all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(s)) for (s,) in cps)
    # no table has a time, address or session column at all
    with module.db.transaction() as tx:
        columns = [
            str(c[1]).lower() for t in tables for c in tx.fetchall(f"PRAGMA table_info({t})")
        ]
    suspicious = [c for c in columns if re.search(r"time|_at$|date|ip|addr|cookie|agent|user", c)]
    assert suspicious == ["signed_at"]  # checkpoints: a date only, checked above

    # 2. the database files themselves (including the WAL)
    for f in tmp_path.glob("ballot.sqlite*"):
        raw = f.read_bytes()
        for needle in [*secrets, FORWARDED, COOKIE, AGENT]:
            assert needle.encode() not in raw, f"{needle!r} in {f.name}"

    # 3. the logs: no cast or tracker line, no client address on any ballot line
    server_side = [r for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))]
    text = "\n".join(r.getMessage() for r in server_side)
    assert "/ballots" not in text and "/trackers/" not in text and "/audits" not in text
    for needle in [*secrets, *identifying, *trackers]:
        assert needle not in text, f"{needle!r} logged"
    access = [r for r in caplog.records if r.name == "uvicorn.access"]
    assert any("/manifest" in r.getMessage() for r in access)  # the log works, just redacted
    assert all(r.getMessage().startswith("- ") for r in access if "/v1/ballot/" in r.getMessage())
    assert not [r for r in access if "127.0.0.1" in r.getMessage()]  # the client's address


@pytest.mark.parametrize(
    ("path", "kept"),
    [
        ("/v1/ballot/elections/e1/ballots", False),
        ("/v1/ballot/elections/e1/trackers/ab12", False),
        ("/v1/ballot/elections/e1/audits", False),
        ("/root/v1/ballot/elections/e1/ballots?x=1", False),
        ("/v1/ballot/elections/e1/manifest", True),
        ("/v1/units", True),
    ],
)
def test_access_log_filter(path: str, kept: bool) -> None:
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("10.1.2.3:5555", "POST", path, "1.1", 201),
        None,
    )
    assert AnonymousBallotAccessFilter().filter(record) is kept
    if kept and "/v1/ballot/" in path:
        assert record.getMessage().startswith("- ")
    if kept and "/v1/ballot/" not in path:
        assert record.getMessage().startswith("10.1.2.3")
