"""Benchmark: a CCHC scoring sheet of 100 units × 100 criteria recomputed and ranked.

Run::

    .venv/bin/python bench/cchc_ranking.py                  # in process, 100 × 100, 5 runs
    .venv/bin/python bench/cchc_ranking.py --units 300 --criteria 120 --runs 3
    eval "$(deploy/local/infra.sh env)"                     # then, with the event store:
    .venv/bin/python bench/cchc_ranking.py --runs 3 --store postgres   # ~3 min (the baseline)

What it does, in one process and one run:

1. builds a constructed criteria set (10 fields × ``--criteria``/10 criteria, mixed rules:
   options, percent bands, yes/no, number from data, free points), checked as any set is;
2. takes ``--units`` units through a whole year in the domain (self-scores with evidence or an
   explanation, head approval, submission, appraisal — a third of the criteria re-scored with a
   reason —, reconciliation, council confirmation) and keeps each unit's event list;
3. times, interleaved run by run so machine noise hits all alike:
   * ``replay+rank``: every unit's aggregate rebuilt from its events (as the repository does),
     then ``compute_index`` for each unit and ``rank`` for the block — the figure to hold
     under the 1 s target;
   * ``rank only``: ``compute_index`` + ``rank`` on aggregates already in memory (what a read
     model holding current state pays);
   * BASELINE ``naive``: every (unit, criterion) score read on its own by walking that unit's
     events for the latest appraised score of that criterion — one event-stream read per
     value —, then the same index and ranking;
4. checks the three give the same table, prints median and max of each and the ratio;
5. with ``--store postgres``: saves everything into a private PostgreSQL database (dropped
   after; one snapshot per unit) through the production application, then times
   * ``store: get+rank``: ``repository.get`` of every unit's scoring (the application's cache
     hands out deep copies, as for a command; the ranking decision loads the block this way),
     ``compute_index`` and ``rank``;
   * BASELINE ``store: naive``, once: every self and appraised value read with its own query of
     the unit's events (2 × units × criteria reads), then the same index and ranking;
   and checks both give the same ranks and figures.
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from _common import need_env, private_database
from pydantic import SecretStr

from assessment.bootstrap import build_application
from assessment.domain.cchc.criteria_set import CriteriaSet
from assessment.domain.cchc.index import UnitScores, compute_index
from assessment.domain.cchc.ranking import rank
from assessment.domain.cchc.scoring import CchcScoring
from shared.settings import AssessmentSettings

HA = {"subject": "snv.bench", "role": "home_affairs", "acting_for": "SNV"}
UNIT = {"subject": "u.bench", "role": "unit_head", "acting_for": "U"}
T0 = datetime(2025, 1, 5, 1, 0, tzinfo=UTC)
DEADLINE = "2025-01-20T17:00:00+07:00"
RULES: list[dict[str, Any]] = [
    {"kind": "options", "options": [
        {"code": "dung_han", "label": "Đúng hạn", "points": "1"},
        {"code": "tre_han", "label": "Trễ hạn", "points": "0.5"},
        {"code": "khong", "label": "Không", "points": "0"}]},
    {"kind": "percent", "bands": [
        {"low": "90", "low_inclusive": True, "high": "100", "high_inclusive": True, "points": "1"},
        {"low": "70", "low_inclusive": True, "high": "90", "high_inclusive": False,
         "points": "0.5"},
        {"low": "0", "low_inclusive": True, "high": "70", "high_inclusive": False, "points": "0"}]},
    {"kind": "yes_no", "yes": "1", "no": "0"},
    {"kind": "number", "source": "dvc.tre_han", "bands": [
        {"low": "0", "low_inclusive": True, "high": "0", "high_inclusive": True, "points": "1"},
        {"low": "0", "low_inclusive": False, "high": None, "points": "0"}]},
    {"kind": "points", "step": "0.25"},
]  # fmt: skip


def answer(kind: str, u: int, c: int, shift: int) -> dict[str, Any]:
    k = (random.Random(u * 100_003 + c).randrange(4) + shift) % 4
    if kind == "options":
        return {"option": ("dung_han", "tre_han", "khong", "dung_han")[k]}
    if kind == "percent":
        return {"numerator": 60 + 10 * k, "denominator": 100}
    if kind == "yes_no":
        return {"yes": k != 2}
    if kind == "number":
        return {"value": str(k % 2)}
    return {"points": ("1", "0.75", "0.5", "0.25")[k]}


def build(units: int, criteria: int) -> tuple[CriteriaSet, list[list[Any]], list[CchcScoring]]:
    per_field = criteria // 10
    nodes: list[dict[str, Any]] = []
    for f in range(10):
        code = f"F{f}"
        nodes.append(
            {
                "code": ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"][f],
                "level": "field",
                "title": f"Lĩnh vực {f + 1}",
                "max_points": str(per_field),
            }
        )
        for i in range(per_field):
            n = f * per_field + i + 1
            nodes.append(
                {
                    "code": str(n),
                    "level": "criterion",
                    "title": f"Tiêu chí {n}",
                    "max_points": "1",
                    "parent": nodes[-1 - i]["code"] if i else code,
                    "rule": RULES[n % len(RULES)],
                    "method": "appraisal",
                }
            )
    # fix parents (the field code is the Roman numeral)
    field_code = None
    for node in nodes:
        if node["level"] == "field":
            field_code = node["code"]
        else:
            node["parent"] = field_code
    total = str(per_field * 10)
    content = {"nodes": nodes, "total_points": total, "bands": [
        {"code": "tot", "label": "Tốt", "min_index": "90"},
        {"code": "kha", "label": "Khá", "min_index": "80"},
        {"code": "tb", "label": "Trung bình", "min_index": "65"},
        {"code": "yeu", "label": "Yếu", "min_index": "0"}],
        "tie_break": ["appraised_points", "self_gap"]}  # fmt: skip
    s = CriteriaSet.draft(
        tenant="bench",
        actor=HA,
        occurred_at=T0,
        year=2024,
        block="so_nganh",
        title="Bộ tiêu chí dựng cho benchmark",
        content=content,
    )
    s.publish(
        actor=HA,
        occurred_at=T0,
        decision_number="1/QĐ",
        decision_date="2025-01-01",
        signer="Chủ tịch",
    )
    leaves = s.content.leaves()
    streams, aggregates = [], []
    for u in range(units):
        a = CchcScoring.open(
            criteria=s,
            actor=HA,
            occurred_at=T0,
            unit_id=f"U{u:04d}",
            year=2024,
            self_deadline=DEADLINE,
        )
        when = T0 + timedelta(days=1)
        for c, leaf in enumerate(leaves):
            assert leaf.rule is not None
            a.record_self_score(
                criteria=s,
                actor=UNIT,
                occurred_at=when,
                code=leaf.code,
                answer=answer(leaf.rule.kind, u, c, 0),
                explanation="Tự chấm theo báo cáo năm",
            )
        a.approve_report(criteria=s, actor=UNIT, occurred_at=when, summary="Báo cáo")
        a.submit(actor=UNIT, occurred_at=when)
        for c, leaf in enumerate(leaves):
            assert leaf.rule is not None
            shift = 1 if c % 3 == 0 else 0
            a.appraise(
                criteria=s,
                actor=HA,
                occurred_at=when,
                agency="SNV",
                is_home_affairs=True,
                code=leaf.code,
                answer=answer(leaf.rule.kind, u, c, shift),
                reason="Điều chỉnh theo tài liệu kiểm chứng",
            )
        a.close_reconciliation(criteria=s, actor=HA, occurred_at=when)
        a.confirm(actor=HA, occurred_at=when, minutes_reference="BB", meeting_date="2025-01-25")
        streams.append(list(a.collect_events()))
        aggregates.append(a)
    return s, streams, aggregates


def table(rows: list[Any]) -> list[tuple[str, int, str]]:
    return [(r.result.unit_id, r.rank, str(r.published_index)) for r in rows]


def replay_and_rank(s: CriteriaSet, streams: list[list[Any]]) -> list[Any]:
    results = []
    for events in streams:
        agg = None
        for event in events:
            agg = event.mutate(agg)
        assert isinstance(agg, CchcScoring)
        results.append(compute_index(s.content, agg.unit_scores(agg.unit_id), survey_held=False))
    return rank(s.content, results)


def rank_only(s: CriteriaSet, aggregates: list[CchcScoring]) -> list[Any]:
    results = [compute_index(s.content, a.unit_scores(a.unit_id), survey_held=False)
               for a in aggregates]  # fmt: skip
    return rank(s.content, results)


def naive(s: CriteriaSet, streams: list[list[Any]]) -> list[Any]:
    """One event-stream read per value: the latest appraised (and self) score of a criterion."""

    def latest(events: list[Any], kind: type, code: str) -> Decimal:
        found = Decimal(0)
        for event in events:
            if isinstance(event, kind) and event.code == code:
                found = Decimal(event.points)
        return found

    results = []
    for events in streams:
        unit = events[0].unit_id
        appraised, mine = {}, {}
        for leaf in s.content.leaves():
            appraised[leaf.code] = latest(events, CchcScoring.AppraisedScoreRecorded, leaf.code)
            mine[leaf.code] = latest(events, CchcScoring.SelfScoreRecorded, leaf.code)
        scores = UnitScores(unit, unit, appraised, self_scored=mine)
        results.append(compute_index(s.content, scores, survey_held=False))
    return rank(s.content, results)


def store_phase(s: CriteriaSet, streams: list[list[Any]], runs: int) -> None:
    """The same table from a real PostgreSQL event store (private database, dropped after)."""
    admin = need_env("TEST_DATABASE_URL")
    with private_database(admin, "_cchc") as url:
        app = build_application(AssessmentSettings(mode="production", database_url=SecretStr(url)))
        try:
            app.save(s)
            for events in streams:
                app.save(*events)
                app.take_snapshot(events[0].originator_id)
            ids = [events[0].originator_id for events in streams]
            topic = CchcScoring.AppraisedScoreRecorded.TOPIC
            self_topic = CchcScoring.SelfScoreRecorded.TOPIC
            codes = [leaf.code for leaf in s.content.leaves()]

            def loaded() -> list[Any]:
                results = []
                for ident in ids:
                    agg: Any = app.repository.get(ident)
                    scores = agg.unit_scores(agg.unit_id)
                    results.append(compute_index(s.content, scores, survey_held=False))
                return rank(s.content, results)

            def naive_store() -> list[Any]:
                results = []
                for ident in ids:
                    values: dict[str, dict[str, Decimal]] = {topic: {}, self_topic: {}}
                    for wanted in (topic, self_topic):
                        for code in codes:  # one read of the store per value
                            found = Decimal(0)
                            for stored in app.recorder.select_events(ident):
                                if stored.topic == wanted:
                                    event: Any = app.mapper.to_domain_event(stored)
                                    if event.code == code:
                                        found = Decimal(event.points)
                            values[wanted][code] = found
                    scores = UnitScores(
                        str(ident), str(ident), values[topic], self_scored=values[self_topic]
                    )
                    results.append(compute_index(s.content, scores, survey_held=False))
                return rank(s.content, results)

            timings: dict[str, list[float]] = {"store: get+rank": [], "store: naive": []}
            tables = {}
            for i in range(runs):
                t = time.perf_counter()
                tables["store: get+rank"] = table(loaded())
                timings["store: get+rank"].append(time.perf_counter() - t)
                if i == 0:  # the baseline once: it reads the store 2 × units × criteria times
                    t = time.perf_counter()
                    tables["store: naive"] = table(naive_store())
                    timings["store: naive"].append(time.perf_counter() - t)
            assert [r[1:] for r in tables["store: get+rank"]] == [
                r[1:] for r in tables["store: naive"]
            ], "store methods disagree"
            for name, values in timings.items():
                print(f"  {name:18s} median {statistics.median(values) * 1000:8.1f} ms   "
                      f"runs {len(values)}")  # fmt: skip
            fast = statistics.median(timings["store: get+rank"])
            slow = statistics.median(timings["store: naive"])
            verdict = "within" if fast <= 1.0 else "OVER"
            print(f"store get+rank is {slow / fast:.0f}× faster than one store read per value; "
                  f"{verdict} the 1 s target")  # fmt: skip
        finally:
            app.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--criteria", type=int, default=100, help="a multiple of 10")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--store", choices=["none", "postgres"], default="none",
        help="also time the table read from a PostgreSQL event store (TEST_DATABASE_URL)",
    )  # fmt: skip
    args = parser.parse_args()
    if args.criteria % 10 or not 10 <= args.criteria <= 1000 or not 1 <= args.units <= 5000:
        sys.exit("--criteria: a multiple of 10 in 10..1000; --units in 1..5000")
    started = time.perf_counter()
    s, streams, aggregates = build(args.units, args.criteria)
    events = sum(len(e) for e in streams)
    print(f"python {platform.python_version()} on {platform.machine()}; "
          f"{args.units} units × {args.criteria} criteria, {events} events "
          f"(built in {time.perf_counter() - started:.1f} s)")  # fmt: skip
    runs: dict[str, Callable[[], list[Any]]] = {
        "replay+rank": lambda: replay_and_rank(s, streams),
        "rank only": lambda: rank_only(s, aggregates),
        "naive (baseline)": lambda: naive(s, streams),
    }
    timings: dict[str, list[float]] = {name: [] for name in runs}
    tables: dict[str, list[tuple[str, int, str]]] = {}
    for _ in range(args.runs):
        for name, run in runs.items():
            t = time.perf_counter()
            rows = run()
            timings[name].append(time.perf_counter() - t)
            tables[name] = table(rows)
    reference = tables["replay+rank"]
    assert all(t == reference for t in tables.values()), "the three methods disagree"
    ties = sum(1 for i in range(1, len(reference)) if reference[i][1] == reference[i - 1][1])
    print(
        f"same table from all three; {len(reference)} units ranked, {ties} tied with the one above"
    )
    for name, values in timings.items():
        print(f"  {name:18s} median {statistics.median(values) * 1000:8.1f} ms   "
              f"max {max(values) * 1000:8.1f} ms")  # fmt: skip
    fast = statistics.median(timings["replay+rank"])
    slow = statistics.median(timings["naive (baseline)"])
    verdict = "within" if fast <= 1.0 else "OVER"
    print(f"replay+rank is {slow / fast:.1f}× faster than the naive baseline; "
          f"{verdict} the 1 s target")  # fmt: skip
    if args.store == "postgres":
        store_phase(s, streams, args.runs)


if __name__ == "__main__":
    main()
