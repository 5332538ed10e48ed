"""A whole vote from the command line, against a real uvicorn server (SQLite).

Trustees run ``ballot-trustee`` (keygen, round1, round2, confirm, decrypt; 2 of 3), the
credential authority runs ``ballot-ca`` (codes PDF + public list, upload), voters' ballots are
made with the Python crypto core from the codes printed in the PDF and cast over HTTP, the
organiser closes, and ``ballot-verify`` accepts the downloaded record — and rejects each
tampered copy: an edited ballot, a dropped ballot, two ballots swapped, a forged checkpoint,
a bad decryption share (with the chain recomputed, so only the proofs and signatures catch it).
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ballot.bootstrap import BallotModule
from ballot.domain.board import Entry
from shared.audit import Checkpoint, CheckpointSigner

pytestmark = pytest.mark.e2e

BIN = Path(sys.executable).parent


def lines_of(path: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in path.read_text().splitlines() if x]


def write(path: Path, lines: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines))
    return path


def rechain(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What an attacker with database access but without the board key would do."""
    out, prev = [], None
    for line in lines:
        if line["type"] == "entry":
            e = Entry.make(line["election"], line["seq"], line["kind"], line["body"], prev)
            prev = e.hash
            out.append(e.to_line())
        else:
            out.append(line)
    return out


