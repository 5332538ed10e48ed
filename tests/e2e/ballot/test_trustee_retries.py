"""Every ``ballot-trustee`` step is safe to re-run, and no ballot CLI prints a traceback.

A retry is what a trustee does after a lost answer, a timeout or a doubt. Before the fix,
re-running ``round1`` drew a new polynomial and wrote it over the sealed state file *before*
the server refused the duplicate message: the trustee's round 2 then no longer matched the
board (locked out of the ceremony), and re-running it after the ceremony erased the key share
(locked out of decryption). ``confirm`` before every round 2 was in died with a ``KeyError``,
and ``decrypt`` on an open vote said "0 ballots counted".
"""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest

from ballot.bootstrap import BallotModule

pytestmark = pytest.mark.e2e


def run(kit: SimpleNamespace, tool: str, *args: str, role: str | None = "trustee") -> tuple:
    env = {**os.environ, "BALLOT_TRUSTEE_PASSPHRASE": kit.PASS}
    env.pop("BALLOT_TOKEN", None)
    env.pop("BALLOT_DEBUG", None)
    if role:
        env["BALLOT_TOKEN"] = kit.token(role)
    proc = subprocess.run(
        [str(kit.BIN / tool), *args], env=env, capture_output=True, text=True, timeout=120
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.returncode, proc.stdout + proc.stderr


def digests(folder: Path) -> dict[str, str]:
    """Name → SHA-256 of every file beside the key (the sealed state files included)."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


def test_every_trustee_step_is_safe_to_retry(
    server: tuple[str, BallotModule], tmp_path: Path, kit: SimpleNamespace
) -> None:
    url, _ = server
    election, keys = kit.create_election(url, tmp_path, summoned=4, min_ballots=3)
    common = ["--url", url, "--election", election]

    def step(name: str, key: Path, role: str = "trustee") -> tuple:
        return run(kit, "ballot-trustee", name, *common, "--key", str(key), role=role)

    # round 1, the server refuses the message (wrong role): the polynomial is kept, and the
    # retry with the right token sends the very same message instead of drawing a new one
    code, out = step("round1", keys[0], role="ballot_organiser")
    assert code == 3 and "403" in out
    kept = digests(keys[0].parent)
    assert any(n.endswith(".state.json") for n in kept)
    code, out = step("round1", keys[0])
    assert digests(keys[0].parent) == kept  # before the fix: a new polynomial over the old
    assert code == 0 and "dùng lại" in out, out
    # the answer got lost after the server accepted it: a re-run changes nothing, exits 0
    code, out = step("round1", keys[0])
    assert code == 0 and "đã có trên bảng" in out, out
    assert digests(keys[0].parent) == kept

    for key in keys[1:]:
        assert step("round1", key)[0] == 0
    assert step("round2", keys[0])[0] == 0
    # confirm while trustees 2 and 3 have not sent round 2: a clear refusal, no KeyError
    code, out = step("confirm", keys[0])
    assert code == 1 and "chưa" in out and "round2" in out, out
    code, out = step("round2", keys[0])  # a retry of round 2
    assert code == 0 and "đã có trên bảng" in out, out
    for key in keys[1:]:
        assert step("round2", key)[0] == 0
    for key in keys:
        assert step("confirm", key)[0] == 0
    code, out = step("confirm", keys[0])  # a retry of confirm
    assert code == 0 and "đã xác nhận" in out, out
    after_ceremony = digests(keys[0].parent)
    # round 1 again after the ceremony: before the fix this erased the key share
    code, out = step("round1", keys[0])
    assert code == 0 and "đã có trên bảng" in out, out
    assert digests(keys[0].parent) == after_ceremony

    codes = kit.publish_credentials_and_open(url, tmp_path, election, 4)
    # decrypt on an open vote says why
    code, out = step("decrypt", keys[0])
    assert code == 1 and "chưa đóng" in out and "0 phiếu" not in out, out
    kit.cast_all(url, election, codes, [(0, 0), (1, 1), (2, 2), (0, 1)])
    kit.organiser(url, f"/{election}/close")
    assert step("decrypt", keys[0])[0] == 0
    code, out = step("decrypt", keys[0])  # a retry: the share is already on the board
    assert code == 0 and "đã có trên bảng" in out, out
    assert step("decrypt", keys[1])[0] == 0
    result = httpx.get(f"{url}/v1/ballot/elections/{election}/result").json()
    assert result["counts"] == [[2, 1, 1, 0], [1, 2, 1, 0]]
    code, out = step("decrypt", keys[2])  # the result is out: nothing left to do
    assert code == 0 and "đã được công bố" in out, out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_user_errors_give_a_vietnamese_line_and_no_traceback(
    server: tuple[str, BallotModule], tmp_path: Path, kit: SimpleNamespace
) -> None:
    url, _ = server
    election, keys = kit.create_election(url, tmp_path, summoned=3, min_ballots=2)
    common = ["--url", url, "--election", election]
    nowhere = f"http://127.0.0.1:{free_port()}"
    garbage = tmp_path / "garbage.txt"
    garbage.write_text("đây không phải JSON\n")

    cases = [
        # (tool, args, expected exit code, a phrase of the message)
        (
            "ballot-trustee",
            ["round1", *common, "--key", str(tmp_path / "no.json")],
            2,
            "không tìm thấy",
        ),
        ("ballot-trustee", ["round1", *common, "--key", str(garbage)], 1, "không mở được"),
        (
            "ballot-trustee",
            ["round1", "--url", nowhere, "--election", election, "--key", str(keys[0])],
            3,
            "không kết nối được",
        ),
        (
            "ballot-trustee",
            ["round1", "--url", url, "--election", "khong-co", "--key", str(keys[0])],
            3,
            "ballot.election_not_found",
        ),
        ("ballot-trustee", ["round2", *common, "--key", str(keys[0])], 1, "không gửi vòng 2"),
        ("ballot-trustee", ["decrypt", *common, "--key", str(keys[0])], 1, "chưa đóng"),
        ("ballot-verify", [str(tmp_path / "none.ndjson")], 2, "không tìm thấy"),
        ("ballot-verify", [str(garbage)], 2, "not JSON"),
        ("ballot-verify", [*common, "--board-key", str(garbage)], 2, "không phải khóa công khai"),
        ("ballot-verify", ["--url", nowhere, "--election", election], 3, "không kết nối được"),
        (
            "ballot-ca",
            ["upload", *common, "--file", str(tmp_path / "none.json")],
            2,
            "không tìm thấy",
        ),
        ("ballot-ca", ["upload", *common, "--file", str(garbage)], 2, "không phải JSON"),
        (
            "ballot-ca",
            ["generate", "--election", election, "--out", str(tmp_path / "ca"), "--url", nowhere],
            3,
            "không kết nối được",
        ),
    ]
    for tool, args, want, phrase in cases:
        code, out = run(
            kit, tool, *args, role="credential_authority" if tool == "ballot-ca" else "trustee"
        )
        assert (code, phrase in out) == (want, True), (tool, args, out)

    # a state file that does not open (another passphrase, or damaged): refused, left in place
    assert run(kit, "ballot-trustee", "round1", *common, "--key", str(keys[0]))[0] == 0
    state = next(keys[0].parent.glob("*.state.json"))
    state.write_text(state.read_text()[:40])
    for key in keys[1:]:
        assert run(kit, "ballot-trustee", "round1", *common, "--key", str(key))[0] == 0
    code, out = run(kit, "ballot-trustee", "round2", *common, "--key", str(keys[0]))
    assert code == 1 and "không mở được" in out, out


def test_round1_re_run_after_the_ceremony_keeps_the_key_share(
    server: tuple[str, BallotModule], tmp_path: Path, kit: SimpleNamespace
) -> None:
    """The data-loss case: before the fix this re-run erased the key share, and the trustee
    could no longer decrypt ("chưa có phần khóa")."""
    url, _ = server
    election, keys, codes = kit.setup_election(url, tmp_path, summoned=3, min_ballots=2)
    common = ["--url", url, "--election", election, "--key", str(keys[0])]
    run(kit, "ballot-trustee", "round1", *common)
    kit.cast_all(url, election, codes, [(0, 1), (1, 1), (2, 0)])
    kit.organiser(url, f"/{election}/close")
    code, out = run(kit, "ballot-trustee", "decrypt", *common)
    assert code == 0 and "đã gửi phần giải mã" in out, out
