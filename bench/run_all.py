"""Run every benchmark of ARCHITECTURE §10 one after the other; end with a one-screen table.

Each benchmark runs in its own process (its own private database(s) and Kafka topics, removed
when it ends) and prints its figure beside its baseline from the same run; each also prints
``SUMMARY`` lines (figure, baseline, target, met, the 1-minute load average, the commit), which
this script collects into the closing table. Defaults are short, for a smoke run; ``--seconds
20 --events 1000000`` gives the sizes used in docs/bench/RESULTS.md.

    eval "$(deploy/local/infra.sh env)"
    .venv/bin/python bench/run_all.py                             # quick (make bench)
    .venv/bin/python bench/run_all.py --seconds 20 --events 1000000 --wait-for-load 2
    .venv/bin/python bench/run_all.py --only ballot rebuild       # some of them
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def wait_for_quiet(max_load: float, max_wait: float) -> None:
    """Give other work on a shared machine a chance to finish (1-minute load average)."""
    deadline = time.monotonic() + max_wait
    while (load := os.getloadavg()[0]) > max_load and time.monotonic() < deadline:
        print(f"  load average {load:.2f} > {max_load}; waiting …", flush=True)
        time.sleep(15)


def run(cmd: list[str], timeout: float, summary: list[list[str]]) -> int:
    print(f"\n$ {' '.join(cmd)}", flush=True)
    proc = subprocess.Popen(cmd, start_new_session=True, stdout=subprocess.PIPE, text=True)
    killer = threading.Timer(timeout, lambda: proc.send_signal(signal.SIGTERM))
    killer.start()  # the benchmarks clean up on SIGTERM
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            print(line, end="", flush=True)
            if line.startswith("SUMMARY\t"):
                summary.append(line.rstrip("\n").split("\t")[1:])
        return proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the group created for this child only
        return proc.wait()
    except KeyboardInterrupt:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
        raise
    finally:
        killer.cancel()


def print_summary(rows: list[list[str]]) -> None:
    heads = ["what", "figure", "baseline (same run)", "target", "met", "load", "commit"]
    rows = [r + [""] * (len(heads) - len(r)) for r in rows]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(heads)]
    print("\n" + "=" * min(160, sum(widths) + 3 * len(widths)))
    print(" | ".join(h.ljust(w) for h, w in zip(heads, widths, strict=True)))
    for r in rows:
        print(" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Run bench/http_commands.py and bench/relay_lag.py.")
    p.add_argument("--seconds", type=float, default=5.0, help="measured seconds per run (5)")
    p.add_argument("--rate", type=float, default=500.0, help="relay_lag events/s (500)")
    p.add_argument(
        "--only",
        nargs="+",
        choices=["http", "relay", "relay_idle", "pages", "ballot", "rebuild", "as_of"],
        default=None,
        help="run only these benchmarks",
    )
    p.add_argument("--events", type=int, default=200_000, help="rebuild_national events (200,000)")
    p.add_argument("--ballots", type=int, default=1000, help="ballot_service ballots (1,000)")
    p.add_argument(
        "--json-dir", type=Path, default=None, help="write each benchmark's JSON results here"
    )
    p.add_argument(
        "--wait-for-load",
        type=float,
        default=None,
        metavar="LOAD",
        help="before each benchmark, wait (up to --max-wait s) until the 1-minute load "
        "average is below LOAD",
    )
    p.add_argument("--max-wait", type=float, default=600.0, help="see --wait-for-load (600)")
    p.add_argument("--timeout", type=float, default=1800.0, help="per benchmark, seconds (1800)")
    args = p.parse_args(argv)
    if args.seconds <= 0 or args.seconds > 300:
        p.error("--seconds must be in (0, 300]")
    if args.json_dir:
        args.json_dir.mkdir(parents=True, exist_ok=True)

    py = sys.executable
    warmup = "1" if args.seconds < 10 else "2"
    benches = {
        "http": [
            py, str(HERE / "http_commands.py"),
            "--seconds", str(args.seconds), "--warmup", warmup,
            "--concurrency", "32", "--workers", "1", "2", "2x1", "--group-commit", "on", "off",
            "--client", "httpx", "raw",
        ],
        "relay": [
            py, str(HERE / "relay_lag.py"),
            "--rate", str(args.rate), "--seconds", str(args.seconds), "--warmup", warmup,
            "--relay", "subprocess@0.05", "subprocess", "inprocess",
        ],
        "relay_idle": [py, str(HERE / "relay_idle.py"), "--seconds", str(args.seconds)],
        "pages": [
            py, str(HERE / "pages_load.py"), "--seconds", str(args.seconds), "--users", "50",
        ],
        "ballot": [py, str(HERE / "ballot_service.py"), "--ballots", str(args.ballots)],
        "rebuild": [py, str(HERE / "rebuild_national.py"), "--events", str(args.events)],
        "as_of": [py, str(HERE / "audit_as_of.py")],
    }  # fmt: skip
    with_json = {"http", "relay"}
    summary: list[list[str]] = []
    failed = 0
    for name, cmd in benches.items():
        if args.only and name not in args.only:
            continue
        if args.json_dir and name in with_json:
            cmd = [*cmd, "--json", str(args.json_dir / f"{name}.json")]
        if args.wait_for_load is not None:
            wait_for_quiet(args.wait_for_load, args.max_wait)
        code = run(cmd, args.timeout, summary)
        if code != 0:
            print(f"{name}: exit status {code}", file=sys.stderr)
            failed += 1
    print_summary(summary)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
