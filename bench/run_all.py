"""Run the command-throughput and relay-lag benchmarks one after the other, quickly.

Each benchmark runs in its own process (its own private database(s) and Kafka topics, removed
when it ends) and prints its figure beside its baseline. Defaults are short, for a smoke run
(about 4 minutes in all); ``--seconds 20`` gives the durations used in docs/bench/RESULTS.md
(about 10 minutes).

    eval "$(deploy/local/infra.sh env)"
    .venv/bin/python bench/run_all.py                 # quick
    .venv/bin/python bench/run_all.py --seconds 20    # as in RESULTS.md
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def wait_for_quiet(max_load: float, max_wait: float) -> None:
    """Give other work on a shared machine a chance to finish (1-minute load average)."""
    deadline = time.monotonic() + max_wait
    while (load := os.getloadavg()[0]) > max_load and time.monotonic() < deadline:
        print(f"  load average {load:.2f} > {max_load}; waiting …", flush=True)
        time.sleep(15)


def run(cmd: list[str], timeout: float) -> int:
    print(f"\n$ {' '.join(cmd)}", flush=True)
    proc = subprocess.Popen(cmd, start_new_session=True)
    try:
        return proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        print(f"timed out after {timeout:.0f}s; stopping it", file=sys.stderr)
        proc.send_signal(signal.SIGTERM)  # the benchmarks clean up on SIGTERM
        try:
            return proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # the group created for this child only
            return proc.wait()
    except KeyboardInterrupt:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
        raise


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Run bench/http_commands.py and bench/relay_lag.py.")
    p.add_argument("--seconds", type=float, default=5.0, help="measured seconds per run (5)")
    p.add_argument("--rate", type=float, default=500.0, help="relay_lag events/s (500)")
    p.add_argument("--only", choices=["http", "relay"], default=None, help="run only one benchmark")
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
            "--relay", "subprocess@0.5", "subprocess", "inprocess",
        ],
    }  # fmt: skip
    failed = 0
    for name, cmd in benches.items():
        if args.only and name != args.only:
            continue
        if args.json_dir:
            cmd = [*cmd, "--json", str(args.json_dir / f"{name}.json")]
        if args.wait_for_load is not None:
            wait_for_quiet(args.wait_for_load, args.max_wait)
        code = run(cmd, args.timeout)
        if code != 0:
            print(f"{name}: exit status {code}", file=sys.stderr)
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
