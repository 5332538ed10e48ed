"""Benchmark of the individual context's pure domain (no store): a province's year of Decree
335 score sheets and the year-end rating of everyone, in memory.

Run::

    .venv/bin/python bench/individual_scoring.py                  # 60,000 officials × 12 months
    .venv/bin/python bench/individual_scoring.py --people 5000

Measures, same run:

* sheets: every công chức gets 12 monthly ``ScoreSheet`` aggregates (opened with 3–5 products,
  general criteria scored, approved: three events each) — events/s;
* year end: for every official the rule set of the year and category, the facts from the person
  file, the outcome, the level, and the "excellent" quota of each agency × task group recorded
  in one batch — officials/s and the total;

BASELINE, same run: the same arithmetic with no domain objects — the period totals computed
with bare exact sums (``Fraction``, rounded to cents as the domain does) from the same
inputs (events/s equivalent: 3 per sheet), and the
year-end band lookup from those totals. The ratio is what the domain layer (validation, events,
rules with their sources) costs over the raw sums.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from collections import defaultdict
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from assessment.domain.individual.assess import evaluate, year_score_of
from assessment.domain.individual.person import Person
from assessment.domain.individual.quota import ExcellentQuota
from assessment.domain.individual.scoring import cents
from assessment.domain.individual.settings import IndividualSettings
from assessment.domain.individual.sheet import ScoreSheet
from assessment.domain.kernel.values import Level

TENANT = "bench-tinh"
ACTOR = {"subject": "bench", "role": "personnel", "acting_for": "SNV"}
YEAR = 2026
WHEN = datetime(2026, 12, 1, tzinfo=UTC)
SETTINGS = IndividualSettings()
CENT = Decimal("0.01")


def make_people(n: int, rng: random.Random) -> list[Person]:
    people = []
    for i in range(n):
        roll = rng.random()
        category = "cong_chuc" if roll < 0.7 else ("vien_chuc" if roll < 0.95 else "can_bo")
        people.append(
            Person.register(
                tenant=TENANT,
                actor=ACTOR,
                occurred_at=WHEN,
                code=f"CB{i:06d}",
                full_name=f"Cán bộ {i}",
                category=category,
                agency_id=f"CQ{i % 300:03d}",
                position="deputy" if i % 20 == 1 else "staff",
                job_position="Chuyên viên",
                task_group=f"nhom{i % 3}",
                employed_from="2015-01-01",
            )
        )
    return people


def product_inputs(rng: random.Random) -> list[dict[str, Any]]:
    out = []
    for k in range(rng.randint(3, 5)):
        assigned = rng.randint(1, 4)
        out.append(
            {
                "code": f"SP{k}",
                "weight": rng.randint(1, 3),
                "assigned": assigned,
                "completed": rng.randint(max(0, assigned - 1), assigned),
                "major_errors": 1 if rng.random() < 0.1 else 0,
                "delays": 1 if rng.random() < 0.15 else 0,
            }
        )
    return out


def run_sheets(
    people: list[Person], months: int, seed: int
) -> tuple[dict[Any, list[ScoreSheet]], int, float]:
    rng = random.Random(seed)
    sheets: dict[Any, list[ScoreSheet]] = defaultdict(list)
    events = 0
    start = time.perf_counter()
    for p in people:
        if p.category.value != "cong_chuc":
            continue
        for month in range(1, months + 1):
            s = ScoreSheet.open(
                tenant=TENANT,
                actor=ACTOR,
                occurred_at=WHEN,
                person_id=p.id,
                agency_id=p.current["agency_id"],
                year=YEAR,
                period_kind="month",
                period=month,
                leader=p.current["position"] != "staff",
                products=product_inputs(rng),
            )
            s.score_general(
                actor=ACTOR, occurred_at=WHEN, points=rng.randint(22, 30), by_self=False
            )
            s.approve(actor=ACTOR, occurred_at=WHEN, settings=SETTINGS)
            events += len(s.collect_events())
            sheets[p.id].append(s)
    return sheets, events, time.perf_counter() - start


def baseline_sheets(
    people: list[Person], months: int, seed: int
) -> tuple[dict[Any, list[Decimal]], int, float]:
    rng = random.Random(seed)
    totals: dict[Any, list[Decimal]] = defaultdict(list)
    events = 0
    start = time.perf_counter()
    for p in people:
        if p.category.value != "cong_chuc":
            continue
        for _ in range(months):
            products = product_inputs(rng)
            general = Decimal(rng.randint(22, 30))
            weight = sum(Fraction(x["weight"]) for x in products)
            own = Fraction(70) if p.current["position"] == "staff" else Fraction(35)
            tasks = Fraction(0) if p.current["position"] == "staff" else Fraction(35)
            for x in products:
                part = own * x["weight"] / weight / 3
                done = min(Fraction(1), Fraction(x["completed"], x["assigned"]))
                q = max(Fraction(0), 1 - Fraction(1, 4) * x["major_errors"])
                d = max(Fraction(0), 1 - Fraction(1, 4) * x["delays"])
                tasks += part * done * (1 + q + d)
            totals[p.id].append(general + cents(min(tasks, Fraction(70))))
            events += 3
    return totals, events, time.perf_counter() - start


def run_year_end(
    people: list[Person], sheets: dict[Any, list[ScoreSheet]]
) -> tuple[dict[str, int], float]:
    start = time.perf_counter()
    by_scope: dict[tuple[str, str], dict[str, str | None]] = defaultdict(dict)
    counts: dict[str, int] = defaultdict(int)
    for p in people:
        score = year_score_of(sheets.get(p.id, ()), SETTINGS)
        ev = evaluate(p, YEAR, SETTINGS, score=score)
        level = ev.outcome.highest
        if level is None:
            counts["not_rated"] += 1
            continue
        if ev.outcome.score_based is False and level is Level.EXCELLENT:
            level = Level.GOOD  # criteria-based: the bench proposes "good" for the rest
        ev.outcome.check(level)
        by_scope[(p.current["agency_id"], p.current["task_group"])][str(p.id)] = level.value
    for (agency, group), entries in by_scope.items():
        quota = ExcellentQuota.open(
            tenant=TENANT,
            actor=ACTOR,
            occurred_at=WHEN,
            agency_id=agency,
            task_group=group,
            year=YEAR,
        )
        use = quota.use(SETTINGS)
        good = sum(1 for v in entries.values() if v == Level.GOOD.value)
        allowed = good * 20 // 100
        for person, level in entries.items():  # keep the cap: extra "excellent" become "good"
            if level == Level.EXCELLENT.value:
                if allowed > 0:
                    allowed -= 1
                else:
                    entries[person] = Level.GOOD.value
        use = quota.record(
            actor=ACTOR, occurred_at=WHEN, entries=entries, settings=SETTINGS, source="bench"
        )
        for level in entries.values():
            counts[str(level)] += 1
        assert not use.exceeded
    return counts, time.perf_counter() - start


def baseline_year_end(totals: dict[Any, list[Decimal]], people: list[Person]) -> float:
    start = time.perf_counter()
    for p in people:
        values = totals.get(p.id)
        if not values:
            continue
        score = (sum(values, Decimal(0)) / len(values)).quantize(CENT, rounding=ROUND_HALF_UP)
        _ = 4 if score >= 90 else 3 if score >= 70 else 2 if score >= 50 else 1
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=60_000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--seed", type=int, default=335)
    args = parser.parse_args()
    people = make_people(args.people, random.Random(args.seed))
    for p in people:
        p.collect_events()
    base_totals, base_events, base_s = baseline_sheets(people, args.months, args.seed)
    sheets, events, sheet_s = run_sheets(people, args.months, args.seed)
    same = all(
        [s.approved_total for s in sheets[pid]] == base_totals[pid]
        for pid in list(base_totals)[:500]
    )
    counts, year_s = run_year_end(people, sheets)
    base_year_s = baseline_year_end(base_totals, people)
    print(
        f"officials {args.people:,}, sheets {sum(len(v) for v in sheets.values()):,} "
        f"({args.months} months × công chức)"
    )
    print(
        f"sheets   domain: {events:,} events in {sheet_s:.1f} s = {events / sheet_s:,.0f} events/s"
    )
    print(
        f"sheets baseline: {base_events:,} (3/sheet) in {base_s:.1f} s = "
        f"{base_events / base_s:,.0f} events/s (bare exact sums); totals equal: {same}"
    )
    print(
        f"year end domain: {args.people:,} officials in {year_s:.2f} s = "
        f"{args.people / year_s:,.0f} /s; levels {dict(sorted(counts.items()))}"
    )
    print(f"year end baseline: {base_year_s:.2f} s (mean + band from bare totals)")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} (shared machine)")


if __name__ == "__main__":
    main()
