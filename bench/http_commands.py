"""Commands per second over HTTP on PostgreSQL (fsync on), with p50/p90/p99 latency.

What runs, in one invocation, on a private database created for the run and dropped after:

1. baseline: the same command mix called directly on the application object, in this process,
   one thread, one save per command (ARCHITECTURE §10 "135–175 req/s one save per request").
2. the assessment API under real uvicorn (``--factory``, subprocess, loopback, free port) for
   each ``--workers`` layout (``N`` = ``uvicorn --workers N``; ``PxN`` = P processes on P ports)
   × ``--group-commit`` (the service's ASSESSMENT_GROUP_COMMIT) × ``--concurrency`` requests in
   flight × ``--client`` (``httpx.AsyncClient``, or a minimal raw HTTP/1.1 client that leaves
   the CPU to the server); bearer tokens minted with the development issuer's key.
3. diagnostics: the application called in-process from ``--concurrency`` threads (no HTTP),
   without and with the service's group commit, to separate the HTTP layer's cost from the
   store's.
4. the baseline again, so drift during the run is visible.

The mix: round-robin over ``--units`` unit assessments of one cycle (concurrent commands rarely
touch the same aggregate); a quarter sector reviews (role sector_reviewer, each by an
agency/unit pair never used before), the rest perfunctory flags (role home_affairs).
Target (ARCHITECTURE §10): ≥ 1,000 commands/s with p99 < 100 ms on 2 cores.

    eval "$(deploy/local/infra.sh env)"
    .venv/bin/python bench/http_commands.py --seconds 20 --concurrency 32 --workers 1 2 2x1
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from _common import (
    REPO,
    CommandMix,
    LatencyStats,
    Seeded,
    agencies_for,
    children_of,
    cpu_seconds_of,
    exit_on_sigterm,
    free_port,
    machine_notes,
    need_env,
    pg_backend_pids,
    print_table,
    private_database,
    py_spy,
    seed,
    system_cpu_busy,
)
from _common import (
    summary as summary_line,
)
from pydantic import SecretStr

from assessment.application.kernel.errors import ConcurrencyConflict
from assessment.application.service import AssessmentApplication
from assessment.bootstrap import build_application, start_group_commit
from shared.auth import DevIssuer
from shared.settings import AssessmentSettings

TARGET_RATIO = 2.0  # ARCHITECTURE §10 (2026-12-01): ≥ 2× the in-process baseline of the same run
ASSUMED_MAX_RATE = 700.0  # commands/s, only to size the pool of reviewer agencies
TARGET_P99_MS = 100.0
STACKS = {
    "h11": ["--http", "h11", "--loop", "asyncio"],
    "standard": ["--http", "httptools", "--loop", "uvloop"],
}
"""uvicorn's pure-Python stack, and ``uvicorn[standard]``'s (httptools parser, uvloop loop)."""


# ------------------------------------------------------------------ in-process runs
def run_inprocess(
    app: AssessmentApplication,
    mix: CommandMix,
    label: str,
    seconds: float,
    max_requests: int,
    database_url: str,
    threads: int = 1,
) -> LatencyStats:
    """Call the use cases directly; ``threads`` callers, each one command at a time."""
    latencies: list[float] = []
    errors: Counter[str] = Counter()
    lock = threading.Lock()
    issued = 0
    deadline = time.perf_counter() + seconds

    def worker() -> None:
        nonlocal issued
        mine: list[float] = []
        while time.perf_counter() < deadline:
            with lock:
                if issued >= max_requests:
                    break
                issued += 1
            cmd = mix.next()
            t0 = time.perf_counter()
            try:
                cmd.call(app)
            except ConcurrencyConflict:
                errors["409"] += 1
                continue
            except Exception as exc:
                errors[f"{type(exc).__name__}: {str(exc)[:80]}"] += 1
                continue
            mine.append(time.perf_counter() - t0)
        with lock:
            latencies.extend(mine)

    pg_pids = pg_backend_pids(database_url)
    pg_cpu0 = cpu_seconds_of(pg_pids)
    meter = system_cpu_busy()
    cpu0 = time.process_time()
    start = time.perf_counter()
    if threads == 1:
        worker()
    else:
        with ThreadPoolExecutor(threads) as pool:
            for f in [pool.submit(worker) for _ in range(threads)]:
                f.result()
    elapsed = time.perf_counter() - start
    stats = LatencyStats.of(label, latencies, elapsed, errors=sum(errors.values()))
    own = (time.process_time() - cpu0) / elapsed
    pg = (cpu_seconds_of(pg_pids) - pg_cpu0) / elapsed
    busy = meter()
    stats.extra = {
        "error_kinds": dict(errors),
        "bench_process_cpu_cores": round(own, 2),
        "postgres_backends_cpu_cores": round(pg, 2),
        "machine_busy_cores": round(busy, 2),
        "other_cpu_cores": round(max(0.0, busy - own - pg), 2),
    }
    return stats


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
        stack: str = "h11",
        token_cache: bool = True,
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
        }
        for name in ("CONGVU_AUTH_JWKS_URL", "CONGVU_AUTH_ISSUER", "CONGVU_AUTH_AUDIENCE"):
            self.env.pop(name, None)
        self.procs: list[subprocess.Popen[bytes]] = []

    def start(self, timeout: float = 60.0) -> None:
        for port, log_path in zip(self.ports, self.log_paths, strict=True):
            cmd = [
                sys.executable, "-m", "uvicorn", "--factory",
                "assessment.entrypoints.api.app:create_app",
                "--host", "127.0.0.1", "--port", str(port),
                "--workers", str(self.layout.workers),
                "--log-level", "warning", "--no-access-log",
                *STACKS[self.stack],
            ]  # fmt: skip
            self.procs.append(
                subprocess.Popen(  # own session: a stuck tree is killed by OUR group id
                    cmd,
                    cwd=REPO,
                    env=self.env,
                    stdout=log_path.open("wb"),
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        deadline = time.monotonic() + timeout
        for proc, url in zip(self.procs, self.base_urls, strict=True):
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


# ------------------------------------------------------------------ HTTP load
class RawClient:
    """A minimal HTTP/1.1 keep-alive client: one connection per in-flight slot.

    httpx costs ~2–3 ms of CPU per request on these machines, which on 2 shared cores takes CPU
    from the server under test; this client costs a fraction of that. Same requests, same
    checks (status line and Content-Length body)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, path: str, body: bytes, headers: dict[str, str]) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        self.writer.write(
            (
                f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
                f"{head}\r\n"
            ).encode()
            + body
        )
        raw = await self.reader.readuntil(b"\r\n\r\n")
        lines = raw.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        length = None
        close = False
        for line in lines[1:]:
            name, _, value = line.partition(":")
            name = name.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "connection" and value.strip().lower() == "close":
                close = True
        if length is None:
            raise ConnectionError("response without Content-Length")
        await self.reader.readexactly(length)
        if close:
            await self.close()
        return status

    async def close(self) -> None:
        writer, self.writer, self.reader = self.writer, None, None
        if writer is not None:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()


