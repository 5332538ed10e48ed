"""Folds of the individual context's envelopes into rows (pure), applied in batches with the
shared row loader: every row carries the aggregate version it reflects, so a duplicate or a
replay changes nothing."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from reporting.adapters.db import Tx
from reporting.read_models.individual_ratings.schema import PEOPLE, QUOTAS, RATINGS, SETTINGS
from reporting.read_models.rows import Row, Table, load_rows, store_rows
from shared.envelope import Envelope

log = logging.getLogger("congvu.reporting.individual")

STEP_OF_EVENT = {
    "SelfAssessed": "self_assessment",
    "PreviousAgencyOpinionRecorded": "previous_opinion",
    "MeetingMinuted": "meeting",
    "MinutesApproved": "minutes_approved",
    "PartyCommitteeCommented": "party_committee",
    "PersonnelProposed": "proposal",
}


def _fresh(row: Row | None, env: Envelope, created: str) -> Row | None:
    """The row to change, or None if ``env`` is already reflected or comes too early."""
    if row is None:
        log.warning(
            "%s %s: %s before %s; skipped",
            env.aggregate_type,
            env.aggregate_id,
            env.event_name,
            created,
        )
        return None
    if env.aggregate_version <= row["version"]:
        return None
    return dict(row, version=env.aggregate_version)


def fold_person(row: Row | None, env: Envelope) -> Row | None:
    p, event = env.payload, env.event_name
    if event == "Registered":
        if row is not None:
            return None
        return {
            "person_id": env.aggregate_id,
            "tenant": env.tenant,
            "code": p["code"],
            "full_name": p["full_name"],
            "category": p["category"],
            "agency_id": p["agency_id"],
            "position": p["position"],
            "account": p.get("account"),
            "version": env.aggregate_version,
        }
    new = _fresh(row, env, "Registered")
    if new is None:
        return None
    if event == "Transferred":
        new.update(agency_id=p["agency_id"], position=p["position"])
    elif event == "PositionChanged":
        new["position"] = p["position"]
    return new


def fold_rating(row: Row | None, env: Envelope) -> Row | None:
    p, event = env.payload, env.event_name
    if event == "Opened":
        if row is not None:
            return None
        return {
            "rating_id": env.aggregate_id,
            "tenant": env.tenant,
            "person_id": p["person_id"],
            "agency_id": p["agency_id"],
            "year": p["year"],
            "side": p["side"],
            "category": p["category"],
            "position": p["position"],
            "task_group": p["task_group"],
            "rule_set": p["rule_set"],
            "steps": [],
            "decided": 0,
            "level": None,
            "score": None,
            "decision": None,
            "unit_level": None,
            "late": 0,
            "late_by_days": 0,
            "redone": [],
            "notified": 0,
            "published": 0,
            "version": env.aggregate_version,
        }
    new = _fresh(row, env, "Opened")
    if new is None:
        return None
    step = STEP_OF_EVENT.get(event)
    if step is not None:
        new["steps"] = sorted({*new["steps"], step})
        if event == "SelfAssessed" and p.get("score") is not None:
            new["score"] = p["score"]
    elif event == "Decided":
        new.update(
            decided=1,
            level=p["level"],
            rule_set=p["rule_set"],
            score=p.get("score") or new["score"],
            unit_level=p.get("unit_level"),
            late=1 if p["late"] else 0,
            late_by_days=int(p["late_by_days"]),
            decision={
                k: p[k]
                for k in ("decision_number", "decided_on", "authority_agency_id", "deadline")
            },
        )
    elif event == "Notified":
        new["notified"] = 1
    elif event == "Published":
        new["published"] = 1
    elif event == "Redone":
        earlier = {
            "level": new["level"],
            "decision": new["decision"],
            "reason": p["reason"],
            "basis": p["basis"],
            "at": env.occurred_at,
        }
        new.update(
            redone=[*new["redone"], earlier],
            steps=[],
            decided=0,
            level=None,
            decision=None,
            unit_level=None,
            late=0,
            late_by_days=0,
            notified=0,
            published=0,
        )
    return new


def fold_quota(row: Row | None, env: Envelope) -> Row | None:
    p, event = env.payload, env.event_name
    if event == "Opened":
        if row is not None:
            return None
        return {
            "quota_id": env.aggregate_id,
            "tenant": env.tenant,
            "agency_id": p["agency_id"],
            "task_group": p["task_group"],
            "year": p["year"],
            "side": p["side"],
            "levels": {},
            "override": None,
            "version": env.aggregate_version,
        }
    new = _fresh(row, env, "Opened")
    if new is None:
        return None
    if event == "LevelsRecorded":
        levels = dict(new["levels"])
        for person, level in p["entries"].items():
            if level is None:
                levels.pop(person, None)
            else:
                levels[person] = level
        new["levels"] = levels
    elif event == "OverrideDecided":
        new["override"] = {k: p[k] for k in ("percent", "decision_number", "decided_on", "reason")}
    return new


def fold_settings(row: Row | None, env: Envelope) -> Row | None:
    p, event = env.payload, env.event_name
    if event == "Created":
        if row is not None:
            return None
        return {
            "settings_id": env.aggregate_id,
            "tenant": env.tenant,
            "values_json": {},
            "version": env.aggregate_version,
        }
    new = _fresh(row, env, "Created")
    if new is not None and event == "Changed":
        new["values_json"] = {**new["values_json"], **p["values"]}
    return new


FOLDS: dict[str, tuple[Table, Callable[[Row | None, Envelope], Row | None]]] = {
    "Person": (PEOPLE, fold_person),
    "IndividualRating": (RATINGS, fold_rating),
    "ExcellentQuota": (QUOTAS, fold_quota),
    "RatingSettings": (SETTINGS, fold_settings),
}


def apply_many(tx: Tx, envelopes: Sequence[Envelope]) -> tuple[int, int]:
    """Fold a batch of envelopes into the read model: (applied, unchanged). Envelopes of
    other aggregates are not this read model's and are not counted (the registry sums the
    counts of every read model)."""
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
            continue
        rows = current[env.aggregate_type]
        new = FOLDS[env.aggregate_type][1](rows.get(env.aggregate_id), env)
        if new is None:
            unchanged += 1
            continue
        rows[env.aggregate_id] = new
        dirty[env.aggregate_type][env.aggregate_id] = new
        applied += 1
    for kind, rows_by_id in dirty.items():
        store_rows(tx, FOLDS[kind][0], list(rows_by_id.values()))
    return applied, unchanged
