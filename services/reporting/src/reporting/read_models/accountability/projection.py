"""The accountability projection: pure folds of envelopes (``assessment.events.v1`` and
``ballot.events.v1``) into rows, applied in batches with the version guard of every read
model (an envelope at or below a row's version is a duplicate or a replay: nothing changes)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from reporting.adapters.db import Tx
from reporting.read_models.accountability.schema import ASSESSMENTS, BALLOTS
from reporting.read_models.collective_steps import STEP_OF_EVENT
from reporting.read_models.rows import Row, Table, load_rows, store_rows
from shared.envelope import Envelope

log = logging.getLogger("congvu.reporting.accountability")

HISTORY_EVENTS = {
    "LevelAdjusted",
    "FlaggedPerfunctory",
    "StepReopened",
    "SectorReviewPublished",
    "SelfAssessmentWithdrawn",
}
KEPT = (
    "proposed_level",
    "level",
    "to_level",
    "from_level",
    "reason",
    "step",
    "cleared_steps",
    "decision_number",
    "decision_date",
    "signer",
    "channel",
    "perfunctory_signals",
)


def ref(env: Envelope) -> dict[str, Any]:
    """What a figure links to: the event's id, its aggregate and version, its business time."""
    return {
        "event": env.event_name,
        "event_id": env.event_id,
        "aggregate_id": env.aggregate_id,
        "version": env.aggregate_version,
        "at": env.occurred_at,
        "actor": {k: env.actor.get(k) for k in ("subject", "role", "acting_for")},
    }


def fold_assessment(row: Row | None, env: Envelope) -> Row | None:
    p, event = env.payload, env.event_name
    if event == "Opened":
        if row is not None:
            return None
        return {
            "assessment_id": env.aggregate_id,
            "tenant": env.tenant,
            "cycle_id": p["cycle_id"],
            "unit_id": p["unit_id"],
            "year": p["year"],
            "sources": {},
            "history": [],
            "version": env.aggregate_version,
            "as_of": env.occurred_at,
        }
    if row is None:
        log.warning("assessment %s: %s before Opened; skipped", env.aggregate_id, event)
        return None
    if env.aggregate_version <= row["version"]:
        return None
    step = STEP_OF_EVENT.get(event)
    if step is None and event not in HISTORY_EVENTS:
        return dict(row, version=env.aggregate_version)
    # the lists inside are replaced, never changed in place: copying the mapping is enough
    sources: dict[str, list[dict[str, Any]]] = dict(row["sources"])
    history = row["history"]
    entry = {**ref(env), **{k: p[k] for k in KEPT if k in p}}
    if step is not None:
        entry["late_by_seconds"] = int(p.get("late_by_seconds", 0))
        entry["source"] = str(
            p.get("reviewer_unit_id") or p.get("member") or env.actor.get("subject") or ""
        )
        if "groups" in p and isinstance(p["groups"], dict):
            entry["evidence_count"] = sum(
                len(g.get("evidence") or []) for g in p["groups"].values() if isinstance(g, dict)
            )
        kept = [e for e in sources.get(step, []) if e["source"] != entry["source"]]
        sources[step] = [*kept, entry]
    else:
        if event in ("StepReopened", "SelfAssessmentWithdrawn"):
            for cleared in p.get("cleared_steps", []):
                sources.pop(cleared, None)
        history = [*history, entry]
    return dict(
        row, sources=sources, history=history, version=env.aggregate_version, as_of=env.occurred_at
    )


def fold_ballot(row: Row | None, env: Envelope) -> Row | None:
    p, event = env.payload, env.event_name
    if event == "ElectionCreated":
        if row is not None:
            return None
        return {
            "election_id": env.aggregate_id,
            "tenant": env.tenant,
            "unit": str(p.get("unit", "")),
            "title": str(p.get("title", "")),
            "scale": str(p.get("scale", "")),
            "persons": list(p.get("persons", [])),
            "opens_at": p.get("opens_at"),
            "closes_at": p.get("closes_at"),
            "status": "created",
            "result": None,
            "events": [ref(env)],
            "version": env.aggregate_version,
        }
    if row is None:
        log.warning("election %s: %s before ElectionCreated; skipped", env.aggregate_id, event)
        return None
    if env.aggregate_version <= row["version"]:
        return None
    out = dict(row, version=env.aggregate_version)
    if event == "ElectionOpened":
        out["status"] = "open"
    elif event == "ElectionClosed":
        out["status"] = "closed"
    elif event == "ResultPublished":
        out["status"] = "result"
        out["result"] = p.get("report")
    else:
        return out
    out["events"] = [*row["events"], ref(env)]
    return out


FOLDS: dict[str, tuple[Table, Any]] = {
    "UnitAssessment": (ASSESSMENTS, fold_assessment),
    "ballot.Election": (BALLOTS, fold_ballot),
}


COUNTED_HERE = frozenset({"ballot.Election"})


def apply_many(tx: Tx, envelopes: Sequence[Envelope]) -> tuple[int, int]:
    """Fold a batch of envelopes into the read model: (applied, unchanged) as the registry
    counts them, once per envelope over all read models: a UnitAssessment envelope is counted
    by the cycle board, which folds it exactly when this model does (both rows are opened by
    ``Opened`` and guarded by the same aggregate version, in the same transaction); this
    model counts the ballot envelopes that only it folds."""
    wanted: dict[str, set[str]] = {}
    for env in envelopes:
        if env.aggregate_type in FOLDS:
            wanted.setdefault(env.aggregate_type, set()).add(env.aggregate_id)
    current = {kind: load_rows(tx, FOLDS[kind][0], sorted(ids)) for kind, ids in wanted.items()}
    dirty: dict[str, dict[str, Row]] = {kind: {} for kind in wanted}
    applied = 0
    for env in envelopes:
        if env.aggregate_type not in FOLDS:
            continue
        rows = current[env.aggregate_type]
        new = FOLDS[env.aggregate_type][1](rows.get(env.aggregate_id), env)
        if new is None:
            continue
        rows[env.aggregate_id] = new
        dirty[env.aggregate_type][env.aggregate_id] = new
        if env.aggregate_type in COUNTED_HERE:
            applied += 1
    for kind, rows_by_id in dirty.items():
        store_rows(tx, FOLDS[kind][0], list(rows_by_id.values()))
    return applied, len(envelopes) - applied
