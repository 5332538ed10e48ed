"""Benchmark of the individual context on PostgreSQL: a province's staff and a year of Decree
335 monthly sheets imported, then everyone rated at year end — through the application (the
same commands as the API: validation, permission check, one transaction per command).

Run (servers as in bench/README.md)::

    .venv/bin/python bench/individual_rating.py                       # 60,000 × 12 months
    .venv/bin/python bench/individual_rating.py --people 6000 --agencies 30

Measures, on a private database:

1. import: ``import_staff`` (chunks of ``--chunk`` people) then ``import_sheets`` (chunks of
   ``--chunk`` sheets; each sheet opened with its products, general criteria scored and approved:
   three events) — events/s;
2. year end: ``open_ratings``, ``record_agency_round`` (the agency meeting for all its staff:
   self-assessment from the sheets, minutes, approval, party committee, proposal) and
   ``decide_ratings`` (with the quota of each agency × task group), per agency in chunks — the
   total seconds for everyone;
3. a person's sheet read: ``read_rating_file`` as the official themself (what their own sheet
   page ``/ho-so/ca-nhan/xep-loai/{id}`` reads: the rating, the person, the twelve monthly
   sheets, the outcome, the quota of the scope), ``--reads`` people drawn at random — p50, p99;

BASELINE, same run, same database server: the same number of events in the same chunk sizes
saved as bare ``TenantAggregate`` events (no validation, no rules, no reads) with
``app.save`` — the store's own rate. Year end's baseline is the store's own rate for the events
it writes: the same number of bare events written by ``run_baseline_store`` (its time at the
import's bare rate). The read's baseline: the same number of reads of one bare aggregate
(``app.repository.get``, three events), the store's floor for any read.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import exit_on_sigterm, need_env, private_database
from pydantic import SecretStr

from assessment.application.service import AssessmentApplication, CommandContext
from assessment.bootstrap import build_application
from assessment.domain.kernel.base import TenantAggregate
from shared.settings import AssessmentSettings

TENANT = "bench-tinh"
YEAR = 2026
WHEN = datetime(2026, 12, 1, tzinfo=UTC)


class BareNote(TenantAggregate):
    """The baseline's aggregate: events with a payload of the same order, and nothing else."""

    TOPIC = "bench.BareNote"

    class Event(TenantAggregate.Event):
        TOPIC = "bench.BareNote.Event"

    class Created(Event, TenantAggregate.Created):
        TOPIC = "bench.BareNote.Created"
        body: dict[str, Any]

    class Noted(Event):
        TOPIC = "bench.BareNote.Noted"
        body: dict[str, Any]

    def __init__(
        self, tenant: str, actor: dict[str, Any], occurred_at: datetime, body: dict[str, Any]
    ) -> None:
        self.tenant = tenant

    def note(self, body: dict[str, Any]) -> None:
        self._trigger(self.Noted, actor={"subject": "b"}, occurred_at=WHEN, body=body)


def ctx(role: str, unit: str | None, subject: str = "bench") -> CommandContext:
    return CommandContext(
        tenant=TENANT, actor={"subject": subject, "role": role, "acting_for": unit}
    )


def agency(i: int) -> str:
    return f"CQ{i:03d}"


def staff_rows(people: int, agencies: int) -> list[dict[str, Any]]:
    rows = []
    for i in range(people):
        a = i % agencies
        position = "head" if i < agencies else ("deputy" if i < 3 * agencies else "staff")
        rows.append(
            {
                "code": f"CB{i:06d}",
                "full_name": f"Cán bộ {i}",
                "category": "cong_chuc",
                "agency_id": agency(a),
                "position": position,
                "job_position": "Chuyên viên",
                "task_group": "lanh_dao" if position != "staff" else f"nhom{(i // agencies) % 3}",
                "employed_from": "2015-01-01",
                "account": f"cb{i:06d}",
            }
        )
    return rows


def sheet(code: str, month: int, i: int) -> dict[str, Any]:
    general = "25" if i % 10 == 3 else "10"  # one in ten staff at 95 points, the rest at 80
    return {
        "person_code": code,
        "period": month,
        "general": general,
        "products": [
            {"code": "SP1", "assigned": "2", "completed": "2"},
            {"code": "SP2", "weight": "2", "assigned": "1", "completed": "1"},
        ],
    }