def verify(record: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    proc = subprocess.run(
        [str(BIN / "ballot-verify"), str(record), "--json", *extra],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return proc.returncode, json.loads(proc.stdout)


def codes_found(report: dict[str, Any]) -> set[str]:
    return {f["code"] for f in report["findings"]}


def test_a_whole_vote_from_the_command_line(
    server: tuple[str, BallotModule], tmp_path: Path, kit: SimpleNamespace
) -> None:
    cli, organiser, setup_election, cast_all = (
        kit.cli,
        kit.organiser,
        kit.setup_election,
        kit.cast_all,
    )
    url, _ = server
    election, keys, codes = setup_election(url, tmp_path, summoned=6, min_ballots=3)
    # person 1: 4 × low of 6 (≥ 2/3), person 2: mostly high; one voter changes their mind
    choices = [(2, 0), (2, 0), (2, 1), (2, 0), (0, 3), (1, 0)]
    cast_all(url, election, codes, choices)
    cast_all(url, election, codes[5:], [(2, 0)])  # revote: now 5 × low for person 1
    half = tmp_path / "half.ndjson"
    assert verify_download(url, election, half) == 0
    head_then = subprocess.run(
        [str(BIN / "ballot-verify"), str(half)], capture_output=True, text=True
    ).stdout.strip()
    closed = organiser(url, f"/{election}/close")  # early: every code has voted
    assert closed["counted"] == 6 and closed["ballots"] == 7
    common = ["--url", url, "--election", election]
    cli("ballot-trustee", "decrypt", *common, "--key", str(keys[0]), role="trustee")
    cli("ballot-trustee", "decrypt", *common, "--key", str(keys[2]), role="trustee")
    result = httpx.get(f"{url}/v1/ballot/elections/{election}/result").json()
    assert result["counts"] == [[1, 0, 5, 0], [4, 1, 0, 1]]
    report = result["report"]
    assert report["quorum"]["met"] is True and report["quorum"]["required"] == 4
    p1, p2 = report["persons"]
    assert p1["low_over_half"] and p1["low_at_least_two_thirds"]
    assert [lv["percent"] for lv in p1["levels"]] == ["16.67", "0.00", "83.33"]
    assert not p2["low_over_half"] and p2["invalid"] == 1 and p2["valid"] == 5

    record = tmp_path / "record.ndjson"
    assert verify_download(url, election, record) == 0
    code, ok = verify(record)
    assert code == 0 and ok["ok"] and ok["counted"] == 6 and ok["status"] == "decrypted"
    assert ok["sealed_seq"] == ok["entries"]
    code, since = verify(record, "--since", head_then)
    assert code == 0, since["findings"]

    lines = lines_of(record)
    ballots = [i for i, x in enumerate(lines) if x.get("kind") == "ballot.cast"]
    # 1. edit a ballot (flip one digit of a response)
    edited = json.loads(json.dumps(lines))
    opt = edited[ballots[1]]["body"]["ballot"]["answers"][0]["options"][0]
    opt["z1"] = ("0" if opt["z1"][0] != "0" else "1") + opt["z1"][1:]
    code, rep = verify(write(tmp_path / "edited.ndjson", edited))
    assert code == 1 and "record.entry_altered" in codes_found(rep)
    # ... and the same edit with the whole chain recomputed: signatures and proofs catch it
    code, rep = verify(write(tmp_path / "edited2.ndjson", rechain(edited)))
    assert code == 1
    assert {"record.checkpoint_mismatch", "ballot.signature_invalid"} <= codes_found(rep)
    # 2. drop a ballot
    dropped = [x for i, x in enumerate(lines) if i != ballots[2]]
    code, rep = verify(write(tmp_path / "dropped.ndjson", dropped))
    assert code == 1 and "record.missing_entry" in codes_found(rep)
    # 3. reorder two ballots
    swapped = list(lines)
    swapped[ballots[0]], swapped[ballots[3]] = swapped[ballots[3]], swapped[ballots[0]]
    code, rep = verify(write(tmp_path / "reordered.ndjson", swapped))
    assert code == 1 and "record.reordered" in codes_found(rep)
    # 4. forge a checkpoint: a different key, or a changed signed head
    cps = [i for i, x in enumerate(lines) if x["type"] == "checkpoint"]
    forged = json.loads(json.dumps(lines))
    impostor = CheckpointSigner(Ed25519PrivateKey.generate())
    body = {k: v for k, v in forged[cps[-1]].items() if k != "type"}
    forged[cps[-1]] = {
        "type": "checkpoint",
        **impostor.sign(Checkpoint.from_dict(body)).to_dict(),
    }
    code, rep = verify(write(tmp_path / "forged.ndjson", forged))
    assert code == 1 and "record.checkpoint_invalid" in codes_found(rep)
    forged2 = json.loads(json.dumps(lines))
    forged2[cps[0]]["head_hash"] = "00" * 32  # claim another head under the real signature
    code, rep = verify(write(tmp_path / "forged2.ndjson", forged2))
    assert code == 1 and "record.checkpoint_invalid" in codes_found(rep)
    # 5. a bad decryption share, chain recomputed
    share_at = next(i for i, x in enumerate(lines) if x.get("kind") == "decryption.share")
    bad = json.loads(json.dumps(lines))
    share = bad[share_at]["body"]["share"]
    share["questions"][0][0]["d"] = share["questions"][0][1]["d"]
    code, rep = verify(write(tmp_path / "badshare.ndjson", rechain(bad)))
    assert code == 1
    named = [f for f in rep["findings"] if f["code"] == "ballot.share_invalid"]
    assert named and named[0]["trustee"] == share["trustee"]


def verify_download(url: str, election: str, path: Path) -> int:
    proc = subprocess.run(
        [str(BIN / "ballot-verify"), "--url", url, "--election", election, "--save", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return proc.returncode


def test_trustee_refuses_to_decrypt_below_the_minimum_or_a_board_that_does_not_verify(
    server: tuple[str, BallotModule], tmp_path: Path, kit: SimpleNamespace
) -> None:
    cli, organiser, setup_election, cast_all = (
        kit.cli,
        kit.organiser,
        kit.setup_election,
        kit.cast_all,
    )
    url, module = server
    election, keys, codes = setup_election(url, tmp_path, summoned=4, min_ballots=3)
    cast_all(url, election, codes[:2], [(0, 0), (1, 1)])
    module.service.clock = lambda: datetime.now(UTC) + timedelta(hours=3)
    organiser(url, f"/{election}/close")
    common = ["--url", url, "--election", election, "--key", str(keys[0])]
    out = cli("ballot-trustee", "decrypt", *common, role="trustee", check=False)
    assert out.startswith("1\n") and "tối thiểu 3" in out
    # the operator alters a stored ballot behind the board's back (dropping the guard first)
    with module.db.transaction() as tx:
        tx.execute("DROP TRIGGER ballot_board_no_update")
        row = tx.fetchone(
            "SELECT seq, body FROM ballot_board WHERE election_id = %s AND kind = 'ballot.cast' "
            "ORDER BY seq LIMIT 1",
            (election,),
        )
        assert row is not None
        body = json.loads(row[1])
        body["tracker"] = "0" * 64
        tx.execute(
            "UPDATE ballot_board SET body = %s WHERE election_id = %s AND seq = %s",
            (json.dumps(body), election, row[0]),
        )
    out = cli("ballot-trustee", "decrypt", *common, role="trustee", check=False)
    assert out.startswith("1\n") and "KHÔNG hợp lệ" in out and "record.entry_altered" in out
