"""Benchmark: import a unit's register of work items and compute the per-person figures.

Run::

    .venv/bin/python bench/inspection_import.py                    # 100,000 items, CSV
    .venv/bin/python bench/inspection_import.py --items 20000 --format xlsx

Measures, on one generated register (deterministic: ``--seed``) with Vietnamese headers:

* **import**: bytes → validated work items (``read_register``: header mapping, every cell
  parsed and checked, duplicate ids, timestamp order), items/s;
* **figures**: on time / late / overdue / pending / passed on, working-day delays, per person
  and field (``figures``), items/s;
* end to end (import + figures), items/s, against the target **≥ 5,000 items/s**;
* with ``--store postgres`` (needs ``TEST_DATABASE_URL``; a private database, dropped after):
  the same items through the application — ``import_work_items`` commands of 20,000 items (model
  validation, the ``WorkRegister`` events in batches of 500, the figures it records, one
  transaction) into PostgreSQL — and the per-person figures read back (the recorded read
  ``READ_WORK_FIGURES``: load from the store, derive, record the read), items/s.

BASELINE, same run, same items: a naive computation of the same per-person figures — one scan
of all items per person and working days counted day by day with the calendar — checked to give
identical numbers, so the comparison is like for like.
"""

from __future__ import annotations

import argparse
import csv
import io
import platform
import random
import sys
import time
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from assessment.adapters.inspection.register_files import read_register
from assessment.application.inspection.reads import READ_WORK_FIGURES, ReadFigures
from assessment.domain.inspection.calendar import WorkingCalendar
from assessment.domain.inspection.work_items import (
    ItemStatus,
    WorkItem,
    deadline_end,
    figures,
)
from assessment.domain.kernel.values import VN_TZ

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/_common when run as a script
TARGET = 5_000.0
HEADER = [
    "Số, ký hiệu",
    "Trích yếu",
    "Lĩnh vực",
    "Loại",
    "Người xử lý",
    "Ngày đến",
    "Hạn xử lý",
    "Ngày xử lý",
    "Ngày tham mưu",
    "Chuyển cho",
]
FIELDS = [
    "Đất đai",
    "Xây dựng",
    "Tư pháp",
    "Y tế",
    "Giáo dục",
    "Tài chính",
    "Nội vụ",
    "Giao thông",
    "Nông nghiệp",
    "Công thương",
    "Tài nguyên",
    "Văn hoá",
]
KINDS = ["Văn bản đến", "Nhiệm vụ được giao", "Đề nghị tham mưu"]
# Tết, 30/4–1/5, 2/9 of 2023–2024 (enough for the generated period); Sat 4/5/2024 a make-up day
HOLIDAYS = frozenset(
    {date(2023, 1, d) for d in range(20, 27)}
    | {date(2023, 4, 29), date(2023, 4, 30), date(2023, 5, 1), date(2023, 5, 2), date(2023, 5, 3)}
    | {date(2023, 9, 1), date(2023, 9, 2), date(2023, 9, 4)}
    | {date(2024, 1, 1)}
    | {date(2024, 2, d) for d in range(8, 15)}
    | {date(2024, 4, 29), date(2024, 4, 30), date(2024, 5, 1), date(2024, 9, 2), date(2024, 9, 3)}
)
CALENDAR = WorkingCalendar(HOLIDAYS, frozenset({date(2024, 5, 4)}))
AS_OF = datetime(2025, 1, 15, 12, 0, tzinfo=VN_TZ)


def dmy(d: datetime | date) -> str:
    if isinstance(d, datetime):
        return d.strftime("%d/%m/%Y %H:%M")
    return d.strftime("%d/%m/%Y")