async def drive_http(
    base_urls: list[str],
    mix: CommandMix,
    concurrency: int,
    seconds: float,
    max_requests: int,
    record: bool,
    tokens: dict[tuple[str, str], str],
    client_kind: str = "httpx",
) -> tuple[list[float], Counter[str], float]:
    """``concurrency`` coroutines, each sending its next command when the previous answered."""
    latencies: list[float] = []
    errors: Counter[str] = Counter()
    issued = 0
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with contextlib.AsyncExitStack() as stack:
        clients = [
            await stack.enter_async_context(
                httpx.AsyncClient(base_url=url, limits=limits, timeout=30.0)
            )
            for url in base_urls
        ]

        async def send(
            slot: int,
            raw: RawClient | None,
            path: str,
            body: dict[str, Any],
            headers: dict[str, str],
        ) -> int:
            if raw is None:
                resp = await clients[slot % len(clients)].post(path, json=body, headers=headers)
                return resp.status_code
            data = json.dumps(body, ensure_ascii=False).encode()
            return await asyncio.wait_for(raw.post(path, data, headers), 30.0)

        async def worker(slot: int) -> None:
            nonlocal issued
            host, port = base_urls[slot % len(base_urls)].removeprefix("http://").split(":")
            raw = RawClient(host, int(port)) if client_kind == "raw" else None
            try:
                while loop.time() < deadline and issued < max_requests:
                    issued += 1
                    cmd = mix.next()
                    t0 = time.perf_counter()
                    try:
                        status = await send(
                            slot,
                            raw,
                            cmd.path(),
                            cmd.body(),
                            {"Authorization": f"Bearer {tokens[cmd.token_key()]}"},
                        )
                    except (
                        httpx.HTTPError,
                        OSError,
                        asyncio.IncompleteReadError,
                        TimeoutError,
                        ValueError,
                    ) as exc:
                        errors[type(exc).__name__] += 1
                        if raw is not None:
                            await raw.close()
                        await asyncio.sleep(0.01)  # no busy loop against a failing server
                        continue
                    took = time.perf_counter() - t0
                    if status == 201:
                        if record:
                            latencies.append(took)
                    else:
                        errors[str(status)] += 1
            finally:
                if raw is not None:
                    await raw.close()

        start = time.perf_counter()
        await asyncio.gather(*(worker(i) for i in range(concurrency)))
        elapsed = time.perf_counter() - start
    return latencies, errors, elapsed


