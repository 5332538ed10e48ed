"""The year's dashboard: progress of every step across units (counts by status, deadlines
ahead), overdue lists, the level distribution, ballot results, the CCHC rankings of the year,
inspection findings and remediation status — the figures a chart and a table beside it both
show."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from reporting.adapters.db import Tx
from reporting.read_models.cycle_board.board import STEP_ORDER
from reporting.render.fmt import VN_TZ, moment
from reporting.reports import labels
from reporting.reports.accountability import ballot_lines, ballots_for, cycle_entries, ref_of
from reporting.reports.caucus import _distribution


def dashboard(tx: Tx, tenant: str, cycle_id: str, *, now: datetime) -> dict[str, Any] | None:
    cycle, entries = cycle_entries(tx, tenant, cycle_id, now)
    if cycle is None:
        return None
    progress, ahead = [], []
    for i, step in enumerate(STEP_ORDER):
        counts = {s: 0 for s in labels.STATUSES}
        for e in entries:
            counts[e["steps"][i]["status"]] += 1
        deadline = cycle["deadlines"].get(step)
        progress.append(
            {"step": step, "label": labels.STEPS[step], "deadline": deadline, "counts": counts}
        )
        due = moment(deadline)
        if due is not None and due >= now and counts["missing"]:
            ahead.append(
                {"label": labels.STEPS[step], "deadline": deadline, "pending": counts["missing"]}
            )
    overdue = [
        {"unit_name": e["unit_name"], "steps": [s["label"] for s in e["missing_steps"]]}
        for e in entries
        if e["missing_steps"]
    ]
    names = {e["unit_id"]: e["unit_name"] for e in entries}
    ballots = [
        {**line, "unit_name": e["unit_name"]}
        for e in entries
        for line in ballot_lines(ballots_for(tx, tenant, e["unit_code"], e["unit_id"]), None)
    ]
    return {
        "kind": "dashboard",
        "tenant": tenant,
        "as_of": now.isoformat(),
        "cycle": cycle,
        "status_labels": labels.STATUSES,
        "progress": progress,
        "ahead": ahead,
        "overdue": overdue,
        "levels": _distribution(entries),
        "levels_by_block": _by(entries, "unit_kind"),
        "levels_by_year": _by_year(tx, tenant),
        "ballots": ballots,
        "cchc": cchc_rankings(tx, tenant, int(cycle["year"]), names),
        "inspection": inspection_status(tx, tenant, int(cycle["year"]), names, now),
    }


def _by(entries: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    """Level counts per unit kind (block): one row per kind, one count per level."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for e in entries:
        groups.setdefault(str(e[key] or "—"), []).append(e)
    return [
        {"group": name, "counts": {r["label"]: r["count"] for r in _distribution(rows)}}
        for name, rows in sorted(groups.items())
    ]


def _by_year(tx: Tx, tenant: str) -> list[dict[str, Any]]:
    """Recognised levels per year of every cycle of the tenant."""
    rows = tx.fetchall(
        "SELECT c.year, b.recognised_level, COUNT(*) FROM rm_board b "
        "JOIN rm_cycle c ON c.cycle_id = b.cycle_id WHERE b.tenant = %s "
        "GROUP BY c.year, b.recognised_level ORDER BY c.year",
        (tenant,),
    )
    years: dict[int, dict[str, int]] = {}
    for year, level, count in rows:
        counts = years.setdefault(int(year), {v: 0 for v in labels.LEVELS.values()})
        counts[labels.LEVELS.get(level or "", "Chưa công nhận")] = counts.get(
            labels.LEVELS.get(level or "", "Chưa công nhận"), 0
        ) + int(count)
    return [{"group": str(y), "counts": c} for y, c in years.items()]


def cchc_rankings(tx: Tx, tenant: str, year: int, names: dict[str, str]) -> list[dict[str, Any]]:
    """The year's CCHC ranking decisions per block (seed 004): each unit's index, rank and band,
    in rank order, with the decision and the event it comes from."""
    rows = tx.fetchall(
        "SELECT ranking_id, block, decision, rows, published_at, version FROM rm_cchc_ranking "
        "WHERE tenant = %s AND year = %s ORDER BY block",
        (tenant, year),
    )
    out = []
    for ranking_id, block, decision, ranked, published_at, version in rows:
        units = sorted(json.loads(ranked), key=lambda r: (int(r.get("rank") or 0), r["unit_id"]))
        out.append(
            {
                "block": block,
                "decision": json.loads(decision),
                "published_at": published_at,
                "ref": ref_of(ranking_id, version),
                "rows": [
                    {
                        "unit_id": r["unit_id"],
                        "unit_name": names.get(r["unit_id"]) or r.get("name") or r["unit_id"],
                        "index": r.get("index"),
                        "rank": r.get("rank"),
                        "band": r.get("band_label"),
                    }
                    for r in units
                ],
            }
        )
    return out


def inspection_status(
    tx: Tx, tenant: str, year: int, names: dict[str, str], now: datetime
) -> dict[str, Any]:
    """The year's inspection findings by kind and severity, and every remediation plan's status
    per unit with the overdue ones (counts only: no official is named on the dashboard)."""
    found = tx.fetchall(
        "SELECT findings FROM rm_insp_inspection WHERE tenant = %s AND year = %s", (tenant, year)
    )
    by_kind = {label: 0 for label in labels.FINDING_KINDS.values()}
    by_severity = {label: 0 for label in labels.SEVERITIES.values()}
    for (raw,) in found:
        for f in json.loads(raw).values():
            by_kind[labels.FINDING_KINDS.get(f["kind"], f["kind"])] += 1
            by_severity[labels.SEVERITIES.get(f["severity"], f["severity"])] += 1
    on = now.astimezone(VN_TZ).date()
    statuses = {label: 0 for label in labels.PLAN_STATUSES.values()}
    per_unit: dict[str, dict[str, Any]] = {}
    for status, subject, milestones in tx.fetchall(
        "SELECT status, subject, milestones FROM rm_remediation_plan WHERE tenant = %s",
        (tenant,),
    ):
        unit_id = json.loads(subject).get("unit_id")
        label = labels.PLAN_STATUSES.get(status, status)
        statuses[label] = statuses.get(label, 0) + 1
        row = per_unit.setdefault(
            unit_id,
            {
                "unit_name": names.get(unit_id, unit_id),
                "plans": 0,
                "open": 0,
                "overdue": 0,
                "closed": 0,
            },
        )
        row["plans"] += 1
        row["closed" if status == "closed" else "open"] += 1
        late = any(
            m["done_on"] is None and date.fromisoformat(m["due_on"]) < on
            for m in json.loads(milestones).values()
        )
        row["overdue"] += 1 if late and status != "closed" else 0
    return {
        "findings_by_kind": [{"label": k, "count": v} for k, v in by_kind.items() if v],
        "findings_by_severity": [{"label": k, "count": v} for k, v in by_severity.items()],
        "findings_total": sum(by_severity.values()),
        "plans_by_status": [{"label": k, "count": v} for k, v in statuses.items()],
        "plans_by_unit": sorted(per_unit.values(), key=lambda r: (-r["overdue"], r["unit_name"])),
    }
