"""Benchmark: rebuilding the cycle-board read model from zero, in events per second.

Run (servers from ``deploy/local/infra.sh``; nothing but loopback)::

    eval "$(deploy/local/infra.sh env)"
    .venv/bin/python bench/audit_rebuild.py                    # ~25k events, all paths
    .venv/bin/python bench/audit_rebuild.py --units 100 --years 1 --no-kafka --profile

What it does, all in one process and one run:

1. creates its own PostgreSQL databases on the ``TEST_DATABASE_URL`` server (``bench_<random>``
   for the event store, ``bench_<random>_rm`` for the read model) and, for the Kafka path, its
   own topics on ``TEST_KAFKA_BOOTSTRAP`` (random prefix); all are removed at the end, also on
   Ctrl-C, SIGTERM or ``--timeout``;
2. writes a realistic history with the assessment domain and ``app.save(*many)``: N units
   (some renamed), one cycle per year enrolling them all, and per unit and year the whole
   seed-001 flow: sector reviews from every sector agency (half published later), the
   self-assessment (one in five perfunctory, then flagged), a review from every PC member,
   consolidation, the caucus review, some level adjustments, recognition, publication, and a
   few reopenings redone;
3. measures ``rebuild_from_envelopes`` (store batches → PostgreSQL shadow tables → swap) end to
   end from the store and with the batches already read, ``rebuild_from_kafka`` (the relay
   first publishes the store to a 3-partition topic; not timed) into PostgreSQL, and
   ``rebuild_from_envelopes`` into SQLite (WAL, synchronous=NORMAL, as the embedded mode);
4. BASELINE, same run: one transaction per event (each envelope applied in its own
   ``db.transaction()``, one commit and one WAL flush per event) over the whole history, or with
   ``--baseline-events N`` over the first N events in store order, then beside it the batched
   rebuild of the very same N events;
5. checks the three rebuilt boards are identical (rows, versions, steps, levels, flags);
6. with ``--profile``: cProfile of the PostgreSQL rebuild (batches already read) and the
   loopback round-trip time, to show where the time goes.

Target (ARCHITECTURE §10): ≥ 20,000 events/s on 2 cores; baseline 615 events/s one tx/event.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import hashlib
import json
import os
import pstats
import shutil
import signal
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import psycopg
from _rebuild_history import (
    TARGET,
    Batches,
    build_history,
    machine_notes,
    need_env,
    private_database,
    private_topics,
)
from pydantic import SecretStr

from assessment.adapters.history import iter_envelope_batches
from assessment.application.service import AssessmentApplication
from assessment.bootstrap import build_application
from reporting.consumer.rebuild import ShadowTx, prepare_shadow, rebuild_from_envelopes
from reporting.read_models.cycle_board import projection as cycle_board
from shared.envelope import Envelope
from shared.settings import AssessmentSettings
from shared.sql import Database, PostgresDatabase, SqliteDatabase


def rate(n: int, seconds: float) -> float:
    return n / seconds if seconds > 0 else float("inf")


READ_ONLY = "read store → envelopes only (no apply)"


class Results:
    """Every run of every measurement; each printed as soon as it is measured."""

    def __init__(self) -> None:
        self.runs: dict[str, list[tuple[int, float]]] = {}

    def add(self, label: str, n: int, secs: float) -> None:
        print(f"  {label}: {n:,} events, {secs:.2f} s, {rate(n, secs):,.0f} events/s", flush=True)
        self.runs.setdefault(label, []).append((n, secs))

    def median_rate(self, label: str) -> float:
        return statistics.median(rate(n, s) for n, s in self.runs[label])


def timed(fn: Callable[[], int]) -> tuple[int, float]:
    t0 = time.perf_counter()
    n = fn()
    return n, time.perf_counter() - t0


def per_event_transactions(db: Database, envelopes: list[Envelope]) -> int:
    """BASELINE: every envelope in its own transaction (one commit, one fsync, per event)."""
    for env in envelopes:
        with db.transaction() as tx:
            cycle_board.apply(ShadowTx(tx), env)
    return len(envelopes)


def rechunk(envelopes: list[Envelope], page: int) -> Batches:
    return [
        (envelopes[i : i + page], envelopes[min(i + page, len(envelopes)) - 1].global_position)
        for i in range(0, len(envelopes), page)
    ]


def board_digest(db: Database) -> tuple[int, str]:
    with db.transaction() as tx:
        rows = tx.fetchall(
            "SELECT assessment_id, version, steps, levels, flags, recognised_level, recognition "
            "FROM rm_board ORDER BY assessment_id"
        )
        rows += tx.fetchall("SELECT unit_id, version, name, '', '', '', '' FROM rm_unit")
        rows += tx.fetchall("SELECT cycle_id, version, deadlines, '', '', '', '' FROM rm_cycle")
    h = hashlib.sha256()
    for r in sorted(rows, key=lambda r: r[0]):
        h.update(repr(tuple(_normal(x) for x in r)).encode())
    return len(rows), h.hexdigest()[:16]


def _normal(value: Any) -> str:
    """JSON text compared by meaning: Kafka envelopes are canonical JSON (sorted keys)."""
    if isinstance(value, str) and value.startswith(("{", "[")):
        return json.dumps(json.loads(value), sort_keys=True, ensure_ascii=False)
    return str(value)


def drop_shadow(db: Database) -> None:
    prepare_shadow(db)  # recreates empty shadow tables; the next rebuild drops them again


def roundtrip_us(url: str, n: int = 3000) -> float:
    """Loopback round trip of one prepared single-row SELECT, in microseconds."""
    with psycopg.connect(url) as conn:
        conn.execute("CREATE TEMP TABLE rt (k TEXT PRIMARY KEY, v INTEGER)")
        conn.execute("INSERT INTO rt VALUES ('a', 1)")
        for _ in range(50):
            conn.execute("SELECT v FROM rt WHERE k = %s", ("a",)).fetchone()
        t0 = time.perf_counter()
        for _ in range(n):
            conn.execute("SELECT v FROM rt WHERE k = %s", ("a",)).fetchone()
        return (time.perf_counter() - t0) / n * 1e6


def profile_rebuild(db: Database, batches: Batches, top: int) -> None:
    prof = cProfile.Profile()
    t0 = time.perf_counter()
    prof.enable()
    n = rebuild_from_envelopes(db, batches, "bench-profile")
    prof.disable()
    wall = time.perf_counter() - t0
    st = pstats.Stats(prof)
    stats: dict[Any, Any] = st.stats  # type: ignore[attr-defined]
    total = sum(v[2] for v in stats.values())

    def own(pred: Callable[[str, str], bool]) -> float:
        return sum(v[2] for (f, _l, fn), v in stats.items() if pred(f, fn))

    def cum(file_part: str, func: str) -> float:
        return max(
            (v[3] for (f, _l, fn), v in stats.items() if file_part in f and fn == func),
            default=0.0,
        )

    calls = max(
        (v[1] for (f, _l, fn), v in stats.items() if "shared/sql.py" in f and fn == "execute"),
        default=0,
    )
    fetches = max(
        (v[1] for (f, _l, fn), v in stats.items() if "shared/sql.py" in f and fn == "fetchone"),
        default=0,
    )
    trips = {"wait", "wait_c", "_send_query_prepared", "_execute_send", "select", "poll"}
    waiting = own(lambda f, fn: fn in trips and ("psycopg" in f or f == "~"))
    psy = own(lambda f, fn: "psycopg" in f) - waiting
    jsonish = own(lambda f, fn: "json" in f)
    regex = own(lambda f, fn: "re/__init__" in f or "re.Pattern" in fn)
    ours = own(lambda f, fn: any(p in f for p in ("read_models/", "rebuild.py", "shared/sql.py")))
    print(f"\n--- cProfile: PostgreSQL rebuild, batches already read ({n} events) ---")
    print(
        f"profiled wall {wall:.2f} s = {rate(n, wall):,.0f} events/s (profiler overhead included)"
    )
    print(
        f"statements: {calls:,} execute + {fetches:,} fetchone = "
        f"{(calls + fetches) / max(n, 1):.2f} round trips/event"
    )
    print(f"own time, share of {total:.2f} s profiled:")
    for label, secs in (
        ("round trips: libpq send + wait for the server's answer (incl. server work)", waiting),
        ("psycopg client-side rest (adapt params, prepare cache, build results)", psy),
        ("json encode/decode (board row steps/levels/flags)", jsonish),
        ("regex (ShadowTx table renaming per statement)", regex),
        ("projection + adapters' own Python (cycle_board, rebuild, shared.sql)", ours),
    ):
        print(f"  {secs:6.2f} s  {100 * secs / total:5.1f}%  {label}")
    for label, file_part, func in (
        ("cycle_board apply (cumulative)", "cycle_board/projection.py", "apply"),
        ("  fold_board", "cycle_board/projection.py", "fold_board"),
        ("json.dumps", "json/__init__", "dumps"),
        ("json.loads", "json/__init__", "loads"),
        ("ShadowTx._sql", "rebuild.py", "_sql"),
    ):
        print(f"  cumulative {cum(file_part, func):6.2f} s  {label}")
    print(f"top {top} by own time:")
    st.sort_stats("tottime").print_stats(top)


# ------------------------------------------------------------------ main
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Target §10: ≥ 20,000 events/s on 2 cores. Baseline: one transaction per event.",
    )
    ap.add_argument("--units", type=int, default=200, help="units enrolled (default 200)")
    ap.add_argument("--years", type=int, default=3, help="cycles, one per year (default 3)")
    ap.add_argument("--sectors", type=int, default=15, help="sector agencies reviewing every unit")
    ap.add_argument("--members", type=int, default=15, help="PC members reviewing every unit")
    ap.add_argument("--save-chunk", type=int, default=100, help="aggregates per app.save()")
    ap.add_argument("--page", type=int, default=2000, help="events per batch/transaction (store)")
    ap.add_argument("--kafka-batch", type=int, default=2000, help="max records per poll (Kafka)")
    ap.add_argument(
        "--baseline-events",
        type=int,
        default=0,
        help="one-tx-per-event baseline on the first N events only (default 0: all)",
    )
    ap.add_argument("--repeat", type=int, default=3, help="rounds of every measurement")
    ap.add_argument("--no-kafka", action="store_true", help="skip the Kafka path")
    ap.add_argument("--no-sqlite", action="store_true", help="skip the SQLite path")
    ap.add_argument("--profile", action="store_true", help="cProfile the PostgreSQL rebuild")
    ap.add_argument("--profile-top", type=int, default=18)
    ap.add_argument("--timeout", type=int, default=1200, help="give up after this many seconds")
    args = ap.parse_args(argv)

    admin_url = need_env("TEST_DATABASE_URL")
    bootstrap = None if args.no_kafka else need_env("TEST_KAFKA_BOOTSTRAP")

    def bail(signum: int, _frame: object) -> None:
        raise SystemExit(f"stopped by signal {signum} (timeout {args.timeout} s or SIGTERM)")

    signal.signal(signal.SIGTERM, bail)
    signal.signal(signal.SIGALRM, bail)
    signal.alarm(args.timeout)

    tag = uuid.uuid4().hex[:10]
    tmp = Path(tempfile.mkdtemp(prefix="bench_rebuild_"))
    print(f"audit_rebuild · {machine_notes()}")
    results = Results()
    digests: dict[str, tuple[int, str]] = {}
    try:
        with contextlib.ExitStack() as stack:
            store_url = stack.enter_context(private_database(admin_url, f"bench_{tag}"))
            rm_url = stack.enter_context(private_database(admin_url, f"bench_{tag}_rm"))
            print(f"databases bench_{tag} (event store) and bench_{tag}_rm (read model)")
            app = build_application(
                AssessmentSettings(mode="production", database_url=SecretStr(store_url))
            )
            stack.callback(app.close)
            pg = PostgresDatabase(rm_url, max_size=2)
            stack.callback(pg.close)

            t0 = time.perf_counter()
            build_history(
                app,
                units=args.units,
                years=args.years,
                sectors=args.sectors,
                members=args.members,
                chunk=args.save_chunk,
            )
            gen = time.perf_counter() - t0
            stored = int(app.recorder.max_notification_id() or 0)
            print(
                f"history: {stored:,} events ({args.units} units × {args.years} cycles, "
                f"{args.sectors} sector agencies, {args.members} PC members) written in "
                f"{gen:.1f} s ({rate(stored, gen):,.0f} events/s, app.save of "
                f"{args.save_chunk} aggregates)"
            )

            n, secs = timed(
                lambda: sum(len(e) for e, _ in iter_envelope_batches(app, page=args.page))
            )
            results.add(READ_ONLY, n, secs)
            batches: Batches = list(iter_envelope_batches(app, page=args.page))
            envelopes = [e for b, _ in batches for e in b]
            sample = envelopes[: args.baseline_events] if args.baseline_events > 0 else envelopes
            which = "all" if len(sample) == len(envelopes) else "first"
            lite = None if args.no_sqlite else SqliteDatabase(tmp / "board.db")
            if lite is not None:
                stack.callback(lite.close)
            topics = None
            if bootstrap is not None:
                topics = stack.enter_context(private_topics(bootstrap, f"bench{tag}"))
                pub = time.perf_counter()
                asyncio.run(publish_all(app, bootstrap, topics, tag))
                pub = time.perf_counter() - pub
                print(
                    f"relay: published {stored:,} events to {topics['events']} (3 partitions) in "
                    f"{pub:.1f} s ({rate(stored, pub):,.0f} events/s; not part of the figure)"
                )

            kafka_rebuild: Callable[[], int] | None = None
            if bootstrap is not None and topics is not None:
                from reporting.consumer.rebuild import rebuild_from_kafka

                kafka_args = (pg, bootstrap, topics["events"], f"bench-{tag}", args.kafka_batch)

                def _kafka() -> int:
                    return asyncio.run(rebuild_from_kafka(*kafka_args))

                kafka_rebuild = _kafka

            for round_no in range(1, args.repeat + 1):
                print(f"round {round_no}/{args.repeat} (load avg {os.getloadavg()[0]:.2f})")
                # BASELINE first, then the batched rebuild of the very same sample.
                drop_shadow(pg)
                n, secs = timed(lambda: per_event_transactions(pg, sample))
                results.add(f"BASELINE PostgreSQL, 1 tx/event, {which} {n:,} events", n, secs)
                if which == "first":
                    n, secs = timed(
                        lambda: rebuild_from_envelopes(
                            pg, rechunk(sample, args.page), "bench-sample"
                        )
                    )
                    results.add(f"PostgreSQL batched, same first {n:,} events", n, secs)
                n, secs = timed(
                    lambda: rebuild_from_envelopes(
                        pg, iter_envelope_batches(app, page=args.page), "bench"
                    )
                )
                results.add("(a) PostgreSQL ← store, end to end (read + apply + swap)", n, secs)
                digests["postgres ← store"] = board_digest(pg)
                n, secs = timed(lambda: rebuild_from_envelopes(pg, batches, "bench"))
                results.add("(a') PostgreSQL ← store, batches already read", n, secs)
                if kafka_rebuild is not None:
                    n, secs = timed(kafka_rebuild)
                    results.add("(b) PostgreSQL ← Kafka (poll + decode + apply + swap)", n, secs)
                    digests["postgres ← kafka"] = board_digest(pg)
                if lite is not None:
                    drop_shadow(lite)
                    n, secs = timed(partial(per_event_transactions, lite, sample))
                    results.add(f"BASELINE SQLite, 1 tx/event, {which} {n:,} events", n, secs)
                    n, secs = timed(
                        partial(
                            rebuild_from_envelopes,
                            lite,
                            iter_envelope_batches(app, page=args.page),
                            "bench",
                        )
                    )
                    results.add("(c) SQLite ← store, end to end (read + apply + swap)", n, secs)
                    digests["sqlite ← store"] = board_digest(lite)
                    n, secs = timed(partial(rebuild_from_envelopes, lite, batches, "bench"))
                    results.add("(c') SQLite ← store, batches already read", n, secs)
                if len(set(digests.values())) != 1:
                    print(f"WARNING: boards differ: {digests}")

            report(results, digests)
            if args.profile:
                rtt = roundtrip_us(rm_url)
                print(
                    f"\nloopback round trip (prepared 1-row SELECT): {rtt:.0f} µs; the projection "
                    f"does 2 sequential round trips per event (SELECT row, UPDATE row), so one "
                    f"connection tops out near {1e6 / (2 * rtt):,.0f} events/s before any "
                    f"client-side work"
                )
                profile_rebuild(pg, batches, args.profile_top)
            print(f"\nload avg at end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        signal.alarm(0)
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


async def publish_all(
    app: AssessmentApplication, bootstrap: str, topics: dict[str, str], tag: str
) -> None:
    from assessment.adapters.relay import ApplicationSource, KafkaTarget, Relay

    target = KafkaTarget(bootstrap, topics["events"], topics["position"], f"bench-relay-{tag}")
    await target.start()
    try:
        await Relay(ApplicationSource(app), target, batch_size=500).drain()
    finally:
        await target.stop()


def report(results: Results, digests: dict[str, tuple[int, str]]) -> None:
    print(
        f"\n{'measurement (events/s: median of runs, best run)':<62} {'events':>8} "
        f"{'median':>9} {'best':>9}  ≥ 20k/s?"
    )
    for label, runs in results.runs.items():
        rates = [rate(n, s) for n, s in runs]
        med = statistics.median(rates)
        verdict = "" if label == READ_ONLY else ("MET" if med >= TARGET else "not met")
        print(f"{label:<62} {runs[0][0]:>8,} {med:>9,.0f} {max(rates):>9,.0f}  {verdict}")
    base = next((k for k in results.runs if k.startswith("BASELINE PostgreSQL")), None)
    same = next((k for k in results.runs if k.startswith("PostgreSQL batched")), None)
    same = same or next((k for k in results.runs if k.startswith("(a')")), None)
    if base and same:
        ratio = results.median_rate(same) / results.median_rate(base)
        print(f"batched / one-tx-per-event on PostgreSQL, same events: {ratio:.1f}×")
    lite_base = next((k for k in results.runs if k.startswith("BASELINE SQLite")), None)
    lite_same = next((k for k in results.runs if k.startswith("(c')")), None)
    if lite_base and lite_same and "all" in lite_base:
        ratio = results.median_rate(lite_same) / results.median_rate(lite_base)
        print(f"batched / one-tx-per-event on SQLite, same events: {ratio:.1f}×")
    print(f"target: ≥ {TARGET:,} events/s (§10); §10 baseline 615 events/s one tx per event")
    if digests:
        print(
            "boards rebuilt (rows, digest): "
            + "; ".join(f"{k}: {v[0]} {v[1]}" for k, v in digests.items())
        )
        print("boards identical: " + ("yes" if len(set(digests.values())) == 1 else "NO"))


if __name__ == "__main__":
    sys.exit(main())
