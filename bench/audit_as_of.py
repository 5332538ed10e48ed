"""Benchmark: an aggregate read as of a version, 1,000 events, with and without snapshots.

Run (servers from ``deploy/local/infra.sh``; nothing but loopback)::

    eval "$(deploy/local/infra.sh env)"
    .venv/bin/python bench/audit_as_of.py                     # 1,000 events, 200 reads
    .venv/bin/python bench/audit_as_of.py --events 2000 --reads 500 --profile

What it does, in one process and one run:

1. creates its own PostgreSQL database (``bench_<random>``) on the ``TEST_DATABASE_URL`` server,
   dropped at the end (also on Ctrl-C, SIGTERM or ``--timeout``);
2. writes one UnitAssessment with ``--events`` events through the production application
   (``snapshotting_intervals = {UnitAssessment: 100}``), a realistic mix: sector reviews,
   self-assessment, member reviews, perfunctory flags, consolidation, caucus review, level
   adjustments, recognition, publication, then a reopening with a reason and everything again
   (the lists of flags, adjustments and reopenings grow, as they would); saved every
   ``--save-every`` events; then checks the snapshots table holds one snapshot per 100 versions;
   with an event tag key, as production: every row tagged, every snapshot read tag-checked;
3. reads the aggregate as of random versions (uniform over 1..N, the same versions for every
   reader, interleaved read by read in a shuffled order so machine noise hits all alike):
   * ``repository.get(id, version=v)`` WITH snapshots (the production application);
   * BASELINE ``repository.get(id, version=v)`` WITHOUT snapshots: a second application on the
     same database, a subclass with ``snapshotting_intervals = {}`` and
     ``IS_SNAPSHOTTING_ENABLED=n`` (so it replays events 1..v);
   * the audit use case ``aggregate_as_of(tenant, id, version=v)`` on both applications (what
     ``GET .../as-of?version=`` runs: ownership check + bounds + the read + public state):
     COLD, the row cache (``adapters/as_of_cache``) emptied before each read (untimed), and
     WARM, right after the cold read of the same version (its rows kept: no query), and
     with a cache of its own never emptied (the 200 random reads as they come: each miss
     reads on to the end of its snapshot interval, so later reads there hit);
   * BEFORE: the use case's path at 48e7c62, rebuilt in ``_as_of_before`` (text-format query,
     no cache, the generic walk of that commit), and the older two-query read;
4. checks both applications give the same state at 50 versions, and the cold, warm, before
   and snapshot-less use cases the same public state (and JSON text); prints median, p90, p99.

Target (ARCHITECTURE §10): ≤ 3 ms with snapshots; baseline measured here 50-90 ms without.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import inspect
import json
import os
import pstats
import random
import signal
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any, ClassVar

import psycopg
from _as_of_before import before_reader
from _common import machine_notes, need_env, private_database, summary
from pydantic import SecretStr

from assessment.adapters.as_of_cache import AsOfCache
from assessment.adapters.event_tags import load_or_create_tag_key, mapper_class_for
from assessment.application.kernel.audit import rebuilt_at
from assessment.application.kernel.views import to_public_state
from assessment.application.service import AssessmentApplication, CommandContext
from assessment.bootstrap import build_application, store_env
from assessment.domain.collective.cycle import Cycle
from assessment.domain.collective.unit_assessment import UnitAssessment
from assessment.domain.collective.values import Step
from assessment.domain.registry.unit import Unit
from shared.settings import AssessmentSettings

TENANT = "bench-tinh"
TARGET_MS = 3.0
SNV = {"subject": "snv.tonghop", "role": "home_affairs", "acting_for": "SNV"}
UNIT = {"subject": "dv.vanthu", "role": "unit_officer", "acting_for": "DV0001"}
AUDITOR = {"subject": "kiem-toan", "role": "auditor", "acting_for": None}
CAUCUS = {"subject": "bcsd.thuky", "role": "party_caucus", "acting_for": "UBND-TINH"}
CHAIRMAN = {"subject": "chu-tich", "role": "chairman", "acting_for": "UBND-TINH"}
LONG = (
    "Đơn vị thực hiện đầy đủ nhiệm vụ được giao; giải quyết 1.245 hồ sơ thủ tục hành chính, "
    "98,6% đúng hạn; còn hạn chế trong công tác tham mưu, cần khắc phục trong năm tới."
)


class WithoutSnapshots(AssessmentApplication):
    """The same application, snapshotting off: every read replays events 1..v."""

    name = "assessment"  # same tables (eventsourcing would name it after the subclass)
    snapshotting_intervals: ClassVar[dict[type[Any], int]] = {}

    def construct_mapper(self) -> Any:  # reads the tagged rows (the tag is not checked)
        return self.factory.mapper(
            transcoder=self.construct_transcoder(), mapper_class=mapper_class_for(None)
        )


# ------------------------------------------------------------------ the long history
def build_long_assessment(
    app: AssessmentApplication, events: int, save_every: int
) -> tuple[UnitAssessment, Cycle]:
    year = 2025
    t = datetime(year, 10, 1, 2, tzinfo=UTC)
    unit = Unit.register(
        tenant=TENANT,
        actor=SNV,
        occurred_at=t,
        code="DV0001",
        name="Sở Bench",
        kind="department",
        parent_id=None,
    )
    cycle = Cycle.plan(
        tenant=TENANT,
        actor=SNV,
        occurred_at=t,
        year=year,
        title=None,
        plan_reference="Kế hoạch số 25/KH-UBND",
        content_groups=None,
        deadlines=None,
    )
    cycle.enrol(actor=SNV, occurred_at=t, unit_ids=[unit.id])
    ua = UnitAssessment.open(
        tenant=TENANT, actor=SNV, occurred_at=t, cycle_id=cycle.id, unit_id=unit.id, year=year
    )
    app.save(unit, cycle, ua)
    codes = cycle.content_group_codes()
    groups = {
        c: {
            "results": LONG,
            "limitations": "Một số hồ sơ trễ hạn do thiếu thành phần liên thông.",
            "evidence": [{"name": f"{c}.pdf", "sha256": "ab" * 32, "size": 1000}],
        }
        for c in codes
    }
    clock = [t]

    def now() -> datetime:
        clock[0] += timedelta(hours=3)
        return clock[0]

    def dl(step: Step) -> datetime | None:
        return cycle.deadline_for(step)

    round_no = [0]

    def one_round() -> list[Callable[[], object]]:
        r = round_no[0] = round_no[0] + 1
        steps: list[Callable[[], object]] = []

        def sector(s: int) -> None:
            ua.submit_sector_review(
                actor={"subject": f"so{s}", "role": "sector_reviewer", "acting_for": f"SO{s}"},
                occurred_at=now(),
                deadline=dl(Step.SECTOR_REVIEW),
                reviewer_unit_id=f"SO{s}",
                comment=f"Vòng {r}: {LONG}",
                proposed_level="hoan_thanh_tot",
                published=s != 0,
            )

        def member(m: int) -> None:
            ua.submit_member_review(
                actor={"subject": f"uv{m}", "role": "pc_member", "acting_for": "UBND-TINH"},
                occurred_at=now(),
                deadline=dl(Step.MEMBER_REVIEW),
                assignment_reference="Quyết định số 1770/QĐ-UBND",
                comment=f"Vòng {r}: phối hợp tốt.",
                proposed_level="hoan_thanh_tot",
            )

        def reopen(step: str) -> None:
            ua.reopen(actor=SNV, occurred_at=now(), step=step, reason=f"Vòng {r}: làm lại.")

        steps.extend(partial(sector, s) for s in range(3))
        steps.append(
            lambda: ua.publish_sector_review(actor=SNV, occurred_at=now(), reviewer_unit_id="SO0")
        )
        steps.append(
            lambda: ua.submit_self_assessment(
                actor=UNIT,
                occurred_at=now(),
                deadline=dl(Step.SELF_ASSESSMENT),
                group_codes=codes,
                groups=groups,
                proposed_level="hoan_thanh_xuat_sac",
            )
        )
        steps.extend(partial(member, m) for m in range(3))
        steps.append(
            lambda: ua.flag_perfunctory(
                actor=SNV, occurred_at=now(), reason=f"Vòng {r}: báo cáo chưa làm rõ hạn chế."
            )
        )
        steps.append(
            lambda: ua.consolidate(
                actor=SNV,
                occurred_at=now(),
                deadline=dl(Step.CONSOLIDATION),
                summary=f"Vòng {r}: tổng hợp ý kiến các nguồn.",
                proposed_level="hoan_thanh_tot",
            )
        )
        steps.append(
            lambda: ua.review_by_caucus(
                actor=CAUCUS,
                occurred_at=now(),
                deadline=dl(Step.CAUCUS_REVIEW),
                comment="Thống nhất.",
                proposed_level=None,
            )
        )
        steps.append(
            lambda: ua.adjust_level(
                actor=SNV, occurred_at=now(), level="hoan_thanh_xuat_sac", reason="Vượt chỉ tiêu."
            )
        )

        def recognise() -> None:
            at = now()  # dated the day it is made: after the caucus review, not in the future
            ua.recognise(
                actor=CHAIRMAN,
                occurred_at=at,
                deadline=dl(Step.RECOGNITION),
                decision_number=f"{r}/QĐ-UBND",
                decision_date=(at + timedelta(hours=7)).date().isoformat(),
                signer="Chủ tịch UBND tỉnh",
                level="hoan_thanh_xuat_sac",
            )

        steps.append(recognise)
        steps.append(lambda: ua.publish(actor=SNV, occurred_at=now(), channel="Cổng TTĐT tỉnh"))
        steps.extend(
            partial(reopen, st) for st in ("sector_review", "self_assessment", "member_review")
        )
        return steps

    pending = 0
    while ua.version < events:
        for step in one_round():
            if ua.version >= events:
                break
            step()
            pending += 1
            if pending >= save_every:
                app.save(ua)
                pending = 0
    app.save(ua, cycle)
    return ua, cycle


# ------------------------------------------------------------------ measurements
def audit_reader(app: AssessmentApplication, ident: uuid.UUID) -> Callable[[int], Any]:
    """``aggregate_as_of`` as the audit route calls it: by an auditor's CommandContext where the
    application checks permissions, by tenant where it predates that."""
    params = list(inspect.signature(app.aggregate_as_of).parameters)
    who: Any = TENANT
    if params and params[0] == "ctx":
        who = CommandContext(tenant=TENANT, actor=AUDITOR)
    method: Any = app.aggregate_as_of
    return lambda v: method(who, ident, version=v)


def ms_stats(samples: list[float]) -> dict[str, float]:
    q = statistics.quantiles(samples, n=100, method="inclusive")
    return {
        "median": statistics.median(samples),
        "p90": q[89],
        "p99": q[98],
        "mean": statistics.fmean(samples),
        "max": max(samples),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Target §10: ≤ 3 ms with snapshots; baseline 50-90 ms without.",
    )
    ap.add_argument("--events", type=int, default=1000, help="events on the aggregate")
    ap.add_argument("--reads", type=int, default=200, help="reads per reader (random versions)")
    ap.add_argument("--warmup", type=int, default=20, help="untimed reads per reader first")
    ap.add_argument("--save-every", type=int, default=10, help="events per app.save()")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--profile", action="store_true", help="cProfile the snapshot readers")
    ap.add_argument("--timeout", type=int, default=600, help="give up after this many seconds")
    args = ap.parse_args(argv)
    admin_url = need_env("TEST_DATABASE_URL")

    def bail(signum: int, _frame: object) -> None:
        raise SystemExit(f"stopped by signal {signum} (timeout {args.timeout} s or SIGTERM)")

    signal.signal(signal.SIGTERM, bail)
    signal.signal(signal.SIGALRM, bail)
    signal.alarm(args.timeout)
    print(f"audit_as_of · {machine_notes()}")
    try:
        with contextlib.ExitStack() as stack:
            url = stack.enter_context(private_database(admin_url))
            # production tags every row and checks every snapshot read: so does the bench
            key_file = Path(stack.enter_context(tempfile.TemporaryDirectory())) / "tag.key"
            load_or_create_tag_key(key_file, create=True)
            settings = AssessmentSettings(
                mode="production", database_url=SecretStr(url), event_key_file=key_file
            )
            app = build_application(settings)
            stack.callback(app.close)
            bare = WithoutSnapshots(env={**store_env(settings), "IS_SNAPSHOTTING_ENABLED": "n"})
            stack.callback(bare.close)
            assert app.snapshots is not None, "production application should snapshot"
            assert bare.snapshots is None, "baseline application must not snapshot"
            print(f"snapshotting_intervals: {type(app).snapshotting_intervals}")

            t0 = time.perf_counter()
            ua, _ = build_long_assessment(app, args.events, args.save_every)
            built = time.perf_counter() - t0
            ident, n = ua.id, ua.version
            kinds = sorted({type(e).__name__ for e in app.events.get(ident)})
            snaps = app.snapshots.get(ident)
            snap_versions = [s.originator_version for s in snaps]
            table = getattr(app.snapshots.recorder, "events_table_name", "?")
            print(
                f"UnitAssessment {ident}: {n} events ({len(kinds)} kinds: {', '.join(kinds)}), "
                f"written in {built:.1f} s, app.save every {args.save_every} events"
            )
            print(f"snapshots in table {table}: {len(snap_versions)} at versions {snap_versions}")
            with psycopg.connect(url) as conn:
                rows = conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()
                size = conn.execute(f'SELECT max(length(state)) FROM "{table}"').fetchone()
            print(
                f"  (SQL: {rows[0] if rows else '?'} rows; largest snapshot state "
                f"{size[0] if size else '?'} bytes)"
            )
            if len(snap_versions) != n // 100:
                print(f"WARNING: expected {n // 100} snapshots")

            rng = random.Random(args.seed)
            versions = [rng.randint(1, n) for _ in range(args.reads)]
            as_of = audit_reader(app, ident)
            bare_as_of = audit_reader(bare, ident)
            before = before_reader(app, TENANT)
            cache: Any = getattr(app, "as_of_cache", None)
            print(f"as-of row cache: {cache.max_bytes >> 20 if cache is not None else 0} MiB")
            # a second cache, never emptied: the random reads as they come (after the warm-up)
            natural: Any = AsOfCache(
                app.recorder.snapshot_and_events,  # type: ignore[attr-defined]
                max_bytes=32 << 20,
                ahead=settings.snapshot_interval,
            )

            def as_of_natural(v: int) -> Any:
                app.as_of_cache = natural  # type: ignore[attr-defined]
                try:
                    return as_of(v)
                finally:
                    app.as_of_cache = cache  # type: ignore[attr-defined]

            readers: dict[str, Callable[[int], Any]] = {
                "repository.get(version=v) WITH snapshots": lambda v: app.repository.get(
                    ident, version=v
                ),
                "BASELINE repository.get(version=v) WITHOUT snapshots": lambda v: (
                    bare.repository.get(ident, version=v)
                ),
                # the use case, COLD: the row cache is emptied before each read (untimed)
                "aggregate_as_of(version=v) WITH snapshots, COLD": as_of,
                "BASELINE aggregate_as_of(version=v) WITHOUT snapshots": bare_as_of,
                # the same run's "before": the use case's path at 48e7c62 (_as_of_before)
                "BEFORE (48e7c62) aggregate_as_of path": lambda v: before(ident, v),
                # right after the cold read of the same v: its rows are in the cache
                "aggregate_as_of(version=v) WARM (rows of v cached)": as_of,
                "aggregate_as_of(version=v) cache never emptied": as_of_natural,
                "rebuilt_at(version=v), one query, no cache": lambda v: rebuilt_at(app, ident, v),
                # what the use case read until issue 14 phase 4 (two queries, the projector)
                "older: to_public_state(repository.get(version=v))": lambda v: to_public_state(
                    app.repository.get(ident, version=v)
                ),
            }
            names = list(readers)
            cold, warm = names[2], names[5]
            empty = {cold: cache.clear} if cache is not None else {}
            for name, read in readers.items():
                for v in rng.sample(range(1, n + 1), min(args.warmup, n)):
                    empty.get(name, lambda: None)()
                    read(v)
            times: dict[str, list[float]] = {k: [] for k in readers}
            # interleaved: one read of each kind per version, in a shuffled order (a read
            # right after a heavy one is slower), the warm read right after the cold one
            groups = [[name] for name in names if name not in (cold, warm)] + [[cold, warm]]
            for v in versions:
                rng.shuffle(groups)
                for name in (name for group in groups for name in group):
                    read = readers[name]
                    empty.get(name, lambda: None)()
                    t = time.perf_counter()
                    read(v)
                    times[name].append((time.perf_counter() - t) * 1000)

            mismatches = differ = 0
            for v in versions[:50]:
                a = to_public_state(app.repository.get(ident, version=v))
                b = to_public_state(bare.repository.get(ident, version=v))
                mismatches += a != b or a["version"] != v
                if cache is not None:
                    cache.clear()
                got = [as_of(v), as_of(v), before(ident, v), bare_as_of(v)]  # cold, warm
                texts = {json.dumps(x, ensure_ascii=False) for x in got}
                differ += len(texts) != 1 or any(x != got[0] for x in got)
            print(
                f"\nsame state with and without snapshots at {min(50, len(versions))} versions: "
                + ("yes" if not mismatches else f"NO ({mismatches} differ)")
            )
            print(
                "same public state (==, and the same JSON text) cold, warm, before, without "
                "snapshots: " + ("yes" if not differ else f"NO ({differ} versions differ)")
            )
            print(
                f"\n{args.reads} reads each at random versions 1..{n} "
                f"(replay after the snapshot ≤ 99 events):"
            )
            print(f"{'reader':<56} {'median':>8} {'p90':>8} {'p99':>8} {'max':>8}  ≤ 3 ms?")
            for name, samples in times.items():
                s = ms_stats(samples)
                ok = "" if "BASELINE" in name else ("MET" if s["p99"] <= TARGET_MS else "not met")
                if ok == "not met" and s["median"] <= TARGET_MS:
                    ok = "median met, p99 not"
                print(
                    f"{name:<56} {s['median']:>6.2f}ms {s['p90']:>6.2f}ms {s['p99']:>6.2f}ms "
                    f"{s['max']:>6.1f}ms  {ok}"
                )
            was = ms_stats(times[names[4]])
            for label, name in (("cold", cold), ("warm", warm)):
                now = ms_stats(times[name])
                print(
                    f"use case {label} vs BEFORE (48e7c62), same run: median {now['median']:.2f}"
                    f" vs {was['median']:.2f} ms, p99 {now['p99']:.2f} vs {was['p99']:.2f} ms"
                )
            for with_, without in ((names[0], names[1]), (names[2], names[3])):
                ratio = statistics.median(times[without]) / statistics.median(times[with_])
                print(f"median speed-up from snapshots, {with_.split('(')[0]}: {ratio:.1f}×")
            print(f"target: ≤ {TARGET_MS:g} ms with snapshots (§10); §10 baseline 50-90 ms")
            use_case, bare_case = ms_stats(times[cold]), ms_stats(times[names[3]])
            hot = ms_stats(times[warm])
            summary(
                f"as-of read, {n:,}-event aggregate",
                f"p99 {use_case['p99']:.2f} ms cold (median {use_case['median']:.2f}), "
                f"{hot['p99']:.2f} ms warm",
                f"p99 {bare_case['p99']:.1f} ms without snapshots",
                f"p99 ≤ {TARGET_MS:g} ms",
                use_case["p99"] <= TARGET_MS,
            )

            if args.profile:
                for name in (names[0], cold, warm):
                    prof = cProfile.Profile()
                    if name == warm and cache is not None:
                        for v in versions:  # every segment read once, untimed
                            readers[name](v)
                    prof.enable()
                    for v in versions:
                        empty.get(name, lambda: None)()
                        readers[name](v)
                    prof.disable()
                    print(f"\n--- cProfile: {name}, {len(versions)} reads, by cumulative ---")
                    pstats.Stats(prof).sort_stats("cumulative").print_stats(30)
            if cache is not None:
                print(f"row cache: {len(cache)} segments, {cache.size:,} bytes")
            print(
                f"cache never emptied: {natural.hits} hits, {natural.misses} misses, "
                f"{len(natural)} segments, {natural.size:,} bytes"
            )
            print(f"load avg at end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        signal.alarm(0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
