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
3. BASELINE, same run: the first ``--baseline-events`` events one transaction per event, and
   the batched rebuild of the same events;
4. the rebuild end to end, as ``congvu`` runs it: ``iter_envelope_batches`` (store pages of
   ``--page``) → ``rebuild_from_envelopes`` (shadow tables, one transaction per page, swap),
   with the progress bar (rich); the process's RSS is sampled at every page, and the peak
   (``VmHWM``) and the RSS at 10 / 50 / 100 % are printed: memory is flat when they agree.

Target (ARCHITECTURE §10): ≥ 20,000 events/s end to end at 1,000,000 events, flat memory.
"""

from __future__ import annotations

import argparse
import cProfile
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
from audit_rebuild import drop_shadow, per_event_transactions, rechunk
from pydantic import SecretStr
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from assessment.adapters.history import iter_envelope_batches
from assessment.bootstrap import build_application
from reporting.consumer.rebuild import rebuild_from_envelopes
from shared.envelope import Envelope
from shared.settings import AssessmentSettings
from shared.sql import PostgresDatabase

TARGET = 20_000


def rss_mb(field: str = "VmRSS") -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


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
            t = time.perf_counter()
            rebuild_from_envelopes(pg, rechunk(sample, args.page), "bench-sample")
            batched = len(sample) / (time.perf_counter() - t)
            print(f"  batched (pages of {args.page}), same events: {batched:,.0f} events/s")

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
                t = time.perf_counter()
                if profiler:
                    profiler.enable()
                n = rebuild_from_envelopes(
                    pg,
                    sampled(),
                    "bench",
                    total=total,
                    progress=lambda pos, _t: bar.update(task, completed=pos),
                )
                secs = time.perf_counter() - t
                if profiler:
                    profiler.disable()
                    profiler.dump_stats(args.profile)
            rate = n / secs
            print(
                f"  {n:,} events in {secs:.1f} s = {rate:,.0f} events/s "
                f"({rate / base:.1f}× one-tx-per-event, {rate / batched:.2f}× batched sample)"
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
                f"{base:,.0f} ev/s 1 tx/event; {batched:,.0f} batched sample",
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
