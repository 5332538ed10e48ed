"""The accountability report of a unit (and of its head) for a year: the collective result with
each step's source and lateness, the levels every source proposed, flags and reopenings, the
ballots on the unit's head beside the unit's rating (seed 002), earlier years — every figure
with the event it comes from (event id, aggregate id and version) and the moment it is as of."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from reporting.adapters.db import Tx
from reporting.read_models.cycle_board.board import STEP_ORDER, board_rows, name_on
from reporting.reports import labels
from reporting.reports.inspection import inspection_for, persons_named
from shared.envelope import event_id_for

LEVEL_STEPS = ("self_assessment", "consolidation", "caucus_review")


def final_level(levels: dict[str, Any], recognised: str | None) -> tuple[str | None, str | None]:
    """The most official level so far and where it comes from: recognised, adjusted, the
    caucus's, Home Affairs'."""
    if recognised:
        return recognised, "recognition"
    for key in ("adjusted", "caucus_review", "consolidation"):
        if isinstance(levels.get(key), str):
            return str(levels[key]), key
    return None, None


def _sources(tx: Tx, tenant: str, cycle_id: str) -> dict[str, dict[str, Any]]:
    rows = tx.fetchall(
        "SELECT unit_id, sources, history, version, assessment_id FROM rm_acc_assessment "
        "WHERE tenant = %s AND cycle_id = %s",
        (tenant, cycle_id),
    )
    return {
        r[0]: {
            "sources": json.loads(r[1]),
            "history": json.loads(r[2]),
            "version": r[3],
            "assessment_id": r[4],
        }
        for r in rows
    }


def ballots_for(tx: Tx, tenant: str, unit_code: str | None, unit_id: str) -> list[dict[str, Any]]:
    rows = tx.fetchall(
        "SELECT election_id, title, scale, persons, opens_at, closes_at, status, result, events "
        "FROM rm_acc_ballot WHERE tenant = %s AND unit IN (%s, %s) ORDER BY closes_at, "
        "election_id",
        (tenant, unit_code or "", unit_id),
    )
    out = []
    for r in rows:
        result = json.loads(r[7]) if r[7] else None
        out.append(
            {
                "election_id": r[0],
                "title": r[1],
                "scale": r[2],
                "persons": json.loads(r[3]),
                "opens_at": r[4],
                "closes_at": r[5],
                "status": r[6],
                "result": result,
                "quorum_met": (result or {}).get("quorum", {}).get("met"),
                "events": json.loads(r[8]),
            }
        )
    return out


def earlier_years(tx: Tx, tenant: str, unit_id: str, year: int) -> list[dict[str, Any]]:
    rows = tx.fetchall(
        "SELECT c.year, b.recognised_level, b.levels, b.assessment_id, b.version, u.names, "
        "u.valid_to FROM rm_board b JOIN rm_cycle c ON c.cycle_id = b.cycle_id "
        "JOIN rm_unit u ON u.unit_id = b.unit_id "
        "WHERE b.tenant = %s AND b.unit_id = %s AND c.year < %s ORDER BY c.year DESC",
        (tenant, unit_id, year),
    )
    out = []
    for r in rows:
        level, source = final_level(json.loads(r[2]), r[1])
        out.append(
            {
                "year": r[0],
                "unit_name_then": name_on(json.loads(r[5]), min(f"{r[0]}-12-31", r[6] or "9999")),
                "final_level": level,
                "final_level_label": labels.level(level),
                "final_source": source,
                "ref": {"aggregate_id": r[3], "version": r[4]},
            }
        )
    return out


def unit_entry(
    board: dict[str, Any], acc: dict[str, Any] | None, cycle: dict[str, Any]
) -> dict[str, Any]:
    """One unit's collective result, each figure with its events."""
    acc = acc or {"sources": {}, "history": [], "version": 0, "assessment_id": None}
    steps = []
    for step in STEP_ORDER:
        st = board["steps"][step]
        refs = acc["sources"].get(step, [])
        steps.append(
            {
                "step": step,
                "label": labels.STEPS[step],
                "status": st["status"],
                "status_label": labels.status(step, st["status"]),
                "deadline": st.get("deadline"),
                "submitted_at": st.get("submitted_at"),
                "late_by_days": st.get("late_by_days", 0),
                "sources": [
                    {
                        "source": r.get("source"),
                        "at": r["at"],
                        "late_by_seconds": r.get("late_by_seconds", 0),
                        "level": r.get("proposed_level") or r.get("level"),
                        "level_label": labels.level(r.get("proposed_level") or r.get("level")),
                        "by": (r.get("actor") or {}).get("subject"),
                        "ref": {k: r[k] for k in ("event_id", "aggregate_id", "version")},
                    }
                    for r in refs
                ],
            }
        )
    levels = board["levels"]
    final, final_source = final_level(levels, board["recognised_level"])
    self_level = (
        levels.get("self_assessment") if isinstance(levels.get("self_assessment"), str) else None
    )
    gap = (
        labels.RANK[self_level] - labels.RANK[final]
        if self_level in labels.RANK and final in labels.RANK
        else None
    )
    history = acc["history"]
    return {
        "unit_id": board["unit_id"],
        "unit_code": board["unit_code"],
        "unit_name": board["unit_name"],
        "unit_kind": board["unit_kind"],
        "assessment_id": acc["assessment_id"],
        "version": board["version"],
        "steps": steps,
        "self_level": self_level,
        "self_level_label": labels.level(self_level),
        "final_level": final,
        "final_level_label": labels.level(final),
        "final_source": final_source,
        "inflation_gap": gap,
        "recognition": board["recognition"],
        "late_steps": [s for s in steps if s["status"] == "late"],
        "missing_steps": [s for s in steps if s["status"] == "overdue"],
        "perfunctory_flags": [
            {"reason": h["reason"], "at": h["at"], "ref": _ref(h)}
            for h in history
            if h["event"] == "FlaggedPerfunctory"
        ],
        "perfunctory_signals": [labels.signal(s) for s in board["perfunctory_signals"]],
        "reopenings": [
            {
                "step": h.get("step"),
                "step_label": labels.STEPS.get(str(h.get("step")), str(h.get("step"))),
                "reason": h.get("reason"),
                "at": h["at"],
                "cleared_steps": h.get("cleared_steps", []),
                "ref": _ref(h),
            }
            for h in history
            if h["event"] == "StepReopened"
        ],
        "adjustments": [
            {
                "to_level": h.get("to_level"),
                "reason": h.get("reason"),
                "at": h["at"],
                "ref": _ref(h),
            }
            for h in history
            if h["event"] == "LevelAdjusted"
        ],
        "cycle_year": cycle["year"],
    }


