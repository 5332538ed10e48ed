"""The year's dashboard: progress of every step across units (counts by status, deadlines
ahead), overdue lists, the level distribution, ballot results — the figures a chart and a
table beside it both show."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from reporting.adapters.db import Tx
from reporting.read_models.cycle_board.board import STEP_ORDER
from reporting.render.fmt import moment
from reporting.reports import labels
from reporting.reports.accountability import ballot_lines, ballots_for, cycle_entries
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
