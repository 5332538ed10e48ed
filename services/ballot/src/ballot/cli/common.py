"""Plumbing shared by the role CLIs: HTTP with problem+json errors, tokens, passphrases."""

from __future__ import annotations

import getpass
import json
import os
import sys
from pathlib import Path
from typing import Any, NoReturn

import httpx
import typer

from ballot.verifier import Verified, read_ndjson, verify_record

PREFIX = "/v1/ballot/elections"
EXIT_REFUSED = 1
EXIT_SERVER = 3


def fail(message: str, code: int = EXIT_REFUSED) -> NoReturn:
    typer.secho(message, err=True, fg=typer.colors.RED)
    raise typer.Exit(code)


def say(message: str) -> None:
    typer.echo(message, err=True)


class Api:
    """A small client of the ballot API; problems become a clear message and exit code."""

    def __init__(self, url: str, token: str | None = None, timeout: float = 60.0) -> None:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.http = httpx.Client(base_url=url.rstrip("/"), headers=headers, timeout=timeout)

    def close(self) -> None:
        self.http.close()

    def _check(self, response: httpx.Response) -> Any:
        if response.status_code >= 400:
            try:
                problem = response.json()
                text = (
                    f"{problem.get('code')}: {problem.get('title')} — {problem.get('detail', '')}"
                )
            except ValueError:
                text = response.text[:500]
            fail(
                f"máy chủ từ chối / server refused (HTTP {response.status_code}) {text}",
                EXIT_SERVER,
            )
        return response.json()

    def get(self, path: str, **params: Any) -> Any:
        return self._check(self.http.get(path, params=params or None))

    def post(self, path: str, body: Any = None) -> Any:
        return self._check(self.http.post(path, json=body))

    def record(self, election_id: str) -> list[dict[str, Any]]:
        r = self.http.get(f"{PREFIX}/{election_id}/record")
        if r.status_code != 200:
            self._check(r)
        return read_ndjson(r.text.splitlines())


def token_option(token: str | None) -> str:
    value = token or os.environ.get("BALLOT_TOKEN")
    if not value:
        fail("cần mã thông báo: --token hoặc biến môi trường BALLOT_TOKEN", 2)
    return value


def passphrase(env: str, *, confirm: bool = False) -> str:
    value = os.environ.get(env)
    if value:
        return value
    if not sys.stdin.isatty():
        fail(f"cần mật khẩu: đặt biến môi trường {env} hoặc chạy trong terminal", 2)
    first = getpass.getpass("Mật khẩu khóa / key passphrase: ")
    if confirm and getpass.getpass("Nhập lại / again: ") != first:
        fail("hai lần nhập không khớp", 2)
    return first


def fetch_verified(api: Api, election_id: str, board_key: Path | None = None) -> Verified:
    """Download the record and verify it completely; refuse to go on if anything is wrong."""
    lines = api.record(election_id)
    verified = verify_record(lines, board_key_pem=board_key.read_bytes() if board_key else None)
    if not verified.report.ok or verified.state is None:
        for f in verified.report.findings:
            say(f"  ✗ [{f.code}] mục {f.seq}: {f.detail}")
        fail("bảng công khai KHÔNG hợp lệ: từ chối tiếp tục / the board does not verify")
    return verified


def dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True)
