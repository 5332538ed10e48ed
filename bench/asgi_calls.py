"""Work per command of the assessment API without uvicorn: the ASGI app called in-process.

A diagnostic for issue 14, less sensitive to a shared machine's load than a rate or a CPU
time: the same command mix as ``http_commands.py`` (private PostgreSQL database, group commit
on, 32 requests in flight, bearer tokens of the development issuer) sent straight to
``create_app(...)`` as ASGI calls, and for each command

- ``--mode calls``: the interpreter's profiler events (Python and C calls and returns, every
  thread), the top packages / C functions by calls — a count, so two commits compare even on a
  loaded machine (run it at both: ``git worktree add`` the older one and put its ``src``
  directories first on ``PYTHONPATH``);
- ``--mode cpu``: the process CPU time per command (load-sensitive, like any CPU time).

uvicorn and h11 are not included (``http_commands.py`` measures them).

    eval "$(deploy/local/infra.sh env)"
    .venv/bin/python bench/asgi_calls.py --mode calls --commands 500
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from _common import CommandMix, need_env, private_database, seed
from _http_load import issuer_key_file, mint_tokens
from pydantic import SecretStr

from assessment.bootstrap import build_application, start_group_commit
from assessment.entrypoints.api.app import create_app
from shared.auth import DevIssuer
from shared.settings import AssessmentSettings

EVENTS = [0]
CALLS: collections.Counter[str] = collections.Counter()


def _profile(frame: Any, event: str, arg: Any) -> None:
    EVENTS[0] += 1
    if event == "call":
        name = frame.f_code.co_filename
        at = name.find("site-packages/")
        if at >= 0:
            CALLS[name[at + 14 :].split("/")[0]] += 1
        elif "/src/" in name:
            CALLS["ours: " + name.split("/src/")[-1].split("/")[0]] += 1
        else:
            CALLS[name.rsplit("/", 1)[-1]] += 1
    elif event == "c_call":
        CALLS["C: " + getattr(arg, "__qualname__", "?")] += 1


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


async def drive(asgi: Any, mix: CommandMix, tokens: dict[Any, str], n: int) -> dict[int, int]:
    codes: collections.Counter[int] = collections.Counter()
    slots = asyncio.Semaphore(32)

    async def one() -> None:
        cmd = mix.next()
        body = json.dumps(cmd.body()).encode()
        path = cmd.path()
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": [
                (b"host", b"bench"),
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"authorization", b"Bearer " + tokens[cmd.token_key()].encode()),
            ],
            "client": ("127.0.0.1", 1),
            "server": ("127.0.0.1", 80),
        }
        sent = False

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            await asyncio.sleep(3600)
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                codes[message["status"]] += 1

        async with slots:
            await asgi(scope, receive, send)

    await asyncio.gather(*(one() for _ in range(n)))
    return dict(codes)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--mode", choices=["calls", "cpu"], default="calls")
    p.add_argument("--commands", type=int, default=500)
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--units", type=int, default=100, help="units per tenant (2 tenants)")
    p.add_argument("--top", type=int, default=25)
    args = p.parse_args()
    calls = args.mode == "calls"
    with (
        private_database(need_env("TEST_DATABASE_URL")) as url,
        tempfile.TemporaryDirectory() as tmp,
    ):
        app = build_application(AssessmentSettings(mode="production", database_url=SecretStr(url)))
        seeded = seed(app, args.units, 4, 2)
        if calls:
            threading.setprofile(_profile)  # threads started from here on (pool, committer)
            sys.setprofile(_profile)
        committer = start_group_commit(app)
        issuer = DevIssuer.from_file(issuer_key_file(Path(tmp)), create=True)
        tokens = mint_tokens(issuer, seeded)
        mix = CommandMix(seeded, 0.25)
        asgi = create_app(app, verifier=issuer.verifier())
        asyncio.run(drive(asgi, mix, tokens, 2 * len(seeded.targets)))  # every cache warm
        n = args.commands
        for r in range(args.rounds):
            EVENTS[0] = 0
            CALLS.clear()
            c0, t0 = _cpu(), time.perf_counter()
            codes = asyncio.run(drive(asgi, mix, tokens, n))
            c1, t1 = _cpu(), time.perf_counter()
            load = os.getloadavg()[0]
            if calls:
                print(f"round {r}: {EVENTS[0] / n:,.0f} profiler events per command {codes}")
            else:
                print(
                    f"round {r}: {1000 * (c1 - c0) / n:.2f} ms CPU per command, "
                    f"{n / (t1 - t0):.0f}/s {codes}; load {load:.1f}"
                )
        if calls:
            sys.setprofile(None)
            threading.setprofile(None)
            for name, count in sorted(dict(CALLS).items(), key=lambda kv: -kv[1])[: args.top]:
                print(f"  {count / n:8.1f}  {name}")
        if committer is not None:
            committer.stop()
        app.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
