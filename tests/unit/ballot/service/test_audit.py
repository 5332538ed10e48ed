"""Cast-as-intended through the service: audit (Benaloh) instead of casting, then cast afresh.

An audited ballot is checked (signature, proofs, listed credential, opening), can never be
cast, cannot be a ballot already cast, is published at the close in tracker order without
credential or time, and ``ballot-verify`` checks the openings and that none was counted.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from ballot.bootstrap import BallotModule
from ballot.cli.verify import app as verify_app
from ballot.crypto import (
    Ballot,
    Point,
    Scalar,
    audit_document,
    derive_credential,
    generate_code,
    make_auditable_ballot,
)
from ballot.domain.board import Entry
from ballot.harness import ElectionDriver, dump_tables
from ballot.verifier import read_ndjson, verify_record
from helpers import MutableClock


def auditable(
    d: ElectionDriver, code: str, choices: tuple[int, ...]
) -> tuple[Ballot, tuple[tuple[Scalar, ...], ...]]:
    m = d.manifest or d.load_manifest()
    return make_auditable_ballot(
        bytes.fromhex(m["fingerprint"]),
        Point.from_hex(m["manifest"]["joint_key"]),
        derive_credential(code, d.election_id),
        choices,
        m["option_counts"],
    )


def post_audit(client: TestClient, d: ElectionDriver, body: Any) -> Any:
    return client.post(
        d.url("/audits"), content=json.dumps(body), headers={"Content-Type": "application/json"}
    )


def problem(r: Any, status: int, code: str) -> None:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["code"] == code


def test_audit_then_cast_afresh_and_the_audited_ballot_can_never_be_cast(
    open_election: ElectionDriver,
    client: TestClient,
    module: BallotModule,
    clock: MutableClock,
    tmp_path: Path,
) -> None:
    d = open_election
    ballot, rs = auditable(d, d.codes[0], (2, 1))
    doc = audit_document(ballot, rs, (2, 1))
    r = post_audit(client, d, {"ballot": ballot.to_dict(), "audit": doc})
    assert r.status_code == 201, r.text
    assert r.json()["choices"] == [2, 1] and r.json()["tracker"] == ballot.tracker()
    assert r.headers["cache-control"] == "no-store"
    again = post_audit(client, d, {"ballot": ballot.to_dict(), "audit": doc})
    assert again.status_code == 201 and again.json()["replayed"] is True
    # the audited ballot itself can never be cast
    problem(d.cast(ballot), 409, "ballot.audited")
    assert client.get(d.url()).json()["ballots"] == 0
    lookup = client.get(d.url(f"/trackers/{ballot.tracker()}")).json()
    assert lookup["audited"] is True and lookup["counted"] is False and lookup["seq"] is None
    # nothing stored links the audit to the voter's credential
    credential = derive_credential(d.codes[0], d.election_id).public.hex()
    audit_rows = dump_tables(module.db)["ballot_audits"]
    assert len(audit_rows) == 1 and credential not in json.dumps(audit_rows)

    # the voter encrypts afresh (new nonces) and casts: accepted and counted
    fresh = d.make_ballot(d.codes[0], (2, 1))
    assert d.cast(fresh).status_code == 201
    # a cast ballot can never be audited (its nonces would reveal a counted vote)
    cast_ballot, cast_rs = auditable(d, d.codes[1], (0, 0))
    assert d.cast(cast_ballot).status_code == 201
    cast_doc = audit_document(cast_ballot, cast_rs, (0, 0))
    problem(
        post_audit(client, d, {"ballot": cast_ballot.to_dict(), "audit": cast_doc}),
        409,
        "ballot.already_cast",
    )

    # a second audit, then the close publishes both, sorted by tracker, before the aggregate
    other, other_rs = auditable(d, d.codes[2], (1, 3))
    body = {"ballot": other.to_dict(), "audit": audit_document(other, other_rs, (1, 3))}
    assert post_audit(client, d, body).status_code == 201
    for code in d.codes[2:5]:
        assert d.cast(d.make_ballot(code, (0, 2))).status_code == 201
    clock.advance(hours=5)
    closed = d.organiser("close")
    assert closed["audited"] == 2 and closed["counted"] == 5
    d.decrypt([1, 2])
    counts = client.get(d.url("/result")).json()["counts"]
    assert counts == [[4, 0, 1, 0], [1, 1, 3, 0]]  # the audited (2, 1) and (1, 3) not in it

    record = read_ndjson(client.get(d.url("/record")).text.splitlines())
    kinds = [x["kind"] for x in record if x["type"] == "entry"]
    at = kinds.index("election.closed")
    assert kinds[at : at + 4] == [
        "election.closed",
        "ballot.audited",
        "ballot.audited",
        "tally.aggregated",
    ]
    published = [x["body"] for x in record if x.get("kind") == "ballot.audited"]
    trackers = [b["audit"]["tracker"] for b in published]
    assert trackers == sorted([ballot.tracker(), other.tracker()])
    assert all(set(b) == {"audit"} and "credential" not in b["audit"] for b in published)
    verified = verify_record(record).report
    assert verified.ok and verified.audited == 2

    # ballot-verify --audit: the voter's file checked against the record alone
    rec = tmp_path / "record.ndjson"
    rec.write_text(client.get(d.url("/record")).text)
    good = tmp_path / "audit.json"
    good.write_text(json.dumps(doc))
    out = CliRunner().invoke(verify_app, [str(rec), "--audit", str(good)])
    assert out.exit_code == 0, out.output
    assert "AUDIT PASSED" in out.output and "Tín nhiệm thấp" in out.output
    lying = copy.deepcopy(doc)
    lying["answers"][0]["choice"] = 0  # the page would have shown another choice
    bad = tmp_path / "lying.json"
    bad.write_text(json.dumps(lying))
    out = CliRunner().invoke(verify_app, [str(rec), "--audit", str(bad)])
    assert out.exit_code == 1 and "ballot.audit_invalid" in out.output
    cast_file = tmp_path / "cast.json"
    cast_file.write_text(json.dumps(cast_doc))
    out = CliRunner().invoke(verify_app, [str(rec), "--audit", str(cast_file), "--json"])
    assert out.exit_code == 1 and "ballot.audited_ballot_cast" in out.output


def test_audit_requests_that_must_be_refused(
    open_election: ElectionDriver, client: TestClient, module: BallotModule
) -> None:
    d = open_election
    ballot, rs = auditable(d, d.codes[0], (1, 1))
    doc = audit_document(ballot, rs, (1, 1))
    before = dump_tables(module.db)
    wrong_choice = copy.deepcopy(doc)
    wrong_choice["answers"][1]["choice"] = 2
    problem(
        post_audit(client, d, {"ballot": ballot.to_dict(), "audit": wrong_choice}),
        422,
        "ballot.audit_invalid",
    )
    other, other_rs = auditable(d, d.codes[1], (1, 1))
    problem(
        post_audit(
            client,
            d,
            {"ballot": ballot.to_dict(), "audit": audit_document(other, other_rs, (1, 1))},
        ),
        422,
        "ballot.audit_invalid",
    )
    stranger, s_rs = make_auditable_ballot(
        bytes.fromhex(d.manifest["fingerprint"]),  # type: ignore[index]
        Point.from_hex(d.manifest["manifest"]["joint_key"]),  # type: ignore[index]
        derive_credential(generate_code(), d.election_id),
        (0, 0),
        d.manifest["option_counts"],  # type: ignore[index]
    )
    problem(
        post_audit(
            client,
            d,
            {"ballot": stranger.to_dict(), "audit": audit_document(stranger, s_rs, (0, 0))},
        ),
        403,
        "ballot.unknown_credential",
    )
    problem(post_audit(client, d, {"ballot": ballot.to_dict()}), 422, "ballot.malformed")
    assert dump_tables(module.db) == before


def test_the_verifier_catches_an_audited_ballot_that_was_counted(
    open_election: ElectionDriver, client: TestClient, clock: MutableClock
) -> None:
    """A dishonest server publishes as audited a ballot it also counted."""
    d = open_election
    cast, rs = auditable(d, d.codes[0], (0, 1))
    assert d.cast(cast).status_code == 201
    for code in d.codes[1:4]:
        assert d.cast(d.make_ballot(code, (1, 1))).status_code == 201
    clock.advance(hours=5)
    d.organiser("close")
    lines = read_ndjson(client.get(d.url("/record")).text.splitlines())
    closed = next(i for i, x in enumerate(lines) if x.get("kind") == "election.closed")
    entries = [x for x in lines if x["type"] == "entry"]
    forged = {"type": "entry", "election": d.election_id, "kind": "ballot.audited"}
    forged["body"] = {"audit": audit_document(cast, rs, (0, 1))}
    entries.insert(entries.index(lines[closed]) + 1, forged)
    out, prev = [], None
    for seq, line in enumerate(entries, start=1):
        e = Entry.make(d.election_id, seq, line["kind"], line["body"], prev)
        prev = e.hash
        out.append(e.to_line())
    found = {f.code for f in verify_record(out).report.findings}
    assert "ballot.audited_ballot_cast" in found
