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
import platform
import pstats
import random
import shutil
import signal
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

import psycopg
from pydantic import SecretStr

from assessment.adapters.history import iter_envelope_batches
from assessment.application.service import AssessmentApplication
from assessment.bootstrap import build_application
from assessment.domain.collective.cycle import Cycle
from assessment.domain.collective.unit_assessment import UnitAssessment
from assessment.domain.collective.values import Step
from assessment.domain.registry.unit import Unit
from reporting.consumer.rebuild import ShadowTx, prepare_shadow, rebuild_from_envelopes
from reporting.read_models.cycle_board import projection as cycle_board
from shared.envelope import Envelope
from shared.settings import AssessmentSettings
from shared.sql import Database, PostgresDatabase, SqliteDatabase

TENANT = "bench-tinh"
TARGET = 20_000
SNV = {"subject": "snv.tonghop", "role": "home_affairs", "acting_for": "SNV"}
CAUCUS = {"subject": "bcsd.thuky", "role": "party_caucus", "acting_for": "UBND-TINH"}
CHAIRMAN = {"subject": "chu-tich", "role": "chairman", "acting_for": "UBND-TINH"}
KINDS = ("department", "public_service_unit", "lower_peoples_committee")
LEVELS = ("hoan_thanh_xuat_sac", "hoan_thanh_tot", "hoan_thanh", "khong_hoan_thanh")
Batches = list[tuple[list[Envelope], int]]


# ------------------------------------------------------------------ servers
def need_env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        sys.exit(f'{name} is not set: run  eval "$(deploy/local/infra.sh env)"  first')
    return value


@contextlib.contextmanager
def private_database(admin_url: str, name: str) -> Iterator[str]:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunparse(urlparse(admin_url)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def private_topics(bootstrap: str, prefix: str) -> Iterator[dict[str, str]]:
    """The broker refuses auto-creation: create them like tests/conftest.py does."""
    from aiokafka.admin import AIOKafkaAdminClient, NewTopic

    topics = {
        "events": f"{prefix}.assessment.events.v1",
        "position": f"{prefix}.assessment.relay-position",
    }

    async def admin_do(create: bool) -> None:
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
        await admin.start()
        try:
            if create:
                await admin.create_topics(
                    [
                        NewTopic(topics["events"], 3, 1),
                        NewTopic(
                            topics["position"], 1, 1, topic_configs={"cleanup.policy": "compact"}
                        ),
                    ]
                )
            else:
                await admin.delete_topics(list(topics.values()))
        finally:
            await admin.close()

    asyncio.run(admin_do(True))
    try:
        yield topics
    finally:
        try:
            asyncio.run(admin_do(False))
        except Exception as exc:  # report, never hide
            print(f"warning: could not delete topics {list(topics.values())}: {exc}")


def machine_notes() -> str:
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{datetime.now(UTC):%Y-%m-%d %H:%M UTC} · {platform.node()} · {os.cpu_count()} CPUs · "
        f"Python {platform.python_version()} · load avg {load}"
    )


# ------------------------------------------------------------------ the history
WORDS = str.split(
    "đơn vị thực hiện tốt nhiệm vụ được giao, phối hợp chặt chẽ với các cơ quan liên quan, "
    "giải quyết hồ sơ đúng hạn, còn một số hạn chế trong công tác tham mưu cần khắc phục"
)


def _text(rng: random.Random, what: str, n: int) -> str:
    words = WORDS
    return f"{what}: " + " ".join(rng.choice(words) for _ in range(n))


def _at(day: date, rng: random.Random, late_share: float = 0.1) -> datetime:
    """A moment around a deadline day: mostly before, sometimes a few days late."""
    offset = rng.randint(1, 4) if rng.random() < late_share else -rng.randint(0, 12)
    return datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC) + timedelta(
        days=offset, minutes=rng.randint(0, 600)
    )