def ref_of(aggregate_id: str, version: int) -> dict[str, Any]:
    """A read model row's aggregate and version as the event that made it (event ids are
    derived from both, ``shared.envelope.event_id_for``)."""
    return {
        "event_id": event_id_for(aggregate_id, version),
        "aggregate_id": aggregate_id,
        "version": version,
    }


def _ref(entry: dict[str, Any]) -> dict[str, Any]:
    return {k: entry[k] for k in ("event_id", "aggregate_id", "version")}


def cycle_entries(
    tx: Tx, tenant: str, cycle_id: str, now: datetime
) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    cycle, rows, _ = board_rows(tx, tenant, cycle_id, now=now, limit=10**6)
    if cycle is None:
        return None, []
    acc = _sources(tx, tenant, cycle_id)
    return cycle, [unit_entry(r, acc.get(r["unit_id"]), cycle) for r in rows]


def head_of(ballots: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The unit's head as the ballots on them name them (the latest ballot's first person)."""
    for ballot in reversed(ballots):
        if ballot["persons"]:
            p = ballot["persons"][0]
            return {"id": p.get("id"), "name": p.get("name"), "position": p.get("position")}
    return None


def ballot_lines(ballots: list[dict[str, Any]], person_id: str | None) -> list[dict[str, Any]]:
    """Per ballot (and per person voted on), the result and its validity."""
    lines = []
    for b in ballots:
        result = b["result"] or {}
        for p in result.get("persons", []) or [{"id": None}]:
            if person_id is not None and p.get("id") != person_id:
                continue
            lines.append(
                {
                    "election_id": b["election_id"],
                    "title": b["title"],
                    "status": b["status"],
                    "closes_at": b["closes_at"],
                    "person": p.get("name"),
                    "position": p.get("position"),
                    "summoned": result.get("summoned"),
                    "returned": result.get("returned"),
                    "valid": p.get("valid"),
                    "levels": p.get("levels", []),
                    "low_over_half": p.get("low_over_half"),
                    "quorum": result.get("quorum"),
                    "quorum_met": b["quorum_met"],
                    # below quorum a vote is invalid and triggers no consequence (96-QĐ/TW)
                    "vote_valid": result.get("valid", b["quorum_met"]) if result else None,
                    "invalid_reason": result.get("invalid_reason"),
                    "refs": b["events"],
                }
            )
    return lines


def cchc_for(tx: Tx, tenant: str, unit_id: str, year: int) -> list[dict[str, Any]]:
    """The unit's CCHC index, rank and band in the ranking decisions of the year (seed 004),
    each with its decision and the ranking aggregate's version."""
    rows = tx.fetchall(
        "SELECT ranking_id, block, decision, rows, published_at, version FROM rm_cchc_ranking "
        "WHERE tenant = %s AND year = %s ORDER BY block",
        (tenant, year),
    )
    out = []
    for ranking_id, block, decision, ranked, published_at, version in rows:
        ranked_rows = json.loads(ranked)
        for row in ranked_rows:
            if row.get("unit_id") == unit_id:
                out.append(
                    {
                        "block": block,
                        "index": row.get("index"),
                        "rank": row.get("rank"),
                        "of": len(ranked_rows),
                        "band": row.get("band_label"),
                        "decision": json.loads(decision),
                        "published_at": published_at,
                        "ref": ref_of(ranking_id, version),
                    }
                )
    return out


