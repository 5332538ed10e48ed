"""The CCHC read model's projection: pure folds of envelopes into rows, applied in batches
(the rows a batch touches read once per table, each changed row written once). A row carries
the aggregate version it reflects: an envelope at or below it changes nothing (replay, resend).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from reporting.adapters.db import Tx
from reporting.read_models.cchc_scores.schema import RANKINGS, SCORINGS, SETS
from reporting.read_models.rows import Row, Table, load_rows, store_rows
from shared.envelope import Envelope

log = logging.getLogger("congvu.reporting.cchc")
STATUS_OF = {
    "ReportApproved": "approved",
    "ReportSubmitted": "submitted",
    "ReportWithdrawn": "draft",
    "AppraisedScoreRecorded": "appraising",
    "SupplementRequested": "appraising",
    "Reconciled": "reconciled",
    "CouncilConfirmed": "confirmed",
}


def _nodes(content: dict[str, Any]) -> list[dict[str, Any]]:
    keep = ("code", "level", "title", "max_points", "parent", "kind", "method")
    return [{k: n.get(k) for k in keep} for n in content.get("nodes", [])]


def fold_set(row: Row | None, env: Envelope) -> Row | None:
    p, event = env.payload, env.event_name
    if event == "Drafted":
        if row is not None:
            return None
        return {
            "set_id": env.aggregate_id,
            "tenant": env.tenant,
            "year": p["year"],
            "block": p["block"],
            "set_version": p["set_version"],
            "title": p["title"],
            "nodes": _nodes(p["content"]),
            "total_points": p["content"].get("total_points", "100"),
            "publication": None,
            "version": env.aggregate_version,
        }
    if row is None or env.aggregate_version <= row["version"]:
        return None
    row = dict(row, version=env.aggregate_version)
    if event == "Revised":
        row.update(title=p["title"], nodes=_nodes(p["content"]))
        row["total_points"] = p["content"].get("total_points", "100")
    elif event == "Published":
        row["publication"] = {k: p[k] for k in ("decision_number", "decision_date", "signer")}
    return row


def fold_scoring(row: Row | None, env: Envelope) -> Row | None:
    p, event = env.payload, env.event_name
    if event == "Opened":
        if row is not None:
            return None
        return {
            "scoring_id": env.aggregate_id,
            "tenant": env.tenant,
            "unit_id": p["unit_id"],
            "year": p["year"],
            "block": p["block"],
            "set_id": p["set_id"],
            "status": "draft",
            "scores": {},
            "version": env.aggregate_version,
            "updated_at": env.recorded_at,
        }
    if row is None:
        log.warning("cchc scoring %s: %s before Opened; skipped", env.aggregate_id, event)
        return None
    if env.aggregate_version <= row["version"]:
        return None
    scores: dict[str, dict[str, Any]] = {k: dict(v) for k, v in row["scores"].items()}
    status = STATUS_OF.get(event, row["status"])

    def at(code: str) -> dict[str, Any]:
        return scores.setdefault(code, {})

    if event == "SelfScoreRecorded":
        at(p["code"])["self"] = p["points"]
        at(p["code"])["evidence"] = len(p.get("evidence", []))
        if p.get("voids_approval"):
            status = "draft"
    elif event == "AppraisedScoreRecorded":
        at(p["code"]).update(appraised=p["points"], reason=p["reason"], by=p["agency"])
    elif event == "CriterionExcluded":
        for code in p["leaves"]:
            at(code)["excluded"] = p["reason"]
    elif event == "SurveyRecorded":
        for code, result in p["results"].items():
            at(code).update(survey=result["points"], survey_percent=result["percent"])
    return dict(
        row, scores=scores, status=status, version=env.aggregate_version, updated_at=env.recorded_at
    )


def fold_ranking(row: Row | None, env: Envelope) -> Row | None:
    p, event = env.payload, env.event_name
    if event == "Decided":
        if row is not None:
            return None
        return {
            "ranking_id": env.aggregate_id,
            "tenant": env.tenant,
            "year": p["year"],
            "block": p["block"],
            "set_id": p["set_id"],
            "survey_held": 1 if p["survey_held"] else 0,
            "decision": {
                "number": p["decision_number"],
                "date": p["decision_date"],
                "signer": p["signer"],
            },
            "rows": p["rows"],
            "publish_at": None,
            "published_at": None,
            "version": env.aggregate_version,
        }
    if row is None or env.aggregate_version <= row["version"]:
        return None
    row = dict(row, version=env.aggregate_version)
    if event == "PublicationScheduled":
        row["publish_at"] = p["publish_at"]
    elif event == "Published":
        row["published_at"] = env.occurred_at
    return row


FOLDS: dict[str, tuple[Table, Any]] = {
    "CriteriaSet": (SETS, fold_set),
    "CchcScoring": (SCORINGS, fold_scoring),
    "CchcRanking": (RANKINGS, fold_ranking),
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
            unchanged += 1
            continue
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
