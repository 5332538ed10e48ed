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

from ballot.crypto import CryptoError
from ballot.domain.errors import BallotError
from ballot.keystore import KeyFileError
from ballot.verifier import Verified, read_ndjson, verify_record
from shared.audit import load_public_key

PREFIX = "/v1/ballot/elections"
EXIT_REFUSED = 1
EXIT_USAGE = 2
EXIT_SERVER = 3
DEBUG_ENV = "BALLOT_DEBUG"


def fail(message: str, code: int = EXIT_REFUSED) -> NoReturn:
    typer.secho(message, err=True, fg=typer.colors.RED)
    raise typer.Exit(code)


def say(message: str) -> None:
    typer.echo(message, err=True)


def run(app: typer.Typer) -> None:
    """Run a role CLI: a user error (file, server, state) is one Vietnamese line, never a trace.

    Each command already refuses what it expects with a precise message; this is the net under
    them. ``BALLOT_DEBUG=1`` lets the exception through (with its traceback) for a developer.
    """
    try:
        app()
    except SystemExit:
        raise
    except Exception as exc:
        if os.environ.get(DEBUG_ENV):
            raise
        fail(describe(exc), EXIT_SERVER if isinstance(exc, httpx.HTTPError) else EXIT_REFUSED)


def describe(exc: BaseException) -> str:
    """A user-facing line (Vietnamese first) for an exception that reached the top."""
    if isinstance(exc, httpx.HTTPError):
        return f"không kết nối được máy chủ / cannot reach the server: {exc}"
    if isinstance(exc, FileNotFoundError):
        return f"không tìm thấy tệp / file not found: {exc.filename}"
    if isinstance(exc, OSError):
        return f"không đọc/ghi được tệp / file error: {exc.filename or ''} {exc.strerror or exc}"
    if isinstance(exc, BallotError):
        return f"{exc.code}: {exc.title} — {exc.detail}"
    if isinstance(exc, (KeyFileError, CryptoError)):
        return f"tệp hoặc dữ liệu không hợp lệ / invalid file or data: {exc}"
    if isinstance(exc, (ValueError, KeyError, TypeError)):
        return f"dữ liệu không đúng định dạng / malformed data: {type(exc).__name__}: {exc}"
    return f"lỗi không mong đợi / unexpected error: {type(exc).__name__}: {exc}"


def read_json_file(path: Path, what: str) -> Any:
    """A JSON file given on the command line; a missing or broken file is a clear refusal."""
    try:
        return json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        fail(f"không tìm thấy {what}: {path}", EXIT_USAGE)
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"không đọc được {what} {path}: {exc}", EXIT_USAGE)
    except ValueError as exc:
        fail(f"{what} {path} không phải JSON hợp lệ / not valid JSON: {exc}", EXIT_USAGE)


def read_board_key(path: Path | None) -> bytes | None:
    """The pinned board public key (PEM), or None; a missing file is a usage error."""
    if path is None:
        return None
    try:
        data = path.read_bytes()
    except OSError as exc:
        fail(f"không đọc được khóa công khai của bảng {path}: {exc.strerror or exc}", EXIT_USAGE)
    try:
        load_public_key(data)
    except (ValueError, TypeError) as exc:
        fail(f"{path} không phải khóa công khai PEM / not a PEM public key: {exc}", EXIT_USAGE)
    return data


def read_record_file(path: Path) -> str:
    try:
        return path.read_text("utf-8")
    except FileNotFoundError:
        fail(f"không tìm thấy tệp bản ghi / record file not found: {path}", EXIT_USAGE)
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"không đọc được tệp bản ghi {path}: {exc}", EXIT_USAGE)


class Api:
    """A small client of the ballot API; problems become a clear message and exit code."""

    def __init__(self, url: str, token: str | None = None, timeout: float = 60.0) -> None:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.http = httpx.Client(base_url=url.rstrip("/"), headers=headers, timeout=timeout)

    def close(self) -> None:
        self.http.close()

    def _check(self, response: httpx.Response) -> httpx.Response:
        if response.status_code >= 400:
            try:
                problem = response.json()
            except ValueError:
                problem = None
            if isinstance(problem, dict):
                text = (
                    f"{problem.get('code')}: {problem.get('title')} — {problem.get('detail', '')}"
                )
            else:
                text = response.text[:500]
            fail(
                f"máy chủ từ chối / server refused (HTTP {response.status_code}) {text}",
                EXIT_SERVER,
            )
        return response

    def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            return self.http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            fail(
                f"không kết nối được máy chủ {self.http.base_url} / cannot reach the server: "
                f"{type(exc).__name__}: {exc}",
                EXIT_SERVER,
            )

    def _json(self, response: httpx.Response) -> Any:
        try:
            return response.json()
        except ValueError:
            fail(
                f"máy chủ {self.http.base_url} không trả lời bằng JSON: đây có phải máy chủ bỏ "
                "phiếu không? / the server did not answer JSON (wrong --url?)",
                EXIT_SERVER,
            )

    def get(self, path: str, **params: Any) -> Any:
        return self._json(self._check(self._send("GET", path, params=params or None)))

    def post(self, path: str, body: Any = None) -> Any:
        return self._json(self._check(self._send("POST", path, json=body)))

    def record_text(self, election_id: str) -> str:
        r = self._send("GET", f"{PREFIX}/{election_id}/record")
        if r.status_code != 200:
            self._check(r)
        return r.text

    def record(self, election_id: str) -> list[dict[str, Any]]:
        text = self.record_text(election_id)
        try:
            return read_ndjson(text.splitlines())
        except ValueError as exc:
            fail(
                f"bản ghi tải từ {self.http.base_url} không đúng định dạng NDJSON "
                f"(sai --url?) / not a ballot record: {exc}",
                EXIT_SERVER,
            )


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
    verified = verify_record(lines, board_key_pem=read_board_key(board_key))
    if not verified.report.ok or verified.state is None:
        for f in verified.report.findings:
            say(f"  ✗ [{f.code}] mục {f.seq}: {f.detail}")
        fail("bảng công khai KHÔNG hợp lệ: từ chối tiếp tục / the board does not verify")
    return verified


def dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True)