def head_rating_for(tx: Tx, tenant: str, unit_code: str | None, year: int) -> dict[str, Any] | None:
    """The individual rating of the unit's head for the year (individual_ratings read model,
    seed 002 / Decree 90), beside the unit's level: its level, score and whether decided."""
    if not unit_code:
        return None
    row = tx.fetchone(
        "SELECT r.rating_id, r.version, r.decided, r.level, r.score, r.unit_level, r.rule_set,"
        " p.full_name, p.position, r.person_id FROM rm_ind_rating r LEFT JOIN rm_ind_person p"
        " ON p.person_id = r.person_id WHERE r.tenant = %s AND r.agency_id = %s AND r.year = %s"
        " AND r.position = 'head' ORDER BY r.decided DESC, r.rating_id LIMIT 1",
        (tenant, unit_code, year),
    )
    if row is None:
        return None
    return {
        "person_id": row[9],
        "name": row[7],
        "decided": bool(row[2]),
        "level": row[3],
        "level_label": labels.level(row[3]) if row[2] else "Chưa xếp loại",
        "score": row[4],
        "unit_level": row[5],
        "rule_set": row[6],
        "ref": ref_of(row[0], row[1]),
    }


def unit_report(
    tx: Tx,
    tenant: str,
    cycle_id: str,
    unit_id: str,
    *,
    now: datetime,
    person_id: str | None = None,
    reader_role: str | None = None,
    reader_subject: str | None = None,
) -> dict[str, Any] | None:
    """The unit's report (or, with ``person_id``, its head's), or None when the unit is not in
    this tenant's cycle or the person is named by none of its sources (ballots, the head's
    rating, inspections). ``reader_role``/``reader_subject`` decide which findings on named
    officials are shown (``reports.inspection``); None shows all (the CLI, tests)."""
    cycle, entries = cycle_entries(tx, tenant, cycle_id, now)
    entry = next((e for e in entries if e["unit_id"] == unit_id), None)
    if cycle is None or entry is None:
        return None
    year = int(cycle["year"])
    ballots = ballots_for(tx, tenant, entry["unit_code"], unit_id)
    head = head_of(ballots)
    head_rating = head_rating_for(tx, tenant, entry["unit_code"], year)
    if head is None and head_rating is not None:
        head = {"id": head_rating["person_id"], "name": head_rating["name"], "position": None}
    if head is None:  # the head as the inspections of the unit name them
        named = inspection_for(tx, tenant, unit_id, year, now=now)["persons"]
        first = next((p for p in named.values() if p.get("position") == "head"), None)
        if first is not None:
            head = {"id": first["id"], "name": first["name"], "position": None}
    if person_id is not None:
        persons = {p.get("id"): p for b in ballots for p in b["persons"]}
        everything = inspection_for(tx, tenant, unit_id, year, now=now, person_id=person_id)
        if person_id in persons:
            p = persons[person_id]
            head = {"id": person_id, "name": p.get("name"), "position": p.get("position")}
        elif head_rating is not None and head_rating["person_id"] == person_id:
            head = {"id": person_id, "name": head_rating["name"], "position": None}
        elif person_id in persons_named(everything):
            named = everything["persons"].get(person_id) or {}
            head = {"id": person_id, "name": named.get("name"), "position": None}
        else:
            return None
    return {
        "kind": "head" if person_id is not None else "unit",
        "tenant": tenant,
        "as_of": now.isoformat(),
        "cycle": cycle,
        "unit": entry,
        "head": head,
        "ballots": ballot_lines(ballots, person_id),
        "cchc": cchc_for(tx, tenant, unit_id, year),
        "head_rating": head_rating
        if person_id is None or (head_rating or {}).get("person_id") == person_id
        else None,
        "inspection": inspection_for(
            tx,
            tenant,
            unit_id,
            year,
            now=now,
            person_id=person_id,
            reader_role=reader_role,
            reader_subject=reader_subject,
        ),
        "earlier_years": earlier_years(tx, tenant, unit_id, year),
    }
