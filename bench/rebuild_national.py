"""Benchmark: the cycle-board rebuild at national scale (1,000,000 events on PostgreSQL).

Run (servers from ``deploy/local/infra.sh``; nothing but loopback)::

    eval "$(deploy/local/infra.sh env)"
    .venv/bin/python bench/rebuild_national.py                      # 1,000,000 events
    .venv/bin/python bench/rebuild_national.py --events 200000 --baseline-events 5000

What it does, in one process and one run:

1. creates two private PostgreSQL databases (event store, read model), dropped at the end;
2. writes one realistic province through the domain (``_rebuild_history.build_history``: 200
   units × 3 cycles, the whole seed-001 flow, ~25,000 events), then copies it province by
   province straight into the store (``bench/_synthetic.py``: own tenant and ids per copy)
   until the store holds ``--events`` events;
3. BASELINE, same run: the first ``--baseline-events`` events one transaction per event (the
   cycle board alone, as in the issue's first figure); then A/B on the first ``--old-events``
   events, end to end from the store: the FORMER rebuild (``cache_rows=0``: every page through
   ``registry.apply_all`` as the live consumers do, read with ``select_notifications``) and
   this one — their read-model tables must be identical (digest of every row);
4. the rebuild end to end, as ``congvu`` runs it: ``iter_envelope_batches`` (store pages of
   ``--page``) → ``rebuild_from_envelopes`` (shadow tables, the rows folded in memory and
   written behind, at most ``--cache-rows`` kept, swap), with the progress bar (rich); the
   process's RSS is sampled at every page, and the peak (``VmHWM``) and the RSS at 10 / 50 /
   100 % are printed: memory is flat when they agree. Every rate is printed beside the bench
   process's CPU time per event (it depends much less on the machine's load).

Target (ARCHITECTURE §10): ≥ 20,000 events/s end to end at 1,000,000 events, flat memory.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import os
import pstats
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from _common import summary
from _rebuild_history import TENANT, build_history, need_env, private_database
from _synthetic import replicate
from audit_rebuild import drop_shadow, per_event_transactions
from pydantic import SecretStr
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from assessment.adapters.contract_mapping import is_published, to_envelope
from assessment.adapters.history import iter_envelope_batches
from assessment.bootstrap import build_application
from reporting.consumer.rebuild import rebuild_from_envelopes
from reporting.consumer.rebuild_rows import DEFAULT_ROWS
from reporting.read_models import registry
from shared.envelope import Envelope
from shared.settings import AssessmentSettings
from shared.sql import PostgresDatabase

TARGET = 20_000


def rss_mb(field: str = "VmRSS") -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def notification_batches(app: Any, page: int) -> Iterator[tuple[list[Envelope], int]]:
    """The former store read: ``select_notifications`` pages, each row through ``to_envelope``."""
    position = 0
    while notes := app.recorder.select_notifications(
        start=position, limit=page, inclusive_of_start=False
    ):
        position = int(notes[-1].id)
        yield [to_envelope(app.mapper, n) for n in notes if is_published(n.topic)], position


def up_to(batches: Iterator[tuple[list[Envelope], int]], n: int) -> Iterator[Any]:
    seen = 0
    for envs, pos in batches:
        yield envs, pos
        seen += len(envs)
        if seen >= n:
            return


def digest(pg: PostgresDatabase) -> str:
    """Every row of every read-model table, as stored."""
    h = hashlib.sha256()
    with pg.transaction() as tx:
        for table in registry.tables():
            for row in tx.fetchall(f"SELECT * FROM {table} ORDER BY 1"):
                h.update(repr((table, row)).encode())
    return h.hexdigest()[:16]


def timed(run: Any) -> tuple[int, float, float]:
    """(events, wall seconds, CPU seconds of this process)."""
    t, c = time.perf_counter(), time.process_time()
    n = run()
    return n, time.perf_counter() - t, time.process_time() - c


def check_mapping(app: Any) -> None:
    """The direct stored-JSON path must give the domain-event path's envelope, event by event."""
    from assessment.adapters.contract_mapping import to_envelope, to_envelope_via_event

    n = 0
    while notes := app.recorder.select_notifications(start=n + 1, limit=5000):
        for note in notes:
            assert to_envelope(app.mapper, note) == to_envelope_via_event(app.mapper, note)
        n = int(notes[-1].id)
    print(f"mapping check: {n:,} events, direct path == domain-event path")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--units", type=int, default=200)
    ap.add_argument("--years", type=int, default=3)
    ap.add_argument("--page", type=int, default=2000, help="events per store page / transaction")
    ap.add_argument("--baseline-events", type=int, default=10_000)
    ap.add_argument(
        "--old-events", type=int, default=100_000, help="A/B: former vs this rebuild on these"
    )
    ap.add_argument("--cache-rows", type=int, default=DEFAULT_ROWS)
    ap.add_argument("--profile", type=Path, default=None, help="cProfile the rebuild into FILE")
    args = ap.parse_args(argv)
    admin = need_env("TEST_DATABASE_URL")
    tag = uuid.uuid4().hex[:10]
    print(f"rebuild_national · load avg {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with (
        private_database(admin, f"bench_{tag}") as store_url,
        private_database(admin, f"bench_{tag}_rm") as rm_url,
    ):
        app = build_application(
            AssessmentSettings(mode="production", database_url=SecretStr(store_url))
        )
        pg = PostgresDatabase(rm_url, max_size=2)
        try:
            t0 = time.perf_counter()
            build_history(
                app, units=args.units, years=args.years, sectors=15, members=15, chunk=100
            )
            one = int(app.recorder.max_notification_id() or 0)
            print(
                f"one province through the domain: {one:,} events "
                f"in {time.perf_counter() - t0:.0f} s"
            )
            check_mapping(app)
            total = replicate(store_url, "assessment_events", TENANT, args.events)
            print(f"store: {total:,} events ({time.perf_counter() - t0:.0f} s in all)")

            first: list[Envelope] = []
            for envs, _ in iter_envelope_batches(app, page=args.page):
                first += envs
                if len(first) >= args.baseline_events:
                    break
            sample = first[: args.baseline_events]
            print(f"\nBASELINE, first {len(sample):,} events (load avg {os.getloadavg()[0]:.2f})")
            drop_shadow(pg)  # empty shadow tables for the per-event baseline
            t = time.perf_counter()
            per_event_transactions(pg, sample)
            base = len(sample) / (time.perf_counter() - t)
            print(f"  one transaction per event: {base:,.0f} events/s")

            def former() -> int:
                batches = up_to(notification_batches(app, args.page), args.old_events)
                return rebuild_from_envelopes(pg, batches, "bench-old", cache_rows=0)

            def this(limit: int) -> Any:
                def run() -> int:
                    batches = up_to(iter_envelope_batches(app, page=args.page), limit)
                    return rebuild_from_envelopes(
                        pg, batches, "bench-old", cache_rows=args.cache_rows
                    )

                return run

            load_ab = os.getloadavg()[0]
            n_old, w_old, c_old = timed(former)
            d_old = digest(pg)
            n_new, w_new, c_new = timed(this(args.old_events))
            d_new = digest(pg)
            batched = n_old / w_old
            print(f"A/B end to end, first {n_old:,} events (load avg {load_ab:.2f})")
            print(
                f"  former rebuild (per page apply_all, select_notifications): "
                f"{batched:,.0f} events/s, CPU {c_old / n_old * 1e6:.1f} µs/event"
            )
            print(
                f"  this rebuild (write-behind rows, direct store read):       "
                f"{n_new / w_new:,.0f} events/s, CPU {c_new / n_new * 1e6:.1f} µs/event"
            )
            print(f"  read-model digests: former {d_old}, this {d_new}")
            assert d_old == d_new, "the rebuild's rows differ from the former rebuild's"

            print(f"\nrebuild end to end, {total:,} events (load avg {os.getloadavg()[0]:.2f})")
            marks: dict[int, float] = {}
            start_rss = rss_mb()

            def sampled() -> Iterator[tuple[list[Envelope], int]]:
                seen = 0
                for envs, pos in iter_envelope_batches(app, page=args.page):
                    seen += len(envs)
                    for pct in (10, 50, 100):
                        if pct not in marks and seen >= total * pct / 100:
                            marks[pct] = rss_mb()
                    yield envs, pos

            with Progress(
                TextColumn("rebuild"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                transient=not sys.stdout.isatty(),
            ) as bar:
                task = bar.add_task("rebuild", total=total)
                profiler = cProfile.Profile() if args.profile else None
                t, cpu = time.perf_counter(), time.process_time()
                if profiler:
                    profiler.enable()
                n = rebuild_from_envelopes(
                    pg,
                    sampled(),
                    "bench",
                    total=total,
                    progress=lambda pos, _t: bar.update(task, completed=pos),
                    cache_rows=args.cache_rows,
                )
                secs, cpu = time.perf_counter() - t, time.process_time() - cpu
                if profiler:
                    profiler.disable()
                    profiler.dump_stats(args.profile)
            rate = n / secs
            print(
                f"  {n:,} events in {secs:.1f} s = {rate:,.0f} events/s, CPU "
                f"{cpu / n * 1e6:.1f} µs/event ({rate / base:.1f}× one-tx-per-event, "
                f"{rate / batched:.2f}× the former rebuild's rate above)"
            )
            print(
                f"  RSS MB: before {start_rss:.0f}, at 10 % {marks.get(10, 0):.0f}, "
                f"50 % {marks.get(50, 0):.0f}, 100 % {marks.get(100, 0):.0f}; "
                f"peak (VmHWM, whole run) {rss_mb('VmHWM'):.0f}"
            )
            with pg.transaction() as tx:
                rows = tx.fetchone("SELECT count(*) FROM rm_board")
            print(f"  board rows: {rows[0] if rows else 0:,}")
            if args.profile:
                pstats.Stats(str(args.profile)).sort_stats("tottime").print_stats(25)
            met = rate >= TARGET
            summary(
                f"rebuild, {total:,} events, PostgreSQL",
                f"{rate:,.0f} ev/s, peak RSS {rss_mb('VmHWM'):.0f} MB",
                f"{base:,.0f} ev/s 1 tx/event; former rebuild {batched:,.0f} ev/s",
                f"≥ {TARGET:,} ev/s, flat memory",
                met,
            )
            print(
                f"\ntarget ≥ {TARGET:,} events/s end to end: {'MET' if met else 'NOT MET'} "
                f"(load avg at end {os.getloadavg()[0]:.2f})"
            )
        finally:
            pg.close()
            app.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
