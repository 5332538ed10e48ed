"""Benchmark of the ballot service: casting over HTTP on PostgreSQL, verifying a whole record.

Run (servers from ``deploy/local/infra.sh``)::

    eval "$(deploy/local/infra.sh env)"
    .venv/bin/python bench/ballot_service.py                  # 2,000 ballots, 8 client threads
    .venv/bin/python bench/ballot_service.py --ballots 500 --threads 4 --workers 2

What it does: creates a private PostgreSQL database on ``TEST_DATABASE_URL``, starts the ballot
API with uvicorn in a separate process (``--workers`` processes, default 1), runs a 2-of-3 key
ceremony and publishes N credentials through the API, makes N ballots in advance (one person,
confidence scale + "no assessment" box = 4 options), then measures:

1. **cast**: N ballots POSTed by ``--threads`` client threads (each ballot fully verified and
   appended to the hash-chained board in one transaction) — ballots/s and latency p50/p95/p99,
   and where the CPU went, per cast and in cores: the server (its uvicorn processes), its
   helper processes (the ballot verification workers), PostgreSQL (this database's sessions),
   the bench client itself (it shares the machine), and the whole machine's busy cores;
2. **record verification**: download the whole record and run ``ballot.verifier.verify_record``
   (chain, checkpoints, every ballot's proofs and signature, replay/duplicate indexes, the
   aggregate recomputed) — seconds and ballots/s.

BASELINES, same run, same machine:

* for (1): ``GET /v1/ballot/health`` with the same client threads and connection reuse: the
  HTTP + framework + one-SQL-query floor of this server (what a route costs with no crypto and
  no write); and ``verify_ballot`` in-process on one core: the crypto ceiling per core;
* for (2): ``verify_ballot`` alone over the same ballots (no chain, no indexes, no tally): what
  the record verification costs beyond the per-ballot proofs.

The database, the server process and its key files are removed at the end, also on Ctrl-C.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import httpx
import psycopg
from _common import children_of, cpu_seconds_of, pg_backend_pids, py_spy, summary, system_cpu_busy
from _http_server import STACKS

from ballot.crypto import Ballot, Point, verify_ballot
from ballot.harness import ElectionDriver, Trustee, election_request
from ballot.verifier import read_ndjson, verify_record
from shared.auth import DevIssuer

TENANT = "bench-tinh"


def need_env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        sys.exit(f'{name} is not set: eval "$(deploy/local/infra.sh env)" first')
    return value


@contextlib.contextmanager
def private_database(admin_url: str) -> Iterator[str]:
    name = f"bench_ballot_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunparse(urlparse(admin_url)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def server(
    db_url: str, keys: Path, workers: int, stack: str = "standard"
) -> Iterator[tuple[str, int]]:
    port = free_port()
    env = {
        **os.environ,
        "BALLOT_MODE": "production",
        "BALLOT_DATABASE_URL": db_url,
        "BALLOT_BOARD_KEY_FILE": str(keys / "board.pem"),
        "BALLOT_DATABASE_POOL_SIZE": "16",
        "CONGVU_AUTH_DEV_KEY_FILE": str(keys / "issuer.pem"),
        "CONGVU_AUTH_ALLOW_DEV_ISSUER": "true",
    }
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "uvicorn", "--factory",
            "ballot.entrypoints.api.app:create_app",
            "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
            "--no-access-log", "--log-level", "warning",
            *STACKS[stack],
        ],
        env=env,
        start_new_session=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{url}/v1/ballot/health", timeout=2).status_code == 200:
                    break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the ballot server did not start")
            time.sleep(0.2)
        yield url, proc.pid
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def pct(values: Sequence[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def hammer(
    url: str, threads: int, jobs: Sequence[Callable[[httpx.Client], int]]
) -> tuple[float, list[float], list[int]]:
    """Run the jobs on ``threads`` clients (one keep-alive connection each)."""
    local = threading.local()
    clients: list[httpx.Client] = []
    lock = threading.Lock()

    def client() -> httpx.Client:
        c = getattr(local, "client", None)
        if c is None:
            c = local.client = httpx.Client(base_url=url, timeout=60)
            with lock:
                clients.append(c)
        return c

    def run(job: Callable[[httpx.Client], int]) -> tuple[float, int]:
        t0 = time.perf_counter()
        status = job(client())
        return time.perf_counter() - t0, status

    start = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        results = list(pool.map(run, jobs))
    elapsed = time.perf_counter() - start
    for c in clients:
        c.close()
    return elapsed, [r[0] for r in results], [r[1] for r in results]


def line(name: str, n: int, elapsed: float, lat: Sequence[float] | None = None) -> None:
    text = f"  {name:<46} {n:>6} in {elapsed:7.2f} s = {n / elapsed:8.1f} /s"
    if lat:
        text += (
            f"   p50 {pct(lat, 50) * 1000:6.1f} ms  p95 {pct(lat, 95) * 1000:6.1f} ms"
            f"  p99 {pct(lat, 99) * 1000:6.1f} ms"
        )
    print(text, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--ballots", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument(
        "--stack",
        choices=sorted(STACKS),
        default="standard",
        help="uvicorn's parser and loop, with the service's header guard: h11 + asyncio "
        "or standard = httptools + uvloop (default, as docker-compose.yml runs it)",
    )
    parser.add_argument(
        "--py-spy",
        type=Path,
        default=None,
        metavar="PREFIX",
        help="sample the server with py-spy (GIL holder only) while the casts run: "
        "PREFIX-<n>.svg flame graph, PREFIX-<n>.txt collapsed stacks",
    )
    args = parser.parse_args()
    admin = need_env("TEST_DATABASE_URL")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    print(
        f"ballot service bench — {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}; "
        f"{args.ballots} ballots, {args.threads} client threads, "
        f"{args.workers} uvicorn worker(s), {args.stack}"
    )
    with tempfile.TemporaryDirectory() as tmp, private_database(admin) as db_url:
        keys = Path(tmp)
        from ballot.bootstrap import load_or_create_board_key

        load_or_create_board_key(keys / "board.pem", create=True)
        issuer = DevIssuer.from_file(keys / "issuer.pem")

        def as_role(role: str) -> dict[str, str]:
            token = issuer.mint(subject=f"{role}.bench", tenant=TENANT, role=role, unit="SNV")
            return {"Authorization": f"Bearer {token}"}

        with (
            server(db_url, keys, args.workers, args.stack) as (url, server_pid),
            httpx.Client(base_url=url, timeout=120) as http,
        ):
            t0 = time.perf_counter()
            d = ElectionDriver(http, as_role, [Trustee.generate(i) for i in (1, 2, 3)])
            d.setup_open(
                election_request(
                    d.trustees,
                    summoned=args.ballots,
                    threshold=2,
                    min_ballots=1,
                    opens_at=datetime.now(UTC) - timedelta(minutes=1),
                    hours=24,
                ),
                voters=args.ballots,
            )
            print(
                f"  setup (ceremony + {args.ballots} credentials + open): "
                f"{time.perf_counter() - t0:.1f} s"
            )
            t0 = time.perf_counter()
            ballots = [d.make_ballot(code, (i % 4,)) for i, code in enumerate(d.codes)]
            print(f"  {args.ballots} ballots made in advance: {time.perf_counter() - t0:.1f} s\n")
            bodies = [b.to_dict() for b in ballots]
            cast_path = d.url("/ballots")

            def cast(body: dict[str, object]) -> Callable[[httpx.Client], int]:
                return lambda c: c.post(cast_path, json=body).status_code

            def health(c: httpx.Client) -> int:
                return c.get("/v1/ballot/health").status_code

            print("1. casting over HTTP (PostgreSQL)")
            n_base = min(args.ballots, 2000)
            elapsed, lat, statuses = hammer(url, args.threads, [health] * n_base)
            assert set(statuses) == {200}
            line("baseline: GET /v1/ballot/health", n_base, elapsed, lat)
            m = d.manifest
            fp, key = bytes.fromhex(m["fingerprint"]), Point.from_hex(m["manifest"]["joint_key"])
            shape = m["option_counts"]
            sample = ballots[: min(300, len(ballots))]
            t0 = time.perf_counter()
            for b in sample:
                verify_ballot(fp, key, Ballot.from_dict(b.to_dict()), shape)
            line("baseline: parse + verify_ballot, 1 core", len(sample), time.perf_counter() - t0)
            pids = [server_pid, *children_of(server_pid)] if args.workers > 1 else [server_pid]
            helpers = [c for p in pids for c in children_of(p) if c not in pids]
            pg_pids = pg_backend_pids(db_url)
            cpu0 = {p: cpu_seconds_of([p]) for p in [*pids, *helpers, *pg_pids]}
            client_cpu0, meter = time.process_time(), system_cpu_busy()
            with py_spy(pids, args.py_spy):
                elapsed, lat, statuses = hammer(url, args.threads, [cast(b) for b in bodies])
            client_cpu, busy = time.process_time() - client_cpu0, meter()
            pg_pids = sorted({*pg_pids, *pg_backend_pids(db_url)})  # and any opened meanwhile

            def spent(group: Sequence[int]) -> float:
                return sum(cpu_seconds_of([p]) - cpu0.get(p, 0.0) for p in group)

            cpu = {
                "server": spent(pids),
                "its helper processes": spent(helpers),
                "PostgreSQL": spent(pg_pids),
                "bench client": client_cpu,
            }
            bad = [s for s in statuses if s != 201]
            assert not bad, f"{len(bad)} casts failed: {set(bad)}"
            line("POST /ballots (verify + append + index)", len(bodies), elapsed, lat)
            cast_elapsed, cast_lat = elapsed, lat
            print(
                "  CPU per cast: "
                + ", ".join(f"{k} {v / len(bodies) * 1000:.2f} ms" for k, v in cpu.items())
                + "; cores busy: "
                + ", ".join(f"{k} {v / elapsed:.2f}" for k, v in cpu.items())
                + f", whole machine {busy:.2f} of {os.cpu_count()}"
            )

            print("\n2. verifying the whole record")
            t0 = time.perf_counter()
            text = http.get(d.url("/record")).text
            download = time.perf_counter() - t0
            lines = read_ndjson(text.splitlines())
            t0 = time.perf_counter()
            verified = verify_record(lines)
            elapsed = time.perf_counter() - t0
            assert verified.report.ok, verified.report.findings
            print(f"  download: {len(text) / 1e6:.1f} MB, {len(lines)} lines in {download:.2f} s")
            line("verify_record (chain+checkpoints+proofs+indexes)", len(ballots), elapsed)
            t0 = time.perf_counter()
            for body in bodies:
                verify_ballot(fp, key, Ballot.from_dict(body), shape)
            alone = len(bodies) / (time.perf_counter() - t0)
            line(
                "baseline: verify_ballot alone, same ballots", len(bodies), time.perf_counter() - t0
            )
            cast_rate, p99 = len(bodies) / cast_elapsed, pct(cast_lat, 99) * 1000
            print(
                f"\n  casts over HTTP = {cast_rate / alone:.0%} of verify_ballot alone "
                f"({alone:.0f}/s, same run); p99 {p99:.0f} ms; target ≥ 80 % with p99 < 100 ms"
            )
            summary(
                "ballot casts over HTTP",
                f"{cast_rate:.0f}/s = {cast_rate / alone:.0%}, p99 {p99:.0f} ms",
                f"{alone:.0f}/s verify alone",
                "≥ 80 %, p99 < 100 ms",
                cast_rate >= 0.8 * alone and p99 < 100,
            )
            print(
                f"\n  board: {verified.report.entries} entries, "
                f"{verified.report.checkpoints} checkpoints; head {verified.report.head_seq}"
            )


if __name__ == "__main__":
    main()
