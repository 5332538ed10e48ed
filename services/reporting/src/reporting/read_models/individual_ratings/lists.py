"""The lists the portal's individual-rating pages show from this read model: an agency's ratings
of a year with where each stands in the procedure (to self-assess, to minute, to decide,
decided), and an official's own ratings found by their account. Who may see which list is the
caller's check (``queries.may_read_agency``; the own list is the account's only)."""

from __future__ import annotations

import json
from typing import Any

from reporting.adapters.db import Database

STAGES = ("self_assessment", "meeting", "proposal", "decided", "notified")


def _load(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def stage_of(steps: list[str], decided: bool, notified: bool) -> str:
    """Where a rating waits: ``self_assessment`` (the person), ``meeting`` (personnel: the
    meeting and proposal), ``proposal`` (awaiting the decision), ``decided``, ``notified``."""
    if notified:
        return "notified"
    if decided:
        return "decided"
    if "proposal" in steps:
        return "proposal"
    if "self_assessment" in steps:
        return "meeting"
    return "self_assessment"


def _row(r: tuple[Any, ...]) -> dict[str, Any]:
    (rid, pid, agency, year, side, category, position, group, rule_set, steps, decided) = r[:11]
    level, score, decision, late, notified, code, name = r[11:]
    steps = list(_load(steps) or [])
    return {
        "rating_id": rid,
        "person_id": pid,
        "agency_id": agency,
        "year": year,
        "side": side,
        "category": category,
        "position": position,
        "task_group": group,
        "rule_set": rule_set,
        "steps": steps,
        "decided": bool(decided),
        "level": level,
        "score": score,
        "decision": _load(decision),
        "late": bool(late),
        "notified": bool(notified),
        "code": code,
        "full_name": name,
        "stage": stage_of(steps, bool(decided), bool(notified)),
    }


COLUMNS = (
    "r.rating_id, r.person_id, r.agency_id, r.year, r.side, r.category, r.position,"
    " r.task_group, r.rule_set, r.steps, r.decided, r.level, r.score, r.decision, r.late,"
    " r.notified, p.code, p.full_name FROM rm_ind_rating r LEFT JOIN rm_ind_person p"
    " ON p.person_id = r.person_id"
)


def agency_ratings(
    db: Database, tenant: str, agency_id: str, year: int, side: str = "state"
) -> list[dict[str, Any]]:
    with db.transaction() as tx:
        rows = tx.fetchall(
            f"SELECT {COLUMNS} WHERE r.tenant = %s AND r.agency_id = %s AND r.year = %s"
            " AND r.side = %s ORDER BY p.code",
            (tenant, agency_id, year, side),
        )
    return [_row(r) for r in rows]


def own_ratings(db: Database, tenant: str, account: str) -> list[dict[str, Any]]:
    """The ratings of the person whose account is ``account`` (none when no person has it)."""
    with db.transaction() as tx:
        rows = tx.fetchall(
            f"SELECT {COLUMNS} WHERE r.tenant = %s AND p.account = %s ORDER BY r.year DESC, r.side",
            (tenant, account),
        )
    return [_row(r) for r in rows]


def rating_years(db: Database, tenant: str, agency_id: str | None) -> list[int]:
    with db.transaction() as tx:
        if agency_id is None:
            rows = tx.fetchall(
                "SELECT DISTINCT year FROM rm_ind_rating WHERE tenant = %s ORDER BY year DESC",
                (tenant,),
            )
        else:
            rows = tx.fetchall(
                "SELECT DISTINCT year FROM rm_ind_rating WHERE tenant = %s AND agency_id = %s"
                " ORDER BY year DESC",
                (tenant, agency_id),
            )
    return [int(r[0]) for r in rows]


def agencies(db: Database, tenant: str, year: int) -> list[str]:
    with db.transaction() as tx:
        rows = tx.fetchall(
            "SELECT DISTINCT agency_id FROM rm_ind_rating WHERE tenant = %s AND year = %s"
            " ORDER BY agency_id",
            (tenant, year),
        )
    return [str(r[0]) for r in rows]