def _groups(rng: random.Random, codes: list[str], thorough: bool) -> dict[str, dict[str, Any]]:
    if not thorough:
        return {c: {"results": "Hoàn thành.", "limitations": "", "evidence": []} for c in codes}
    out = {}
    for c in codes:
        name = f"{c}-{rng.randint(1, 999)}.pdf"
        out[c] = {
            "results": _text(rng, "kết quả", 40),
            "limitations": _text(rng, "hạn chế", 15),
            "evidence": [
                {"name": name, "sha256": hashlib.sha256(name.encode()).hexdigest(), "size": 1000}
            ],
        }
    return out


def build_history(
    app: AssessmentApplication,
    *,
    units: int,
    years: int,
    sectors: int,
    members: int,
    chunk: int,
    seed: int = 7,
) -> None:
    """The seed-001 flow for every unit and year, phase by phase across units (as it happens:
    all sector agencies review in November, units self-assess in December, ...)."""
    rng = random.Random(seed)

    def save_all(aggs: list[Any]) -> None:
        for i in range(0, len(aggs), chunk):
            app.save(*aggs[i : i + chunk])

    first_year = 2025 - years + 1
    start = datetime(first_year, 9, 1, 2, tzinfo=UTC)
    unit_aggs = [
        Unit.register(
            tenant=TENANT,
            actor=SNV,
            occurred_at=start,
            code=f"DV{i:04d}",
            name=f"Đơn vị số {i}",
            kind=KINDS[i % len(KINDS)],
            parent_id=None,
        )
        for i in range(units)
    ]
    for u in unit_aggs[:: max(1, units // 20)]:
        u.rename(actor=SNV, occurred_at=start + timedelta(days=3), name=f"{u.name} (đổi tên)")
    save_all(unit_aggs)
    codes = {u.id: u.code for u in unit_aggs}

    for year in range(first_year, first_year + years):
        cycle = Cycle.plan(
            tenant=TENANT,
            actor=SNV,
            occurred_at=datetime(year, 10, 1, 2, tzinfo=UTC),
            year=year,
            title=None,
            plan_reference=f"Kế hoạch số {year % 100}/KH-UBND năm {year}",
            content_groups=None,
            deadlines=None,
        )
        new = cycle.enrol(
            actor=SNV, occurred_at=datetime(year, 10, 1, 3, tzinfo=UTC), unit_ids=list(codes)
        )
        cycle.change_deadline(
            actor=SNV,
            occurred_at=datetime(year, 10, 20, 2, tzinfo=UTC),
            step="self_assessment",
            deadline=f"{year}-12-12",
            reason="Lùi hạn theo Công văn của Sở Nội vụ",
        )
        group_codes = cycle.content_group_codes()
        uas = [
            UnitAssessment.open(
                tenant=TENANT,
                actor=SNV,
                occurred_at=datetime(year, 10, 1, 3, tzinfo=UTC),
                cycle_id=cycle.id,
                unit_id=u,
                year=year,
            )
            for u in new
        ]
        app.save(cycle)
        save_all(uas)

        def dl(step: Step, c: Cycle = cycle) -> datetime:
            d = c.deadline_for(step)
            assert d is not None
            return d

        def unit_actor(ua: UnitAssessment) -> dict[str, Any]:
            code = codes[ua.unit_id]
            return {"subject": f"{code.lower()}.vanthu", "role": "unit_officer", "acting_for": code}

        for s in range(sectors):  # every sector agency reviews every unit
            actor = {
                "subject": f"so{s:02d}.lanhdao",
                "role": "sector_reviewer",
                "acting_for": f"SO{s:02d}",
            }
            for ua in uas:
                ua.submit_sector_review(
                    actor=actor,
                    occurred_at=_at(dl(Step.SECTOR_REVIEW).date(), rng),
                    deadline=dl(Step.SECTOR_REVIEW),
                    reviewer_unit_id=f"SO{s:02d}",
                    comment=_text(rng, "nhận xét", 25),
                    proposed_level=rng.choice(LEVELS[:3]),
                    published=rng.random() < 0.5,
                )
            save_all(uas)
        for ua in uas:  # most unpublished reviews are published later
            for reviewer, review in list(ua.sector_reviews.items()):
                if not review["published"] and rng.random() < 0.7:
                    ua.publish_sector_review(
                        actor=SNV,
                        occurred_at=datetime(year, 11, 25, 2, tzinfo=UTC),
                        reviewer_unit_id=reviewer,
                    )
        save_all(uas)
        thorough = {ua.id: rng.random() >= 0.2 for ua in uas}
        for ua in uas:
            ua.submit_self_assessment(
                actor=unit_actor(ua),
                occurred_at=_at(dl(Step.SELF_ASSESSMENT).date(), rng),
                deadline=dl(Step.SELF_ASSESSMENT),
                group_codes=group_codes,
                groups=_groups(rng, group_codes, thorough[ua.id]),
                proposed_level=rng.choice(LEVELS[:2]),
            )
        save_all(uas)
        for m in range(members):  # every PC member reviews every unit
            actor = {"subject": f"uv{m:02d}", "role": "pc_member", "acting_for": "UBND-TINH"}
            for ua in uas:
                ua.submit_member_review(
                    actor=actor,
                    occurred_at=_at(dl(Step.MEMBER_REVIEW).date(), rng),
                    deadline=dl(Step.MEMBER_REVIEW),
                    assignment_reference="Quyết định số 1770/QĐ-UBND ngày 14/7/2011",
                    comment=_text(rng, "ý kiến", 20),
                    proposed_level=rng.choice(LEVELS[:3]),
                )
            save_all(uas)
        for ua in uas:
            if not thorough[ua.id]:
                ua.flag_perfunctory(
                    actor=SNV,
                    occurred_at=datetime(year, 12, 20, 2, tzinfo=UTC),
                    reason="Báo cáo sơ sài, chưa làm rõ hạn chế, yếu kém (Công văn 2060/SNV-TT).",
                )
            ua.consolidate(
                actor=SNV,
                occurred_at=_at(dl(Step.CONSOLIDATION).date(), rng),
                deadline=dl(Step.CONSOLIDATION),
                summary=_text(rng, "tổng hợp", 30),
                proposed_level=rng.choice(LEVELS[:3]),
            )
        save_all(uas)
        for ua in uas:
            ua.review_by_caucus(
                actor=CAUCUS,
                occurred_at=_at(dl(Step.CAUCUS_REVIEW).date(), rng),
                deadline=dl(Step.CAUCUS_REVIEW),
                comment="Thống nhất với đề xuất của Sở Nội vụ.",
                proposed_level=None,
            )
            if rng.random() < 0.15:
                ua.adjust_level(
                    actor=SNV,
                    occurred_at=dl(Step.CAUCUS_REVIEW) - timedelta(days=1),
                    level=rng.choice(LEVELS[:3]),
                    reason="Ban cán sự Đảng đề nghị xem xét lại mức xếp loại.",
                )
        save_all(uas)
        for rounds in (1, 2):
            for ua in uas:
                if rounds == 2 and ua.recognition is not None:
                    continue
                recognised_at = _at(dl(Step.RECOGNITION).date(), rng) + timedelta(days=rounds * 5)
                ua.recognise(
                    actor=CHAIRMAN,
                    occurred_at=recognised_at,
                    deadline=dl(Step.RECOGNITION),
                    decision_number=f"{rounds}25/QĐ-UBND",
                    decision_date=(recognised_at.date()).isoformat(),
                    signer="Chủ tịch UBND tỉnh",
                    level=ua.current_level or "hoan_thanh",
                )
                ua.publish(
                    actor=SNV,
                    occurred_at=recognised_at + timedelta(days=2),
                    channel="Cổng thông tin điện tử tỉnh",
                )
                if rounds == 1 and rng.random() < 0.05:  # a few are redone (seed 002)
                    ua.reopen(
                        actor=SNV,
                        occurred_at=recognised_at + timedelta(days=3),
                        step="recognition",
                        reason="Quyết định ghi sai mức xếp loại; làm lại.",
                    )
            save_all(uas)


# ------------------------------------------------------------------ measurements
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
