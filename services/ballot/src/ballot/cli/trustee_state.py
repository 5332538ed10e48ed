"""A trustee's sealed per-election files: written once, never overwritten.

Two kinds, next to the key file, each sealed with the trustee's passphrase:

* ``<key>.<election>.attempt<N>.state.json`` — the secret polynomial and commitment reveal of
  ceremony attempt *N*, written **before** round 1 is sent (so an answer lost on the way does
  not lose the polynomial) and reused by every retry of round 1 of that attempt: a retry
  re-sends the very same signed message and never draws a new polynomial;
* ``<key>.<election>.share.json`` — the trustee's key share, written when the shares addressed
  to it check out, before the confirmation is sent (the share is recomputable from the board
  and the polynomial file, so a retry gives the same bytes).

Both are created with an atomic *link*: a second writer (or a second run) finds the file there
and never replaces it. A file that disagrees with the board is refused, never rewritten.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any

from ballot.cli.common import fail, passphrase
from ballot.keystore import KeyFileError, read_json, seal, unseal

STATE_PURPOSE = "trustee-election-state"
SHARE_PURPOSE = "trustee-key-share"


def state_path(key: Path, election: str, attempt: int) -> Path:
    return key.with_name(f"{key.stem}.{election}.attempt{attempt}.state.json")


def share_path(key: Path, election: str) -> Path:
    return key.with_name(f"{key.stem}.{election}.share.json")


def write_once(path: Path, data: dict[str, Any]) -> bool:
    """Create ``path`` (mode 0600) atomically; False, changing nothing, if it already exists."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=1, sort_keys=True)
            fh.write("\n")
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
        return True
    finally:
        tmp.unlink(missing_ok=True)


def _open(path: Path, env: str, purpose: str) -> dict[str, Any]:
    try:
        return unseal(read_json(path), passphrase(env), purpose=purpose)
    except (KeyFileError, OSError, ValueError) as exc:
        fail(f"không mở được {path} (sai mật khẩu hoặc tệp hỏng?) / cannot open: {exc}")


def load_state(key: Path, election: str, attempt: int, env: str) -> dict[str, Any] | None:
    path = state_path(key, election, attempt)
    return _open(path, env, STATE_PURPOSE) if path.exists() else None


def need_state(key: Path, election: str, attempt: int, env: str) -> dict[str, Any]:
    saved = load_state(key, election, attempt, env)
    if saved is None:
        fail(
            f"chưa có trạng thái của lần lập khóa {attempt} ({state_path(key, election, attempt)})"
            ": chạy round1 trước / run round1 first"
        )
    return saved


def save_state(key: Path, election: str, env: str, data: dict[str, Any]) -> None:
    public = {"election_id": election, "trustee": data["trustee"], "attempt": data["attempt"]}
    path = state_path(key, election, int(data["attempt"]))
    if not write_once(path, seal(data, passphrase(env), purpose=STATE_PURPOSE, public=public)):
        fail(f"{path} đã có: không ghi đè / will not overwrite")


def load_share(key: Path, election: str, env: str) -> dict[str, Any] | None:
    path = share_path(key, election)
    return _open(path, env, SHARE_PURPOSE) if path.exists() else None


def save_share(key: Path, election: str, env: str, data: dict[str, Any]) -> None:
    """Keep the key share; an existing file must hold the same share (else refuse, keep it)."""
    path = share_path(key, election)
    public = {"election_id": election, "trustee": data["trustee"], "attempt": data["attempt"]}
    if write_once(path, seal(data, passphrase(env), purpose=SHARE_PURPOSE, public=public)):
        return
    existing = _open(path, env, SHARE_PURPOSE)
    if existing.get("secret_share") != data["secret_share"]:
        fail(
            f"{path} giữ một phần khóa khác với phần tính từ bảng: không ghi đè; báo ban tổ chức "
            "/ a different key share is already stored: not overwritten"
        )
