"""The inspection overview's projection: pure folds of envelopes into rows, in batches.

Rows carry the version of the aggregate they reflect; an envelope at or below it changes
nothing (duplicates, replays). The figures are the ones the write side recorded
(``WorkRegister.FiguresRecorded``): the read side never re-derives statuses.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from reporting.adapters.db import Tx
from reporting.read_models.inspection_overview.schema import INSPECTIONS, PLANS, REGISTERS
from reporting.read_models.rows import Row, Table, load_rows, store_rows
from shared.envelope import Envelope

log = logging.getLogger("congvu.reporting.inspection")


def _stale(row: Row | None, env: Envelope) -> bool:
    return row is not None and env.aggregate_version <= row["version"]


def _ref(env: Envelope) -> dict[str, Any]:
    """The event a figure comes from, as the accountability report cites it."""
    return {
        "event_id": env.event_id,
        "aggregate_id": env.aggregate_id,
        "version": env.aggregate_version,
        "at": env.occurred_at,
    }


def fold_register(row: Row | None, env: Envelope) -> Row | None:
    p, event = env.payload, env.event_name
    if _stale(row, env):
        return None
    if event == "Opened":
        return {
            "register_id": env.aggregate_id,
            "tenant": env.tenant,
            "inspection_id": str(p["inspection_id"]),
            "unit_id": p["unit_id"],
            "as_of": None,
            "by_person": {},
            "version": env.aggregate_version,
        }
    if row is None:
        log.warning("register %s: %s before Opened; skipped", env.aggregate_id, event)
        return None
    row = dict(row, version=env.aggregate_version)
    if event == "FiguresRecorded":  # parts of one recording: the first replaces, others add
        merged = {} if p.get("part", 0) == 0 else dict(row["by_person"])
        merged.update(p["by_person"])
        row["as_of"], row["by_person"] = p["as_of"], merged
    return row


def fold_inspection(row: Row | None, env: Envelope) -> Row | None:
    p, event = env.payload, env.event_name
    if _stale(row, env):
        return None
    if event == "Decided":
        return {
            "inspection_id": env.aggregate_id,
            "tenant": env.tenant,
            "title": p["title"],
            "decision": p["decision"],
            "year": int(p["decision"]["date"][:4]),
            "status": "decided",
            "findings": {},
            "persons": {},
            "version": env.aggregate_version,
        }
    if row is None:
        log.warning("inspection %s: %s before Decided; skipped", env.aggregate_id, event)
        return None
    row = dict(row, version=env.aggregate_version, findings=dict(row["findings"]))
    if event == "Planned":
        row["year"], row["status"] = int(p["period_to"][:4]), "planned"
        row["persons"] = {
            str(x["subject"]): {
                "name": x["name"],
                "position": x["position"],
                "unit_id": str(x["unit_id"]),
            }
            for x in p.get("persons", [])
        }
    elif event == "VisitStarted":
        row["status"] = "in_progress"
    elif event == "FindingRecorded":
        row["findings"][p["finding_id"]] = {
            "unit_id": p["unit_id"],
            "person": p["person"],
            "kind": p["kind"],
            "severity": p["severity"],
            "description": p["description"],
            "explained": False,
            "ref": _ref(env),
        }
    elif event == "ExplanationGiven" and p["finding_id"] in row["findings"]:
        row["findings"][p["finding_id"]] = dict(
            row["findings"][p["finding_id"]], explained=True, explanation_ref=_ref(env)
        )
    elif event == "Concluded":
        row["status"] = "concluded"
    elif event == "Reported":
        row["status"] = "reported"
    return row


def _plan_status(row: Row) -> str:
    if row["closed_on"]:
        return "closed"
    milestones = row["milestones"].values()
    if milestones and all(m["done_on"] for m in milestones):
        return "awaiting_verification"
    return "escalated" if row["escalated"] else "open"


# the plan's events a report cites for its status (solutions and free-text reports aside)
PLAN_HISTORY = frozenset(
    {
        "MilestoneScheduled",
        "ProgressReported",
        "MilestoneExtended",
        "CompletionVerified",
        "Escalated",
        "Closed",
    }
)


def fold_plan(row: Row | None, env: Envelope) -> Row | None:
    p, event = env.payload, env.event_name
    if _stale(row, env):
        return None
    if event == "Opened":
        row = {
            "plan_id": env.aggregate_id,
            "tenant": env.tenant,
            "title": p["title"],
            "source": p["source"],
            "subject": p["subject"],
            "owner": p["owner"],
            "follow_up_officer": p["follow_up_officer"],
            "status": "open",
            "milestones": {},
            "escalated": 0,
            "closed_on": None,
            "events": [{"event": event, **_ref(env)}],
            "version": env.aggregate_version,
        }
        return row
    if row is None:
        log.warning("plan %s: %s before Opened; skipped", env.aggregate_id, event)
        return None
    milestones: dict[str, Any] = {k: dict(v) for k, v in row["milestones"].items()}
    row = dict(row, version=env.aggregate_version, milestones=milestones)
    if event in PLAN_HISTORY:
        entry = {"event": event, **_ref(env)}
        for key in ("milestone_id", "done", "accepted", "due_on", "escalated_to"):
            if key in p:
                entry[key] = p[key]
        row["events"] = [*row["events"], entry]
    if event == "MilestoneScheduled":
        milestones[p["milestone_id"]] = {
            "title": p["title"],
            "due_on": p["due_on"],
            "done_on": None,
        }
    elif event == "ProgressReported" and p["done"] and p["milestone_id"] in milestones:
        milestones[p["milestone_id"]]["done_on"] = env.occurred_at[:10]
    elif event == "MilestoneExtended" and p["milestone_id"] in milestones:
        milestones[p["milestone_id"]]["due_on"] = p["due_on"]
    elif event == "CompletionVerified" and not p["accepted"]:
        for m in milestones.values():
            m["done_on"] = None
    elif event == "Closed":
        row["closed_on"] = p["closed_on"]
    elif event == "Escalated":
        row["escalated"] = 1
    row["status"] = _plan_status(row)
    return row


FOLDS: dict[str, tuple[Table, Any]] = {
    "WorkRegister": (REGISTERS, fold_register),
    "Inspection": (INSPECTIONS, fold_inspection),
    "RemediationPlan": (PLANS, fold_plan),
}


def apply_many(tx: Tx, envelopes: Sequence[Envelope]) -> tuple[int, int]:
    """Fold a batch of envelopes into the read model: (applied, unchanged)."""
    wanted: dict[str, set[str]] = {}
    for env in envelopes:
        if env.aggregate_type in FOLDS:
            wanted.setdefault(env.aggregate_type, set()).add(env.aggregate_id)
    current = {kind: load_rows(tx, FOLDS[kind][0], sorted(ids)) for kind, ids in wanted.items()}
    dirty: dict[str, dict[str, Row]] = {kind: {} for kind in wanted}
    applied = unchanged = 0
    for env in envelopes:
        if env.aggregate_type not in FOLDS:
            continue  # another read model's kind: neither applied nor a duplicate here
        rows = current[env.aggregate_type]
        new = FOLDS[env.aggregate_type][1](rows.get(env.aggregate_id), env)
        if new is None:
            unchanged += 1
            continue
        rows[env.aggregate_id] = dirty[env.aggregate_type][env.aggregate_id] = new
        applied += 1
    for kind, rows_by_id in dirty.items():
        store_rows(tx, FOLDS[kind][0], list(rows_by_id.values()))
    return applied, unchanged
