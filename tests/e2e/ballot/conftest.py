"""Shared by the command-line tests: a live ballot server and the role CLIs as subprocesses.

The helpers are handed to tests by the ``kit`` fixture (test modules here are not importable
from each other under ``--import-mode=importlib``).
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
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from pypdf import PdfReader

import helpers
from ballot.bootstrap import BallotModule, build_ballot
from ballot.config import BallotSettings
from ballot.crypto import Point, derive_credential, make_ballot
from ballot.crypto.credentials import BASE58_ALPHABET
from ballot.entrypoints.api.app import create_app
from ballot.harness import LiveServer
from helpers import TEST_ISSUER

TENANT = "quang-binh"
PASS = "mật khẩu rất dài của thành viên"
CODE_RE = re.compile(rf"[{BASE58_ALPHABET}]{{4}}(?:-[{BASE58_ALPHABET}]{{4}}){{5}}")

BIN = Path(sys.executable).parent


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


def create_election(
    url: str, tmp: Path, *, summoned: int, min_ballots: int
) -> tuple[str, list[Path]]:
    """Three trustees' keys (2 of 3) and a new election in setup, before the key ceremony."""
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
    return election, keys


def setup_election(
    url: str, tmp: Path, *, summoned: int, min_ballots: int
) -> tuple[str, list[Path], list[str]]:
    election, keys = create_election(url, tmp, summoned=summoned, min_ballots=min_ballots)
    common = ["--url", url, "--election", election]
    for step in ("round1", "round2", "confirm"):
        for key in keys:
            cli("ballot-trustee", step, *common, "--key", str(key), role="trustee")
    return election, keys, publish_credentials_and_open(url, tmp, election, summoned)


def publish_credentials_and_open(url: str, tmp: Path, election: str, summoned: int) -> list[str]:
    """The CA's codes (read back from the PDF) uploaded; the organiser opens the election."""
    common = ["--url", url, "--election", election]
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
    return codes


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


@pytest.fixture
def kit() -> SimpleNamespace:
    return SimpleNamespace(
        BIN=BIN,
        PASS=PASS,
        token=token,
        cli=cli,
        organiser=organiser,
        create_election=create_election,
        setup_election=setup_election,
        publish_credentials_and_open=publish_credentials_and_open,
        cast_all=cast_all,
    )
