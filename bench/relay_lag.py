"""Store commit → read model lag through Kafka, p50/p99, at a fixed event rate.

In one invocation, each pipeline on its own private stores (created here, removed at the end):

1. baseline: the embedded pipeline, all in this process, wired as ``embedded.app.build_embedded``
   wires it: assessment store on SQLite, audit sealer, relay woken by the save hook,
   ``BusTarget`` → in-process bus → ``BoardProjector`` on SQLite (ARCHITECTURE §10 "25–39 ms
   p99 in-process").
2. for each ``--relay`` variant: the store on PostgreSQL (writers through the service's group
   commit unless ``--group-commit off``); the relay as its own process — the real entrypoint
   ``python -m assessment.entrypoints.relay`` (sealer + ``Relay`` + ``KafkaTarget``, a
   transactional producer), polling the store every ``POLL`` s when idle — or in this process,
   woken by the save hook; the reporting consumer as its own process, ``bench/_lag_consumer.py``
   (``KafkaBoardConsumer`` on PostgreSQL, read_committed, through a subclass that notes the time
   right after each read-model commit).

Writers: threads issue commands (perfunctory flags and sector reviews, one event each) on an
open-loop schedule at ``--rate`` per second for ``--warmup`` + ``--seconds``; the commit time of
every event is noted by a subclass of the application (``_notify``, called after the store
transaction commits). Lag = read-model commit time − store commit time (wall clock, same
machine), over the events committed in the measured window. Target: p99 ≤ 250 ms at 500/s.

    eval "$(deploy/local/infra.sh env)"
    .venv/bin/python bench/relay_lag.py --rate 500 --seconds 20 \
        --relay subprocess@0.5 subprocess inprocess
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _common import (
    CommandMix,
    exit_on_sigterm,
    machine_notes,
    need_env,
    print_table,
    seed,
    summary,
    system_cpu_busy,
)
from _lag_kafka import Variant, run_kafka
from _lag_parts import (
    LagResult,
    RelayThread,
    TimedApplication,
    TimedBoardProjector,
    analyse,
    board_versions,
    caught_up,
    review_agencies,
    wait_until,
    write_at_rate,
)

from assessment.adapters.relay import ApplicationSource, BusTarget, Relay
from assessment.bootstrap import (
    build_sealer,
    store_env,
)
from reporting.adapters.db import SqliteDatabase
from reporting.consumer.runner import ensure_schema
from shared.bus import InProcessBus
from shared.settings import AssessmentSettings

TARGET_P99_MS = 50.0  # issue 14 (was 250 ms in ARCHITECTURE §10)
TARGET_RATE = 500.0


def run_bus_baseline(args: argparse.Namespace) -> LagResult:
    """The embedded pipeline. ``--baseline-writers`` defaults to 1: with two or more writer
    threads the embedded store stalls (see --help)."""
    with tempfile.TemporaryDirectory(prefix="bench-bus-") as tmp:
        data_dir = Path(tmp)
        # Wired as embedded.app.build_embedded wires it, with the two timed subclasses.
        settings = AssessmentSettings(
            mode="embedded",
            sqlite_path=data_dir / "assessment.sqlite",
            audit_key_file=data_dir / "keys" / "audit-signing-key.pem",
            checkpoint_every_events=100,
        )
        app = TimedApplication(env=store_env(settings))
        sealer = build_sealer(app, settings)
        db = SqliteDatabase(data_dir / "reporting.sqlite")
        try:
            ensure_schema(db)
            bus = InProcessBus()
            projector = TimedBoardProjector(db)
            bus.subscribe(projector)
            relay = Relay(ApplicationSource(app, sealer), BusTarget(bus), poll_seconds=0.5)
            app.add_save_listener(relay.wake)
            seeded = seed(app, args.units, review_agencies(args), args.tenants)
            runner = RelayThread(relay)
            runner.start()
            try:
                wait_until(
                    lambda: len(board_versions(db)) >= args.units * args.tenants,
                    60,
                    "seed in read model",
                )
                meter = system_cpu_busy()
                cpu0 = time.process_time()
                t0 = time.perf_counter()
                write = write_at_rate(
                    app,
                    CommandMix(seeded, args.sector_share),
                    args.rate,
                    args.warmup,
                    args.seconds,
                    args.baseline_writers,
                )
                wait_until(caught_up(db, app.commits), args.drain_timeout, "read model to catch up")
                elapsed = time.perf_counter() - t0
                own, busy = (time.process_time() - cpu0) / elapsed, meter()
            finally:
                runner.stop()
            result = analyse(
                "baseline: in-process bus, SQLite", app.commits, projector.marks, write
            )
            result.stats.extra |= {
                "bench_process_cpu_cores": round(own, 2),
                "machine_busy_cores": round(busy, 2),
            }
            return result
        finally:
            sealer.db.close()
            app.close()
            db.close()


def bounded(kind: Callable[[str], Any], upper: float) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        value = kind(text)
        if not 0 < value <= upper:
            raise argparse.ArgumentTypeError(f"must be in (0, {upper}]")
        return value

    return parse


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description="Store commit → read model lag via Kafka, beside the in-process bus.",
        epilog="Needs TEST_DATABASE_URL and TEST_KAFKA_BOOTSTRAP: "
        'eval "$(deploy/local/infra.sh env)".',
    )
    p.add_argument(
        "--rate",
        type=bounded(float, 5000),
        default=500.0,
        help="events (= commands, one save each) per second (default 500)",
    )
    p.add_argument(
        "--seconds",
        type=bounded(float, 300),
        default=20.0,
        help="measured seconds at that rate (default 20, max 300)",
    )
    p.add_argument(
        "--warmup",
        type=float,
        default=3.0,
        help="seconds at that rate before measuring (default 3)",
    )
    p.add_argument(
        "--writers",
        type=bounded(int, 256),
        default=32,
        help="writer threads issuing the commands on PostgreSQL (default 32, as many commands "
        "in flight as http_commands.py; with 8, a command's ~25 ms through group commit "
        "capped the open loop near 300/s)",
    )
    p.add_argument(
        "--writer-app",
        choices=["service", "bare"],
        default="service",
        help="PostgreSQL writers: 'service' = the application as the API builds it "
        "(bootstrap.build_application: pool checks only a suspect connection, pre-rendered "
        "SQL); 'bare' = the bare application class on the same store, as before (default "
        "service)",
    )
    p.add_argument(
        "--tree",
        type=Path,
        default=None,
        help="a checkout of another commit: variants ending in ':tree' run the relay and "
        "consumer processes with its sources first on PYTHONPATH (same run, A/B)",
    )
    p.add_argument(
        "--trace",
        action="store_true",
        help="time each step of the relay and consumer processes and print where the time "
        "goes (bench/_lag_relay.py, _lag_consumer.py --trace)",
    )
    p.add_argument(
        "--units",
        type=bounded(int, 20_000),
        default=400,
        help="units per tenant, one unit assessment each (default 400)",
    )
    p.add_argument(
        "--group-commit",
        choices=["on", "off"],
        default="on",
        help="PostgreSQL writers commit through the service's group commit, as the API does "
        "by default (default on)",
    )
    p.add_argument(
        "--baseline-writers",
        type=bounded(int, 64),
        default=1,
        help="writer threads for the embedded baseline (default 1: with 2 or more, the "
        "embedded store deadlocks between the audit sealer's SQLite transaction and "
        "eventsourcing's reader/writer pool until a 5-10 s timeout)",
    )
    p.add_argument(
        "--tenants",
        type=bounded(int, 100),
        default=4,
        help="provinces (tenants), each with --units units and one cycle (default 4)",
    )
    p.add_argument(
        "--relay",
        type=Variant.parse,
        nargs="+",
        default=[Variant("subprocess", None)],
        metavar="WHERE[@POLL]",
        help="Kafka runs, one each: 'subprocess' = the real `python -m "
        "assessment.entrypoints.relay` process, woken by PostgreSQL's NOTIFY (LISTEN); "
        "'subprocess@POLL' = the same process without LISTEN, polling every POLL s; "
        "a ':tree' suffix runs that relay and the consumer on the code of --tree; "
        "'inprocess' = Relay in this process woken by the save hook; "
        "e.g. --relay subprocess subprocess@0.05 inprocess (default: subprocess)",
    )
    p.add_argument(
        "--partitions",
        type=bounded(int, 64),
        default=3,
        help="partitions of the events topic (default 3)",
    )
    p.add_argument(
        "--drain-timeout",
        type=float,
        default=60.0,
        help="max seconds to wait for the read model to catch up (default 60)",
    )
    p.add_argument(
        "--keep-logs",
        type=Path,
        default=None,
        help="directory to keep the relay and consumer logs in",
    )
    p.add_argument(
        "--sector-share",
        type=float,
        default=0.25,
        help="share of sector reviews in the mix, the rest perfunctory flags (default 0.25)",
    )
    p.add_argument("--skip-baseline", action="store_true", help="only the Kafka pipeline")
    p.add_argument("--skip-kafka", action="store_true", help="only the in-process baseline")
    p.add_argument("--json", type=Path, default=None, help="also write the results as JSON here")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    exit_on_sigterm()
    admin_url = need_env("TEST_DATABASE_URL")
    bootstrap = need_env("TEST_KAFKA_BOOTSTRAP")
    print(f"relay_lag · {machine_notes()}")
    print(
        f"rate {args.rate:g}/s for {args.seconds:g}s (+{args.warmup:g}s warm-up), "
        f"{args.tenants}×{args.units} unit assessments, writer threads: "
        f"{args.baseline_writers} (embedded), {args.writers} (PostgreSQL)"
    )
    results: list[LagResult] = []
    if not args.skip_baseline:
        print("baseline: in-process bus on SQLite …", flush=True)
        results.append(run_bus_baseline(args))
    if not args.skip_kafka:
        for variant in args.relay:
            print(f"{variant.label()}, consumer subprocess, PostgreSQL …", flush=True)
            results.append(run_kafka(args, admin_url, bootstrap, variant))

    print()
    print_table([r.stats for r in results], rate_name="events/s")
    print(
        "(count = events committed in the measured window and seen in the read model; "
        "errors = events never seen + writer failures; latencies = lag)"
    )
    for r in results:
        s, x = r.stats, r.stats.extra
        rate_ok = r.achieved_rate >= 0.95 * args.rate
        line = (
            f"{s.label}: {r.achieved_rate:.0f} events/s committed (asked {args.rate:g}), "
            f"lag p50 {s.p50_ms:.1f} ms, p99 {s.p99_ms:.1f} ms, max {s.max_ms:.1f} ms"
        )
        if r.relay_ms and r.consume_ms:
            line += (
                f"\n    commit → Kafka record created p50/p99 {r.relay_ms[0]:.0f}/"
                f"{r.relay_ms[1]:.0f} ms; record → read model {r.consume_ms[0]:.0f}/"
                f"{r.consume_ms[1]:.0f} ms"
            )
        if not s.label.startswith("baseline"):
            met = s.p99_ms <= TARGET_P99_MS and rate_ok and r.missing == 0
            line += (
                f"\n    target p99 ≤ {TARGET_P99_MS:.0f} ms at {TARGET_RATE:.0f}/s sustained: "
                f"{'MET' if met and args.rate >= TARGET_RATE else 'NOT MET'}"
                + ("" if args.rate >= TARGET_RATE else f" (this run asked only {args.rate:g}/s)")
            )
            base = next((b.stats for b in results if b.stats.label.startswith("baseline")), None)
            summary(
                f"relay lag, {s.label}",
                f"p99 {s.p99_ms:.0f} ms at {r.achieved_rate:.0f}/s",
                f"p99 {base.p99_ms:.0f} ms in-process bus" if base else "—",
                f"p99 ≤ {TARGET_P99_MS:.0f} ms at {TARGET_RATE:.0f}/s",
                met and args.rate >= TARGET_RATE,
            )
        if not rate_ok:
            line += "\n    warning: the writers did not sustain the asked rate"
        if x["writer_errors"]:
            line += f"\n    writer errors: {x['writer_errors']}"
        cpu = ", ".join(
            f"{k.removesuffix('_cpu_cores')} {v}" for k, v in x.items() if k.endswith("_cpu_cores")
        )
        line += (
            f"\n    CPU cores busy: {cpu}; machine {x['machine_busy_cores']} of {os.cpu_count()}"
        )
        if r.achieved_rate:
            per_event = {
                k.removesuffix("_cpu_cores"): v * 1000 / r.achieved_rate
                for k, v in x.items()
                if k.endswith("_cpu_cores")
            }
            line += "\n    CPU per event committed: " + ", ".join(
                f"{k} {v:.2f} ms" for k, v in per_event.items()
            )
        if "pg_transactions_per_event" in x:
            t = x["pg_transactions_per_event"]
            line += (
                f"\n    PostgreSQL transactions per event (whole run after seeding, writers "
                f"included): store {t['store']}, read model {t['read_model']}"
            )
        for step in x.get("trace", []):
            line += f"\n    step {step}"
        print(line)
    if len(results) >= 2 and results[0].stats.label.startswith("baseline"):
        base = results[0].stats.p99_ms
        for r in results[1:]:
            print(f"{r.stats.label}: p99 = {r.stats.p99_ms / base:.1f}× the in-process p99")
    if args.json:
        payload = {
            "bench": "relay_lag",
            "machine": machine_notes(),
            "args": {k: str(v) for k, v in vars(args).items()},
            "rows": [r.stats.as_dict() for r in results],
        }
        args.json.write_text(json.dumps(payload, indent=2, ensure_ascii=False, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