def generate(n: int, persons: int, seed: int) -> list[list[str]]:
    rnd = random.Random(seed)
    start = datetime(2023, 1, 2, 7, 30, tzinfo=VN_TZ)
    rows = []
    for i in range(n):
        received = start + timedelta(minutes=rnd.randrange(0, 2 * 365 * 24 * 60))
        deadline = received.date() + timedelta(days=rnd.randrange(3, 21))
        kind = rnd.choices(KINDS, weights=(6, 2, 2))[0]
        person = f"cb{rnd.randrange(persons):04d}"
        roll = rnd.random()
        handled = advised = passed = ""
        if roll < 0.05:
            passed = f"cb{rnd.randrange(persons):04d}"
        elif roll < 0.10:
            pass  # never handled
        else:
            lateness = rnd.choice((-5, -2, -1, 0, 0, 0, 1, 2, 7)) if roll > 0.75 else -1
            done = datetime.combine(deadline, datetime.min.time(), VN_TZ) + timedelta(
                days=lateness, hours=rnd.randrange(8, 17)
            )
            done = max(done, received + timedelta(hours=1))
            if kind == "Văn bản đến":
                handled = dmy(done)
            else:
                handled = dmy(max(received + timedelta(minutes=30), done - timedelta(days=1)))
                advised = dmy(done)
        rows.append(
            [
                f"{i + 1}/VB-{i % 97}",
                f"V/v xử lý hồ sơ số {i + 1}",
                rnd.choice(FIELDS),
                kind,
                person,
                dmy(received),
                dmy(deadline),
                handled,
                advised,
                passed,
            ]
        )
    return rows


