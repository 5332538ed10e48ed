"""The assessment API under real uvicorn for ``http_commands.py``: layouts (``N`` workers,
``PxN`` processes on P ports) and the server process (start, readiness, CPU, stop)."""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
from _common import (
    REPO,
    children_of,
    free_port,
)

STACKS = {
    # uvicorn's pure-Python parser and loop, with the header deadline (shared.server)
    "h11": ["--http", "shared.server:GuardedH11Protocol", "--loop", "asyncio"],
    # the production stack (docker-compose.yml, app.Dockerfile): uvicorn[standard]'s parser and
    # loop, with the same guard
    "standard": ["--http", "shared.server:GuardedHttpToolsProtocol", "--loop", "uvloop"],
}
"""uvicorn's pure-Python stack, and ``uvicorn[standard]``'s (httptools parser, uvloop loop), as
the services run."""


# ------------------------------------------------------------------ uvicorn subprocess
@dataclass(frozen=True)
class Layout:
    """How the API runs: ``N`` = one ``uvicorn --workers N``; ``PxN`` = P such processes on P
    ports, the client spreading its connections over them (as a load balancer would)."""

    processes: int
    workers: int

    @classmethod
    def parse(cls, text: str) -> Layout:
        procs, _, workers = text.partition("x")
        try:
            layout = cls(int(procs), int(workers)) if workers else cls(1, int(procs))
        except ValueError:
            raise argparse.ArgumentTypeError("use N (uvicorn --workers N) or PxN") from None
        if not (1 <= layout.processes <= 16 and 1 <= layout.workers <= 16):
            raise argparse.ArgumentTypeError("processes and workers must be 1..16")
        return layout

    def __str__(self) -> str:
        if self.processes == 1:
            return f"{self.workers}w"
        return f"{self.processes}x{self.workers}w"


class Server:
    """One or more uvicorn processes serving the assessment API on loopback."""

    def __init__(
        self,
        database_url: str,
        layout: Layout,
        log_dir: Path,
        key_file: Path,
        group_commit: bool,
        stack: str = "standard",
        token_cache: bool = True,
        gc_tuning: bool = True,
    ) -> None:
        self.layout = layout
        self.stack = stack
        self.ports = [free_port() for _ in range(layout.processes)]
        self.base_urls = [f"http://127.0.0.1:{port}" for port in self.ports]
        self.log_paths = [log_dir / f"uvicorn-{layout}-{port}.log" for port in self.ports]
        self.env = {
            **os.environ,
            "ASSESSMENT_MODE": "production",
            "ASSESSMENT_DATABASE_URL": database_url,
            "ASSESSMENT_LOG_LEVEL": "WARNING",
            # Bearer tokens verified (ES256) against the development issuer's key set, whose
            # private key this benchmark holds to mint the callers' tokens.
            "CONGVU_AUTH_DEV_KEY_FILE": str(key_file),
            "CONGVU_AUTH_ALLOW_DEV_ISSUER": "true",
            # The service's group commit (on by default in production): concurrent commands'
            # events share one store transaction.
            "ASSESSMENT_GROUP_COMMIT": "true" if group_commit else "false",
            # the verified-token cache (shared.auth); 0 = every request checks its signature
            "CONGVU_AUTH_CACHE_SIZE": "10000" if token_cache else "0",
            # the settled heap (shared.runtime): frozen start-up heap, rarer collections
            "CONGVU_GC_TUNE": "true" if gc_tuning else "false",
        }
        for name in ("CONGVU_AUTH_JWKS_URL", "CONGVU_AUTH_ISSUER", "CONGVU_AUTH_AUDIENCE"):
            self.env.pop(name, None)
        self.procs: list[subprocess.Popen[bytes]] = []

    def start(self, timeout: float = 60.0) -> None:
        """One process after the other, each healthy before the next starts: on an empty
        database two processes creating the store's tables at once can fail one of them
        (PostgreSQL: "tuple concurrently updated")."""
        deadline = time.monotonic() + timeout
        for port, log_path, url in zip(self.ports, self.log_paths, self.base_urls, strict=True):
            cmd = [
                sys.executable, "-m", "uvicorn", "--factory",
                "assessment.entrypoints.api.app:create_app",
                "--host", "127.0.0.1", "--port", str(port),
                "--workers", str(self.layout.workers),
                "--log-level", "warning", "--no-access-log",
                *STACKS[self.stack],
            ]  # fmt: skip
            proc = subprocess.Popen(  # own session: a stuck tree is killed by OUR group id
                cmd,
                cwd=REPO,
                env=self.env,
                stdout=log_path.open("wb"),
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            self.procs.append(proc)
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"uvicorn exited early:\n{self.log_tail()}")
                try:
                    if httpx.get(url + "/v1/health", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"uvicorn not healthy after {timeout}s:\n{self.log_tail()}")
                time.sleep(0.2)

    def pids(self) -> list[int]:
        return [pid for p in self.procs for pid in (p.pid, *children_of(p.pid))]

    def stop(self) -> None:
        procs, self.procs = self.procs, []
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)  # the group we created for this server only
                proc.wait(timeout=10)

    def log_tail(self) -> str:
        out = []
        for path in self.log_paths:
            with contextlib.suppress(OSError):
                out.append(path.read_text(errors="replace")[-1500:])
        return "\n".join(out)