def run_http(
    database_url: str,
    mix: CommandMix,
    layout: Layout,
    concurrency: int,
    seconds: float,
    warmup: float,
    max_requests: int,
    log_dir: Path,
    client_kind: str,
    tokens: dict[tuple[str, str], str],
    group_commit: bool,
    profile: Path | None = None,
    stack: str = "h11",
    token_cache: bool = True,
) -> LatencyStats:
    server = Server(
        database_url, layout, log_dir, issuer_key_file(log_dir), group_commit, stack, token_cache
    )
    server.start()
    try:
        if warmup > 0:
            asyncio.run(
                drive_http(
                    server.base_urls,
                    mix,
                    concurrency,
                    warmup,
                    max_requests,
                    False,
                    tokens,
                    client_kind,
                )
            )
        pids = server.pids()
        pg_pids = pg_backend_pids(database_url)
        server_cpu0, pg_cpu0 = cpu_seconds_of(pids), cpu_seconds_of(pg_pids)
        meter = system_cpu_busy()
        cpu0 = time.process_time()
        with py_spy(pids, profile):
            latencies, errors, elapsed = asyncio.run(
                drive_http(
                    server.base_urls,
                    mix,
                    concurrency,
                    seconds,
                    max_requests,
                    True,
                    tokens,
                    client_kind,
                )
            )
        client_cpu = (time.process_time() - cpu0) / elapsed
        server_cpu = (cpu_seconds_of(pids) - server_cpu0) / elapsed
        pg_cpu = (cpu_seconds_of(pg_pids) - pg_cpu0) / elapsed
        busy = meter()
        stats = LatencyStats.of(
            f"HTTP {layout} {stack} {concurrency} in flight, group commit "
            f"{'on' if group_commit else 'off'}, {client_kind}"
            + ("" if token_cache else ", no token cache"),
            latencies,
            elapsed,
            errors=sum(errors.values()),
        )
        stats.extra = {
            "error_kinds": dict(errors),
            "client_cpu_cores": round(client_cpu, 2),
            "server_cpu_cores": round(server_cpu, 2),
            "postgres_backends_cpu_cores": round(pg_cpu, 2),
            "machine_busy_cores": round(busy, 2),
            "other_cpu_cores": round(max(0.0, busy - client_cpu - server_cpu - pg_cpu), 2),
        }
        if errors:
            print(f"  errors: {dict(errors)}; server log tail:\n{server.log_tail()[-800:]}")
        return stats
    finally:
        server.stop()