def to_csv(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(HEADER)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8-sig")


def to_xlsx(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def naive_per_person(items: list[WorkItem]) -> dict[str, dict[str, int]]:
    """One scan of every item per person; working days counted day by day."""
    out: dict[str, dict[str, int]] = {}
    for person in sorted({i.person for i in items}):
        counts = {s.value: 0 for s in ItemStatus} | {"delay": 0}
        for it in items:
            if it.person != person or it.received_at > AS_OF:
                continue
            status, delay = naive_status(it)
            counts[status.value] += 1
            counts["delay"] += delay
        out[person] = counts
    return out


def naive_status(it: WorkItem) -> tuple[ItemStatus, int]:
    done = it.completed_at()
    done = done if done is not None and done <= AS_OF else None
    handled = it.handled_at if it.handled_at is not None and it.handled_at <= AS_OF else None
    advised = it.advised_at if it.advised_at is not None and it.advised_at <= AS_OF else None
    if it.passed_to and handled is None and advised is None:
        return ItemStatus.PASSED_ON, 0
    end = deadline_end(it, CALENDAR)
    if end is None:
        return ItemStatus.NO_DEADLINE, 0
    if done is not None and done <= end:
        return ItemStatus.ON_TIME, 0
    if done is None and end >= AS_OF:
        return ItemStatus.PENDING, 0
    upto = (done or AS_OF).astimezone(VN_TZ).date()
    d, delay = end.astimezone(VN_TZ).date(), 0
    while d < upto:
        d += timedelta(days=1)
        delay += CALENDAR.is_working_day(d)
    return (ItemStatus.LATE if done else ItemStatus.OVERDUE), delay


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--items", type=int, default=100_000)
    p.add_argument("--persons", type=int, default=200)
    p.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    p.add_argument("--seed", type=int, default=2024)
    p.add_argument("--repeat", type=int, default=3, help="best of N for each stage (3)")
    p.add_argument(
        "--store",
        choices=["none", "postgres"],
        default="none",
        help="also import through the application into PostgreSQL",
    )
    args = p.parse_args(argv)

    print(
        f"python {platform.python_version()} on {platform.machine()}, {args.items:,} items, "
        f"{args.persons} persons, {args.format.upper()}"
    )
    t = time.perf_counter()
    rows = generate(args.items, args.persons, args.seed)
    data = to_csv(rows) if args.format == "csv" else to_xlsx(rows)
    print(f"  generated {len(data) / 1e6:.1f} MB in {time.perf_counter() - t:.1f} s")

    def best(fn: Any) -> tuple[float, Any]:
        times, result = [], None
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            result = fn()
            times.append(time.perf_counter() - t0)
        return min(times), result

    t_import, imported = best(lambda: read_register(data, f"so.{args.format}"))
    if not imported.ok:
        print("import refused:", [e.to_dict() for e in imported.errors[:5]], file=sys.stderr)
        return 1
    items = imported.items
    t_fig, per = best(lambda: figures(items, CALENDAR, AS_OF, by=("person", "field")))
    t_person, per_person = best(lambda: figures(items, CALENDAR, AS_OF, by=("person",)))
    t_naive, naive = best(lambda: naive_per_person(items))

    mine = {
        k[0]: {s.value: getattr(f, s.value) for s in ItemStatus}
        | {"delay": f.delay_working_days_total}
        for k, f in per_person.items()
    }
    same = mine == naive
    n = len(items)
    total = figures(items, CALENDAR, AS_OF, by=())[()].to_dict()
    mix = ", ".join(f"{k} {total[k]:,}" for k in ("on_time", "late", "overdue", "passed_on"))
    print(f"  status mix as of {AS_OF:%d/%m/%Y}: {mix}; share on time {total['on_time_share']}")
    e2e = n / (t_import + t_person)
    print(f"  import (parse + validate)      {n / t_import:>12,.0f} items/s   ({t_import:.2f} s)")
    print(
        f"  figures per person × field     {n / t_fig:>12,.0f} items/s   ({t_fig:.2f} s, "
        f"{len(per)} groups)"
    )
    print(f"  figures per person             {n / t_person:>12,.0f} items/s   ({t_person:.2f} s)")
    print(
        f"  BASELINE naive per person      {n / t_naive:>12,.0f} items/s   ({t_naive:.2f} s)"
        f"   same figures: {'yes' if same else 'NO'}"
    )
    print(
        f"  end to end: import + per-person figures {e2e:,.0f} items/s "
        f"(target ≥ {TARGET:,.0f}: {'met' if e2e >= TARGET else 'NOT met'}); "
        f"figures {t_naive / t_person:.1f}× the naive baseline"
    )
    if args.store == "postgres":
        store_stage(data, items, per_person)
    return 0 if same else 1


def store_stage(data: bytes, items: list[WorkItem], expected: dict[Any, Any]) -> None:
    import hashlib

    from _common import need_env, private_database
    from pydantic import SecretStr

    from assessment.application.service import CommandContext
    from assessment.bootstrap import build_application
    from shared.settings import AssessmentSettings

    ctx = CommandContext(
        "bench-tinh", {"subject": "snv.bench", "role": "home_affairs", "acting_for": "SNV"}
    )
    team = CommandContext(
        "bench-tinh", {"subject": "snv.doan", "role": "inspector", "acting_for": "SNV"}
    )
    with private_database(need_env("TEST_DATABASE_URL"), "_insp") as url:
        app = build_application(AssessmentSettings(mode="production", database_url=SecretStr(url)))
        try:
            unit = app.register_unit(ctx, code="SXD", name="Sở Xây dựng", kind="department")["id"]
            app.set_working_calendar(
                ctx, holidays=sorted(HOLIDAYS), make_up_days=sorted(CALENDAR.make_up_days)
            )
            insp = app.decide_inspection(
                ctx,
                decision={
                    "number": "1/QĐ",
                    "date": "2024-12-01",
                    "signer": "x",
                    "legal_basis": "y",
                },
                title="bench",
                mode="unannounced",
                head={"subject": "snv.doan", "name": "Đoàn"},
            )["id"]
            app.plan_inspection(
                team,
                uuid.UUID(insp),
                scope="bench",
                period_from="2023-01-01",
                period_to="2024-12-31",
                units=[unit],
            )
            app.start_visit(team, uuid.UUID(insp), unit_id=unit, place="trụ sở")
            payload = [i.to_dict() for i in items]
            part = 20_000  # one command per part (MAX_PER_IMPORT), each one transaction
            t0 = time.perf_counter()
            for start in range(0, len(payload), part):
                app.import_work_items(
                    team,
                    uuid.UUID(insp),
                    uuid.UUID(unit),
                    items=payload[start : start + part],
                    append=start > 0,
                    filename=f"so-{start // part + 1}.csv",
                    sha256=hashlib.sha256(data).hexdigest(),
                    size=len(data),
                )
            t_store = time.perf_counter() - t0
            t0 = time.perf_counter()
            figs = app.execute(
                READ_WORK_FIGURES,
                team,
                ReadFigures(by=("person",), as_of=AS_OF),
                {"inspection_id": uuid.UUID(insp), "unit_id": uuid.UUID(unit)},
            )
            t_read = time.perf_counter() - t0
        finally:
            app.close()
    same = {g["key"]["person"]: g["on_time"] for g in figs["groups"]} == {
        k[0]: f.on_time for k, f in expected.items()
    }
    n = len(items)
    print(
        f"  store: import command into PostgreSQL {n / t_store:>8,.0f} items/s   "
        f"({t_store:.2f} s, {-(-n // 20_000)} commands of ≤ 20,000)"
    )
    print(
        f"  store: per-person figures read back   {n / t_read:>8,.0f} items/s   "
        f"({t_read:.2f} s)   same figures: {'yes' if same else 'NO'}"
    )


if __name__ == "__main__":
    sys.exit(main())
