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
import json
import os
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from _common import (
    CommandMix,
    LatencyStats,
    agencies_for,
    cpu_seconds_of,
    exit_on_sigterm,
    machine_notes,
    need_env,
    pg_backend_pids,
    print_table,
    private_database,
    seed,
    system_cpu_busy,
)
from _common import (
    summary as summary_line,
)
from _http_load import issuer_key_file, mint_tokens, run_http
from _http_server import STACKS, Layout
from pydantic import SecretStr

from assessment.application.kernel.errors import ConcurrencyConflict
from assessment.application.service import AssessmentApplication
from assessment.bootstrap import build_application, start_group_commit
from shared.auth import DevIssuer
from shared.settings import AssessmentSettings

TARGET_RATIO = 2.0  # ARCHITECTURE §10 (2026-12-01): ≥ 2× the in-process baseline of the same run
ASSUMED_MAX_RATE = 700.0  # commands/s, only to size the pool of reviewer agencies
TARGET_P99_MS = 100.0


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
        default=["standard"],
        help="uvicorn's HTTP parser and event loop, one run each, both with the service's "
        "header guard (shared.server): h11 = h11 + asyncio (pure Python), standard = "
        "httptools + uvloop (uvicorn[standard]'s; default, as the services run)",
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
        "--gc-tuning",
        choices=["on", "off"],
        nargs="+",
        default=["on"],
        help="the server's settled heap (CONGVU_GC_TUNE: start-up heap frozen, young objects "
        "collected every 20,000 allocations), one run each; off = CPython's defaults",
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
                * len(args.gc_tuning)
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
                (layout, gc, conc, kind, stack, tc, heap)
                for layout in args.workers
                for gc in args.group_commit
                for conc in args.concurrency
                for kind in args.client
                for stack in args.stack
                for tc in args.token_cache
                for heap in args.gc_tuning
            ]
            for layout, gc, conc, kind, stack, tc, heap in runs:
                print(
                    f"HTTP: uvicorn {layout} ({stack}), group commit {gc}, {conc} in flight, "
                    f"{kind} client, token cache {tc}, gc tuning {heap} …",
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
                            f"{args.py_spy.name}-{layout}-{stack}-gc{gc}-{kind}-tc{tc}-heap{heap}"
                        ),
                        stack,
                        tc == "on",
                        heap == "on",
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
