"""The cycle board's projection: pure folds of envelopes into rows, applied in batches.

A batch is folded in memory: the rows it touches are read with one query per table, every
envelope is applied to its row (pure functions below), and each changed row is written
once. One envelope is the batch of one. Rows carry the version they reflect: an envelope at
or below it is a duplicate or a replay and changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from reporting.adapters.db import Tx
from reporting.read_models.collective_steps import STEP_OF_EVENT
from reporting.read_models.cycle_board.schema import ASSIGNMENTS, BOARDS, CYCLES, UNITS
from reporting.read_models.rows import Row, Table, load_rows, store_rows
from shared.envelope import Envelope

log = logging.getLogger("congvu.reporting.board")

MULTI_SOURCE = {"sector_review", "member_review"}


def fold_unit(row: Row | None, env: Envelope) -> Row | None:
    """The unit row after ``env``, or None when ``env`` changes nothing."""
    p, event = env.payload, env.event_name
    if event == "Registered":
        if row is not None:
            return None
        return {
            "unit_id": env.aggregate_id,
            "tenant": env.tenant,
            "code": p["code"],
            "name": p["name"],
            "kind": p["kind"],
            "parent_id": p.get("parent_id"),
            "names": [{"name": p["name"], "from": p.get("valid_from")}],
            "valid_from": p.get("valid_from"),
            "valid_to": None,
            "successor_id": None,
            "split_from": p.get("split_from"),
            "version": env.aggregate_version,
        }
    if row is None:
        log.warning("unit %s: %s before Registered; skipped", env.aggregate_id, event)
        return None
    if env.aggregate_version <= row["version"]:
        return None
    row = dict(row, version=env.aggregate_version)
    if event == "Renamed":
        row["name"] = p["name"]
        row["names"] = [*row["names"], {"name": p["name"], "from": p.get("effective_date")}]
    elif event == "MergedInto":
        row["successor_id"], row["valid_to"] = p["successor_id"], p["effective_date"]
    elif event == "Dissolved":
        row["valid_to"] = p["effective_date"]
    return row


def fold_cycle(row: Row | None, env: Envelope) -> Row | None:
    p, event = env.payload, env.event_name
    if event == "Planned":
        if row is not None:
            return None
        return {
            "cycle_id": env.aggregate_id,
            "tenant": env.tenant,
            "year": p["year"],
            "title": p["title"],
            "plan_reference": p["plan_reference"],
            "deadlines": dict(p["deadlines"]),
            "content_groups": p["content_groups"],
            "deadline_changes": [],
            "version": env.aggregate_version,
        }
    if row is None:
        log.warning("cycle %s: %s before Planned; skipped", env.aggregate_id, event)
        return None
    if env.aggregate_version <= row["version"]:
        return None
    row = dict(row, version=env.aggregate_version)
    if event == "DeadlineChanged":
        before = row["deadlines"].get(p["step"])
        row["deadlines"] = {**row["deadlines"], p["step"]: p["deadline"]}
        change = {
            "step": p["step"],
            "from": before,
            "to": p["deadline"],
            "reason": p.get("reason", ""),
            "at": env.occurred_at,
            "by": env.actor.get("subject"),
        }
        row["deadline_changes"] = [*(row.get("deadline_changes") or []), change]
    return row


def fold_assignments(row: Row | None, env: Envelope) -> Row | None:
    """Who reviews which units: each grant with its decision and dates, revocations kept."""
    p, event = env.payload, env.event_name
    if event == "Opened":
        if row is not None:
            return None
        return {
            "assignments_id": env.aggregate_id,
            "tenant": env.tenant,
            "kind": p["kind"],
            "holder": p["holder"],
            "grants": {},
            "version": env.aggregate_version,
        }
    if row is None:
        log.warning("assignments %s: %s before Opened; skipped", env.aggregate_id, event)
        return None
    if env.aggregate_version <= row["version"]:
        return None
    grants = {k: dict(v) for k, v in row["grants"].items()}
    if event == "Granted":
        grants[p["grant_id"]] = {
            "unit_ids": list(p["unit_ids"]),
            "decision_number": p["decision_number"],
            "decision_date": p["decision_date"],
            "valid_from": p["valid_from"],
            "valid_to": p.get("valid_to"),
            "revoked": None,
        }
    elif event == "Revoked" and p["grant_id"] in grants:
        grants[p["grant_id"]]["revoked"] = {
            "effective_date": p["effective_date"],
            "reason": p.get("reason", ""),
        }
    return dict(row, grants=grants, version=env.aggregate_version)


def fold_board(row: Row | None, env: Envelope) -> Row | None:
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
            "steps": {},
            "levels": {},
            "recognised_level": None,
            "recognition": None,
            "flags": {"perfunctory": [], "signals": [], "reopenings": []},
            "version": env.aggregate_version,
            "updated_at": env.recorded_at,
        }
    if row is None:
        log.warning("assessment %s: %s before Opened; skipped", env.aggregate_id, event)
        return None
    if env.aggregate_version <= row["version"]:
        return None
    # copied where changed: a nested mapping or list of the row before is never changed in place
    steps: dict[str, Any] = dict(row["steps"])
    levels: dict[str, Any] = dict(row["levels"])
    flags: dict[str, Any] = dict(row["flags"])
    recognised, recognition = row["recognised_level"], row["recognition"]
    step = STEP_OF_EVENT.get(event)
    if step is not None:
        entry: dict[str, Any] = {
            "submitted_at": env.occurred_at,
            "late_by_seconds": int(p.get("late_by_seconds", 0)),
            "by": env.actor.get("subject"),
        }
        if step in MULTI_SOURCE:
            source = p.get("reviewer_unit_id") or p.get("member") or env.actor.get("subject")
            entry["source"] = source
            if step == "sector_review":
                entry["published"] = bool(p.get("published"))
            steps[step] = {**steps.get(step, {}), str(source): entry}
            if p.get("proposed_level"):
                levels[step] = {**levels.get(step, {}), str(source): p["proposed_level"]}
        else:
            steps[step] = entry
            level = p.get("level") or p.get("proposed_level")
            if level:
                levels[step] = level
        if event == "SelfAssessmentSubmitted":
            flags["signals"] = list(p.get("perfunctory_signals", []))
        if event == "Recognised":
            recognised = p["level"]
            recognition = {k: p[k] for k in ("decision_number", "decision_date", "signer")}
            if p.get("reason"):
                recognition["reason"] = p["reason"]
    elif event == "SectorReviewPublished":
        src = str(p["reviewer_unit_id"])
        if src in steps.get("sector_review", {}):
            reviews = steps["sector_review"]
            steps["sector_review"] = {**reviews, src: {**reviews[src], "published": True}}
    elif event == "LevelAdjusted":
        levels["adjusted"] = p["to_level"]
        flags["adjustments"] = [
            *flags.get("adjustments", []),
            {
                "from": p.get("from_level") or None,
                "to": p["to_level"],
                "reason": p.get("reason", ""),
                "at": env.occurred_at,
            },
        ]
    elif event == "FlaggedPerfunctory":
        flags["perfunctory"] = [
            *flags.get("perfunctory", []),
            {"reason": p["reason"], "at": env.occurred_at},
        ]
    elif event == "SupplementRequested":
        flags["supplements"] = [
            *flags.get("supplements", []),
            {
                "id": p["request_id"],
                "reason": p["reason"],
                "due_date": p["due_date"],
                "requested_at": env.occurred_at,
                "by": env.actor.get("subject"),
                "by_role": env.actor.get("role"),
                "answered_at": None,
            },
        ]
    elif event == "SupplementAnswered":
        flags["supplements"] = [
            {**s, "answered_at": env.occurred_at} if s["id"] == p["request_id"] else s
            for s in flags.get("supplements", [])
        ]
    elif event == "SelfAssessmentWithdrawn":
        steps.pop("self_assessment", None)
        levels.pop("self_assessment", None)
        flags["signals"] = []
    elif event == "StepReopened":
        for cleared in p["cleared_steps"]:
            steps.pop(cleared, None)
            levels.pop(cleared, None)
            if cleared == "caucus_review":
                levels.pop("adjusted", None)
                flags["adjustments"] = []
            if cleared == "recognition":
                recognised, recognition = None, None
            if cleared == "self_assessment":
                flags["signals"] = []
        flags["reopenings"] = [
            *flags.get("reopenings", []),
            {"step": p["step"], "reason": p["reason"], "at": env.occurred_at},
        ]
    return dict(
        row,
        steps=steps,
        levels=levels,
        flags=flags,
        recognised_level=recognised,
        recognition=recognition,
        version=env.aggregate_version,
        updated_at=env.recorded_at,
    )


FOLDS: dict[str, tuple[Table, Any]] = {
    "Unit": (UNITS, fold_unit),
    "Cycle": (CYCLES, fold_cycle),
    "UnitAssessment": (BOARDS, fold_board),
    "Assignments": (ASSIGNMENTS, fold_assignments),
}


def apply_many(tx: Tx, envelopes: Sequence[Envelope]) -> tuple[int, int]:
    """Fold a batch of envelopes into the read model: (applied, unchanged)."""
    wanted: dict[str, set[str]] = {}
    for env in envelopes:
        if env.aggregate_type in FOLDS:
            wanted.setdefault(env.aggregate_type, set()).add(env.aggregate_id)
    current: dict[str, dict[str, Row]] = {
        kind: load_rows(tx, FOLDS[kind][0], sorted(ids)) for kind, ids in wanted.items()
    }
    dirty: dict[str, dict[str, Row]] = {kind: {} for kind in wanted}
    applied = unchanged = 0
    for env in envelopes:
        if env.aggregate_type not in FOLDS:
            unchanged += 1
            continue
        _, fold = FOLDS[env.aggregate_type]
        rows = current[env.aggregate_type]
        new = fold(rows.get(env.aggregate_id), env)
        if new is None:
            unchanged += 1
            continue
        rows[env.aggregate_id] = new
        dirty[env.aggregate_type][env.aggregate_id] = new
        applied += 1
    for kind, rows_by_id in dirty.items():
        store_rows(tx, FOLDS[kind][0], list(rows_by_id.values()))
    return applied, unchanged


def apply(tx: Tx, env: Envelope) -> bool:
    """Apply one envelope; returns False when it was already reflected (duplicate/replay)."""
    return apply_many(tx, [env])[0] == 1