def issuer_key_file(directory: Path) -> Path:
    return directory / "dev-issuer.pem"


def mint_tokens(issuer: DevIssuer, seeded: Seeded) -> dict[tuple[str, str], str]:
    """One bearer token per (tenant, acting unit) of the mix."""
    return {
        (tenant, actor["acting_for"]): issuer.mint(
            subject=actor["subject"],
            tenant=tenant,
            role=actor["role"],
            unit=actor["acting_for"],
            ttl=4 * 3600,
        )
        for tenant, actor in seeded.token_actors()
    }


# ------------------------------------------------------------------ main
def positive(kind: Callable[[str], Any], upper: float) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        value = kind(text)
        if not 0 < value <= upper:
            raise argparse.ArgumentTypeError(f"must be in (0, {upper}]")
        return value

    return parse


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description="Commands/s over HTTP (uvicorn, PostgreSQL) beside the in-process baseline.",
        epilog='Needs TEST_DATABASE_URL: eval "$(deploy/local/infra.sh env)".',
    )
    p.add_argument(
        "--seconds",
        type=positive(float, 300),
        default=20.0,
        help="measured seconds per HTTP run (default 20, max 300)",
    )
    p.add_argument(
        "--baseline-seconds",
        type=positive(float, 300),
        default=None,
        help="seconds per in-process run (default: same as --seconds)",
    )
    p.add_argument(
        "--warmup",
        type=float,
        default=2.0,
        help="unrecorded load before each HTTP run, seconds (default 2)",
    )
    p.add_argument(
        "--concurrency",
        type=positive(int, 512),
        nargs="+",
        default=[32],
        help="requests in flight, one run each (default 32); the in-process diagnostics use the "
        "largest",
    )
    p.add_argument(
        "--workers",
        type=Layout.parse,
        nargs="+",
        default=[Layout(1, 1), Layout(1, 2), Layout(2, 1)],
        metavar="N|PxN",
        help="server layouts, one run each: N = `uvicorn --workers N`; PxN = P separate uvicorn "
        "processes of N workers on P ports, the client spreading its connections (default: "
        "1 2 2x1; `--workers 2` loses TCP_NODELAY in uvicorn 0.54, Kludex/uvicorn#3149)",
    )
    p.add_argument(
        "--client",
        choices=["httpx", "raw"],
        nargs="+",
        default=["httpx", "raw"],
        help="load generator(s): httpx.AsyncClient, and/or a minimal raw HTTP/1.1 "
        "keep-alive client that leaves more CPU to the server (default: both)",
    )
    p.add_argument(
        "--units",
        type=positive(int, 20_000),
        default=400,
        help="units per tenant, one unit assessment each (default 400)",
    )
    p.add_argument(
        "--sector-share",
        type=float,
        default=0.25,
        help="share of sector reviews in the mix, the rest perfunctory flags (default 0.25)",
    )
    p.add_argument(
        "--tenants",
        type=positive(int, 100),
        default=4,
        help="provinces (tenants), each with --units units and one cycle; the commands rotate "
        "over all their unit assessments (default 4: 1,600 unit assessments, so each gets a "
        "realistic few dozen events in a full run)",
    )
    p.add_argument(
        "--max-requests",
        type=positive(int, 2_000_000),
        default=200_000,
        help="cap on commands per run (default 200000)",
    )
    p.add_argument(
        "--group-commit",
        choices=["on", "off"],
        nargs="+",
        default=["on", "off"],
        help="server runs with ASSESSMENT_GROUP_COMMIT true and/or false (default: both)",
    )
    p.add_argument(
        "--stack",
        choices=sorted(STACKS),
        nargs="+",
        default=["h11"],
        help="uvicorn's HTTP parser and event loop, one run each: h11 = h11 + asyncio (pure "
        "Python, the project's pins; default), standard = httptools + uvloop (uvicorn[standard]; "
        "`pip install httptools uvloop` first: not pinned, not measured better on 2026-12-02)",
    )
    p.add_argument(
        "--token-cache",
        choices=["on", "off"],
        nargs="+",
        default=["on"],
        help="the server's verified-token cache (CONGVU_AUTH_CACHE_SIZE), one run each "
        "(default: on)",
    )
    p.add_argument(
        "--no-diagnostics", action="store_true", help="skip the in-process multi-thread run"
    )
    p.add_argument("--json", type=Path, default=None, help="also write the results as JSON here")
    p.add_argument(
        "--py-spy",
        type=Path,
        default=None,
        metavar="PREFIX",
        help="sample every uvicorn process with py-spy during each measured HTTP run: "
        "PREFIX-<run>-<n>.svg (flame graph) and .txt (collapsed stacks)",
    )
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    exit_on_sigterm()
    admin_url = need_env("TEST_DATABASE_URL")
    base_seconds = args.baseline_seconds or args.seconds
    if "standard" in args.stack:
        import importlib.util

        missing = [m for m in ("httptools", "uvloop") if importlib.util.find_spec(m) is None]
        if missing:
            sys.exit(f"--stack standard needs {', '.join(missing)}: pip install httptools uvloop")
    print(f"http_commands · {machine_notes()}")
    rows: list[LatencyStats] = []
    with private_database(admin_url) as url, tempfile.TemporaryDirectory() as tmp:
        app = build_application(AssessmentSettings(mode="production", database_url=SecretStr(url)))
        try:
            t0 = time.perf_counter()
            http_runs = (
                len(args.stack)
                * len(args.token_cache)
                * len(args.workers)
                * len(args.client)
                * len(args.group_commit)
                * len(args.concurrency)
            )
            phases = 4 * base_seconds + http_runs * (args.seconds + args.warmup)
            budget = int(min(phases * ASSUMED_MAX_RATE, (4 + http_runs) * args.max_requests))
            targets = args.units * args.tenants
            agencies = agencies_for(targets, budget, args.sector_share)
            seeded = seed(app, args.units, agencies, args.tenants)
            print(
                f"seeded {args.tenants} tenant(s) × ({args.units} units, 1 cycle, {agencies} "
                f"reviewer agencies with assignments) in {time.perf_counter() - t0:.1f}s"
            )
            issuer = DevIssuer.from_file(issuer_key_file(Path(tmp)), create=True)
            tokens = mint_tokens(issuer, seeded)
            mix = CommandMix(seeded, args.sector_share)  # one mix: no review pair used twice

            print("baseline: in-process, 1 thread, one save per command …", flush=True)
            before = run_inprocess(
                app,
                mix,
                "baseline in-process 1 thread (before)",
                base_seconds,
                args.max_requests,
                url,
            )
            rows.append(before)
            runs = [
                (layout, gc, conc, kind, stack, tc)
                for layout in args.workers
                for gc in args.group_commit
                for conc in args.concurrency
                for kind in args.client
                for stack in args.stack
                for tc in args.token_cache
            ]
            for layout, gc, conc, kind, stack, tc in runs:
                print(
                    f"HTTP: uvicorn {layout} ({stack}), group commit {gc}, {conc} in flight, "
                    f"{kind} client, token cache {tc} …",
                    flush=True,
                )
                rows.append(
                    run_http(
                        url,
                        mix,
                        layout,
                        conc,
                        args.seconds,
                        args.warmup,
                        args.max_requests,
                        Path(tmp),
                        kind,
                        tokens,
                        gc == "on",
                        None
                        if args.py_spy is None
                        else args.py_spy.with_name(
                            f"{args.py_spy.name}-{layout}-{stack}-gc{gc}-{kind}-tc{tc}"
                        ),
                        stack,
                        tc == "on",
                    )
                )
            if not args.no_diagnostics:
                diag_threads = max(args.concurrency)
                print(f"diagnostic: in-process, {diag_threads} threads, no HTTP …", flush=True)
                rows.append(
                    run_inprocess(
                        app,
                        mix,
                        f"diag in-process {diag_threads} threads",
                        base_seconds,
                        args.max_requests,
                        url,
                        threads=diag_threads,
                    )
                )
                print("diagnostic: the same with the service's group commit …", flush=True)
                settings = AssessmentSettings(mode="production", database_url=SecretStr(url))
                grouped = build_application(settings)
                committer = start_group_commit(grouped, settings)
                try:
                    rows.append(
                        run_inprocess(
                            grouped,
                            mix,
                            f"diag in-process {diag_threads} threads, group commit",
                            base_seconds,
                            args.max_requests,
                            url,
                            threads=diag_threads,
                        )
                    )
                    if committer is not None:
                        rows[-1].extra["group_commit_batches"] = committer.batches
                        rows[-1].extra["group_commit_commands"] = committer.commands
                finally:
                    if committer is not None:
                        committer.stop()
                    grouped.close()
            print("baseline again …", flush=True)
            after = run_inprocess(
                app,
                mix,
                "baseline in-process 1 thread (after)",
                base_seconds,
                args.max_requests,
                url,
            )
            rows.append(after)
            if mix.fallbacks:
                print(f"note: {mix.fallbacks} sector reviews became flags (review pairs ran out)")
        finally:
            app.close()

    print()
    print_table(rows, rate_name="cmds/s")
    baseline = (before.rate + after.rate) / 2
    print(f"\nbaseline (mean of before/after): {baseline:.1f} commands/s, one save per command")
    summary: list[dict[str, Any]] = []
    for r in rows:
        x = r.extra
        if r.label.startswith("HTTP"):
            met = r.rate >= TARGET_RATIO * baseline and r.p99_ms < TARGET_P99_MS
            print(
                f"{r.label}: {r.rate:.1f} cmds/s = {r.rate / baseline:.2f}× baseline; "
                f"p50 {r.p50_ms:.1f} ms, p99 {r.p99_ms:.1f} ms; "
                f"target ≥ {TARGET_RATIO:g}× baseline "
                f"with p99 < {TARGET_P99_MS:.0f} ms: {'MET' if met else 'NOT MET'}"
            )
            summary_line(
                f"commands over HTTP ({r.label.removeprefix('HTTP ')})",
                f"{r.rate:.0f}/s = {r.rate / baseline:.2f}×, p99 {r.p99_ms:.0f} ms",
                f"{baseline:.0f}/s in-process",
                f"≥ {TARGET_RATIO:g}×, p99 < {TARGET_P99_MS:.0f} ms",
                met,
            )
            mine = f"client {x['client_cpu_cores']}, uvicorn {x['server_cpu_cores']}"
            print(
                f"    server CPU per command: {1000 * x['server_cpu_cores'] / r.rate:.2f} ms "
                "(less sensitive to the machine's load than the rate)"
            )
        else:
            print(f"{r.label}: {r.rate:.1f} cmds/s = {r.rate / baseline:.2f}× baseline")
            mine = f"bench process {x['bench_process_cpu_cores']}"
            print(
                f"    CPU per command in this process: "
                f"{1000 * x['bench_process_cpu_cores'] / r.rate:.2f} ms"
            )
            if x.get("group_commit_batches"):
                per = x["group_commit_commands"] / x["group_commit_batches"]
                mine += f" (group commit: {per:.1f} commands per transaction)"
        print(
            f"    CPU cores busy: {mine}, PostgreSQL backends {x['postgres_backends_cpu_cores']}, "
            f"everything else {x['other_cpu_cores']}; machine {x['machine_busy_cores']} of "
            f"{os.cpu_count()}"
        )
        summary.append({**r.as_dict(), "ratio_to_baseline": round(r.rate / baseline, 3)})
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "bench": "http_commands",
                    "machine": machine_notes(),
                    "args": vars(args) | {"json": str(args.json)},
                    "baseline_rate": baseline,
                    "rows": summary,
                },
                indent=2,
                ensure_ascii=False,
                default=str,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
