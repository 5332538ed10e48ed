"""A whole vote from the command line, against a real uvicorn server (SQLite).

Trustees run ``ballot-trustee`` (keygen, round1, round2, confirm, decrypt; 2 of 3), the
credential authority runs ``ballot-ca`` (codes PDF + public list, upload), voters' ballots are
made with the Python crypto core from the codes printed in the PDF and cast over HTTP, the
organiser closes, and ``ballot-verify`` accepts the downloaded record — and rejects each
tampered copy: an edited ballot, a dropped ballot, two ballots swapped, a forged checkpoint,
a bad decryption share (with the chain recomputed, so only the proofs and signatures catch it).
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pypdf import PdfReader

import helpers
from ballot.bootstrap import BallotModule, build_ballot
from ballot.config import BallotSettings
from ballot.crypto import Point, derive_credential, make_ballot
from ballot.crypto.credentials import BASE58_ALPHABET
from ballot.domain.board import Entry
from ballot.entrypoints.api.app import create_app
from ballot.harness import LiveServer
from helpers import TEST_ISSUER
from shared.audit import Checkpoint, CheckpointSigner

pytestmark = pytest.mark.e2e

BIN = Path(sys.executable).parent
TENANT = "quang-binh"
PASS = "mật khẩu rất dài của thành viên"
CODE_RE = re.compile(rf"[{BASE58_ALPHABET}]{{4}}(?:-[{BASE58_ALPHABET}]{{4}}){{5}}")


def token(role: str) -> str:
    return helpers.token(tenant=TENANT, subject=f"{role}.1", role=role, unit="SNV")


def cli(tool: str, *args: str, role: str | None = None, check: bool = True) -> str:
    env = {**os.environ, "BALLOT_TRUSTEE_PASSPHRASE": PASS}
    env.pop("BALLOT_TOKEN", None)
    if role:
        env["BALLOT_TOKEN"] = token(role)
    proc = subprocess.run(
        [str(BIN / tool), *args], env=env, capture_output=True, text=True, timeout=120
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"{tool} {args[0]} exited {proc.returncode}:\n{proc.stderr}")
    return proc.stdout if check else f"{proc.returncode}\n{proc.stdout}\n{proc.stderr}"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, BallotModule]]:
    module = build_ballot(
        BallotSettings(
            mode="embedded",
            sqlite_path=tmp_path / "server" / "ballot.sqlite",
            board_key_file=tmp_path / "server" / "board.pem",
            checkpoint_every=4,
        )
    )
    try:
        with LiveServer(create_app(module, verifier=TEST_ISSUER.verifier()), access_log=False) as s:
            yield s.url, module
    finally:
        module.close()


def organiser(url: str, path: str, body: Any = None) -> Any:
    r = httpx.post(
        f"{url}/v1/ballot/elections{path}",
        json=body,
        headers={"Authorization": f"Bearer {token('ballot_organiser')}"},
        timeout=30,
    )
    assert r.status_code in (200, 201), r.text
    return r.json()


def setup_election(
    url: str, tmp: Path, *, summoned: int, min_ballots: int
) -> tuple[str, list[Path], list[str]]:
    keys = []
    trustees = []
    for i in (1, 2, 3):
        key = tmp / f"trustee{i}" / "key.json"
        key.parent.mkdir()
        trustees.append(
            json.loads(
                cli("ballot-trustee", "keygen", "--out", str(key), "--name", f"Thành viên {i}")
            )
        )
        keys.append(key)
    now = datetime.now(UTC)
    election = organiser(
        url,
        "",
        {
            "unit": "SNV",
            "title": "Lấy phiếu đánh giá người đứng đầu Sở Nội vụ năm 2026",
            "scale": "confidence",
            "persons": [
                {"name": "Lê Văn Cường", "position": "Giám đốc Sở"},
                {"name": "Phạm Thị Dung", "position": "Phó Giám đốc Sở"},
            ],
            "summoned": summoned,
            "opens_at": (now - timedelta(minutes=1)).isoformat(),
            "closes_at": (now + timedelta(hours=2)).isoformat(),
            "min_ballots": min_ballots,
            "threshold": 2,
            "trustees": trustees,
        },
    )["election_id"]
    common = ["--url", url, "--election", election]
    for step in ("round1", "round2", "confirm"):
        for key in keys:
            cli("ballot-trustee", step, *common, "--key", str(key), role="trustee")
    out = tmp / "ca"
    cli("ballot-ca", "generate", "--election", election, "--out", str(out), "--url", url)
    assert sorted(p.name for p in out.iterdir()) == ["codes.pdf", "credentials.json"]
    text = "".join(
        page.extract_text()
        for page in PdfReader(io.BytesIO((out / "codes.pdf").read_bytes())).pages
    )
    codes = CODE_RE.findall(text)
    assert len(codes) == summoned and len(set(codes)) == summoned
    listing = json.loads((out / "credentials.json").read_text())
    assert (
        sorted(derive_credential(c, election).public.hex() for c in codes) == listing["credentials"]
    )
    assert not any(c.replace("-", "") in (out / "credentials.json").read_text() for c in codes)
    cli(
        "ballot-ca",
        "upload",
        *common,
        "--file",
        str(out / "credentials.json"),
        role="credential_authority",
    )
    organiser(url, f"/{election}/open")
    return election, keys, codes


def cast_all(
    url: str, election: str, codes: list[str], choices: list[tuple[int, int]]
) -> list[str]:
    manifest = httpx.get(f"{url}/v1/ballot/elections/{election}/manifest").json()
    fp, key = (
        bytes.fromhex(manifest["fingerprint"]),
        Point.from_hex(manifest["manifest"]["joint_key"]),
    )
    trackers = []
    for code, choice in zip(codes, choices, strict=True):
        ballot = make_ballot(
            fp, key, derive_credential(code, election), choice, manifest["option_counts"]
        )
        r = httpx.post(f"{url}/v1/ballot/elections/{election}/ballots", json=ballot.to_dict())
        assert r.status_code == 201, r.text
        trackers.append(r.json()["tracker"])
    return trackers


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
    server: tuple[str, BallotModule], tmp_path: Path
) -> None:
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
    server: tuple[str, BallotModule], tmp_path: Path
) -> None:
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