def run_import(
    app: AssessmentApplication, rows: list[dict[str, Any]], months: int, chunk: int
) -> tuple[int, float]:
    events = 0
    start = time.perf_counter()
    by_agency: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_agency.setdefault(r["agency_id"], []).append(r)
    for code, part in by_agency.items():
        for k in range(0, len(part), chunk):
            app.import_staff(ctx("personnel", code), rows=part[k : k + chunk])
            events += len(part[k : k + chunk])
    for code, part in by_agency.items():
        sheets = [sheet(r["code"], m, j) for j, r in enumerate(part) for m in range(1, months + 1)]
        for k in range(0, len(sheets), chunk):
            app.import_sheets(ctx("personnel", code), year=YEAR, sheets=sheets[k : k + chunk])
            events += 3 * len(sheets[k : k + chunk])
    return events, time.perf_counter() - start


def run_baseline_store(app: AssessmentApplication, events: int, chunk: int) -> float:
    body = {"code": "SP1", "assigned": "2", "completed": "2", "weight": "1", "title": "x" * 20}
    start = time.perf_counter()
    done = 0
    while done < events:
        batch = []
        for _ in range(max(1, min(chunk, events - done) // 3)):
            note = BareNote._create(
                BareNote.Created, tenant=TENANT, actor={"subject": "b"}, occurred_at=WHEN, body=body
            )
            note.note(body)
            note.note(body)
            batch.append(note)
        app.save(*batch)
        done += 3 * len(batch)
    return time.perf_counter() - start


def run_year_end(
    app: AssessmentApplication, rows: list[dict[str, Any]], chunk: int
) -> tuple[dict[str, int], float, dict[str, str]]:
    levels: dict[str, int] = {}
    rating_of: dict[str, str] = {}  # person code → rating id
    start = time.perf_counter()
    by_agency: dict[str, list[str]] = {}
    for r in rows:
        by_agency.setdefault(r["agency_id"], []).append(r["code"])
    round_fields = {
        "minutes_number": "BB-01",
        "held_on": "2026-12-08",
        "attendees": 200,
        "comments": [{"by": "Công đoàn", "text": "Nhất trí"}],
        "party_document_number": "NX-1",
        "party_comments": "Nhất trí",
        "summary": "Tổng hợp theo điểm năm",
    }
    for code, codes in by_agency.items():
        personnel = ctx("personnel", code)
        proposals: dict[str, str | None] = {}
        staff_ids: list[str] = []
        # the head waits for the unit's collective result (rated by the superior): not here
        for k in range(0, len(codes), chunk):
            out = app.open_ratings(
                personnel, agency_id=code, year=YEAR, person_codes=codes[k : k + chunk]
            )
            ids = [item["id"] for n, item in enumerate(out["items"]) if k + n > 0]
            rating_of.update(zip(codes[k + (k == 0) : k + chunk], ids, strict=True))
            done = app.record_agency_round(
                personnel, proposals=[{"rating_id": i} for i in ids], **round_fields
            )
            staff_ids += ids
            for item in done["items"]:
                proposals[item["id"]] = item["proposed_level"]
        items = [{"rating_id": rid, "level": lv} for rid, lv in proposals.items()]
        for k in range(0, len(items), chunk):
            app.decide_ratings(
                ctx("unit_head", code),
                decisions=items[k : k + chunk],
                decision_number="QĐ 1",
                decided_on="2026-12-10",
            )
        for lv in proposals.values():
            levels[str(lv)] = levels.get(str(lv), 0) + 1
    return levels, time.perf_counter() - start, rating_of


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run_reads(
    app: AssessmentApplication, rows: list[dict[str, Any]], rating_of: dict[str, str], n: int
) -> list[float]:
    """``n`` reads of a person's own rating file (the sheet page's one read), in ms."""
    from uuid import UUID

    from assessment.application.individual import files, reads

    rng = random.Random(90)
    staff = [r for r in rows if r["code"] in rating_of]
    times = []
    for r in (rng.choice(staff) for _ in range(n)):
        me = ctx("official", r["agency_id"], r["account"])
        ids = {"rating_id": UUID(rating_of[r["code"]])}
        start = time.perf_counter()
        view = app.execute(files.READ_RATING_FILE, me, reads.ReadFile(), ids)
        times.append((time.perf_counter() - start) * 1000)
        assert len(view["sheets"]) == 12 and view["rating"]["decision"], view["rating"]["id"]
    return times


def run_baseline_reads(app: AssessmentApplication, n: int) -> list[float]:
    note = BareNote._create(
        BareNote.Created, tenant=TENANT, actor={"subject": "b"}, occurred_at=WHEN, body={}
    )
    note.note({})
    note.note({})
    app.save(note)
    times = []
    for _ in range(n):
        start = time.perf_counter()
        app.repository.get(note.id)
        times.append((time.perf_counter() - start) * 1000)
    return times


@contextlib.contextmanager
def profiled(prefix: Path | None, name: str) -> Iterator[None]:
    """cProfile the block into ``PREFIX-name.txt`` (cumulative and own time, top 60)."""
    if prefix is None:
        yield
        return
    import cProfile
    import io
    import pstats

    prof = cProfile.Profile()
    prof.enable()
    try:
        yield
    finally:
        prof.disable()
        out = io.StringIO()
        stats = pstats.Stats(prof, stream=out)
        stats.sort_stats("cumulative").print_stats(60)
        stats.sort_stats("tottime").print_stats(40)
        prefix.with_name(f"{prefix.name}-{name}.txt").write_text(out.getvalue())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=60_000)
    parser.add_argument("--agencies", type=int, default=300)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--chunk", type=int, default=1000)
    parser.add_argument("--reads", type=int, default=500, help="sheet reads to time")
    parser.add_argument(
        "--profile",
        type=Path,
        default=None,
        metavar="PREFIX",
        help="cProfile the import and the year end: PREFIX-import.txt, PREFIX-year-end.txt "
        "(slower: figures of a profiled run are not comparable)",
    )
    args = parser.parse_args(argv)
    exit_on_sigterm()
    admin = need_env("TEST_DATABASE_URL")
    rows = staff_rows(args.people, args.agencies)
    with private_database(admin, "_ind") as url:
        app = build_application(AssessmentSettings(mode="production", database_url=SecretStr(url)))
        try:
            ha = ctx("home_affairs", "SNV")
            app.register_unit(ha, code="UBND", name="UBND tỉnh", kind="peoples_committee")
            for i in range(args.agencies):
                app.register_unit(
                    ha, code=agency(i), name=f"Cơ quan {i}", kind="department", parent_code="UBND"
                )
            cpu = time.process_time()
            with profiled(args.profile, "import"):
                events, import_s = run_import(app, rows, args.months, args.chunk)
            import_cpu = time.process_time() - cpu
            base_s = run_baseline_store(app, events, args.chunk)
            before_year = app.recorder.max_notification_id()
            cpu = time.process_time()
            with profiled(args.profile, "year-end"):
                levels, year_s, rating_of = run_year_end(app, rows, args.chunk)
            year_cpu = time.process_time() - cpu
            year_events = app.recorder.max_notification_id() - before_year
            base_year_s = run_baseline_store(app, year_events, args.chunk)
            with profiled(args.profile, "reads"):
                read_ms = run_reads(app, rows, rating_of, args.reads)
            base_read_ms = run_baseline_reads(app, args.reads)
        finally:
            app.close()
    print(
        f"officials {args.people:,} in {args.agencies} agencies, {args.months} monthly sheets "
        f"each; chunks of {args.chunk}; load average {os.getloadavg()[0]:.1f} (2 cores shared)"
    )
    print(
        f"import   : {events:,} events in {import_s:.1f} s = {events / import_s:,.0f} events/s"
        f"  (target ≥ 5,000); this process's CPU {import_cpu:.1f} s"
    )
    print(
        f"baseline : {events:,} bare events, same chunks, same store in {base_s:.1f} s = "
        f"{events / base_s:,.0f} events/s"
    )
    print(
        f"year end : {args.people:,} officials rated in {year_s:.1f} s (target ≤ 60 s); "
        f"levels {dict(sorted(levels.items()))}; this process's CPU {year_cpu:.1f} s"
    )
    print(
        f"baseline : the {year_events:,} events year end wrote, as bare events, same chunks: "
        f"{base_year_s:.1f} s = {year_events / base_year_s:,.0f} events/s "
        f"(year end: {year_events / year_s:,.0f} events/s)"
    )
    print(
        f"sheet read: {len(read_ms)} own rating files (12 sheets each): "
        f"p50 {quantile(read_ms, 0.5):.1f} ms, p99 {quantile(read_ms, 0.99):.1f} ms "
        f"(target p99 ≤ 20 ms)"
    )
    print(
        f"baseline : {len(base_read_ms)} reads of one bare 3-event aggregate: "
        f"p50 {quantile(base_read_ms, 0.5):.1f} ms, p99 {quantile(base_read_ms, 0.99):.1f} ms"
    )
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
