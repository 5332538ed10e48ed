"""Queries over the inspection overview (what the reporting API serves).

Personal data of officials (per-person figures and findings) is served only to the roles the
API names; other tenants' data looks like missing data (empty lists, 404 for one person).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from reporting.adapters.db import Database, Tx
from shared.problems import not_found


def _rows(tx: Tx, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    return list(tx.fetchall(sql, params))


def _plans(tx: Tx, tenant: str) -> list[dict[str, Any]]:
    rows = _rows(
        tx,
        "SELECT plan_id, title, source, subject, owner, follow_up_officer, status, milestones, "
        "closed_on FROM rm_remediation_plan WHERE tenant = %s ORDER BY plan_id",
        (tenant,),
    )
    return [
        {
            "plan_id": r[0],
            "title": r[1],
            "source": json.loads(r[2]),
            "subject": json.loads(r[3]),
            "owner": r[4],
            "follow_up_officer": r[5],
            "status": r[6],
            "milestones": json.loads(r[7]),
            "closed_on": r[8],
        }
        for r in rows
    ]


def _overdue(plan: dict[str, Any], as_of: date) -> list[dict[str, Any]]:
    if plan["status"] == "closed":
        return []
    return [
        {"milestone_id": mid, **m, "days_overdue": (as_of - date.fromisoformat(m["due_on"])).days}
        for mid, m in plan["milestones"].items()
        if m["done_on"] is None and date.fromisoformat(m["due_on"]) < as_of
    ]


def _inspections(tx: Tx, tenant: str) -> list[dict[str, Any]]:
    rows = _rows(
        tx,
        "SELECT inspection_id, title, year, status, findings FROM rm_insp_inspection "
        "WHERE tenant = %s ORDER BY year, inspection_id",
        (tenant,),
    )
    return [
        {
            "inspection_id": r[0],
            "title": r[1],
            "year": r[2],
            "status": r[3],
            "findings": json.loads(r[4]),
        }
        for r in rows
    ]


def person_overview(db: Database, tenant: str, person: str, as_of: date) -> dict[str, Any]:
    """One official: work-item figures per inspection and unit, findings, remediation."""
    with db.transaction() as tx:
        regs = _rows(
            tx,
            "SELECT inspection_id, unit_id, as_of, by_person FROM rm_insp_register "
            "WHERE tenant = %s ORDER BY as_of",
            (tenant,),
        )
        inspections = _inspections(tx, tenant)
        plans = _plans(tx, tenant)
    figures = [
        {"inspection_id": r[0], "unit_id": r[1], "as_of": r[2], **json.loads(r[3])[person]}
        for r in regs
        if person in json.loads(r[3])
    ]
    findings = [
        {"inspection_id": i["inspection_id"], "year": i["year"], "finding_id": fid, **f}
        for i in inspections
        for fid, f in i["findings"].items()
        if f["person"] == person
    ]
    mine = [
        {**p, "overdue": _overdue(p, as_of)}
        for p in plans
        if (p["subject"]["kind"] == "person" and p["subject"]["id"] == person)
        or p["owner"] == person
    ]
    if not (figures or findings or mine):
        raise not_found("công chức", person)  # unknown here, or another tenant's: the same
    return {
        "person": person,
        "as_of": as_of.isoformat(),
        "figures": figures,
        "findings": findings,
        "remediation": mine,
    }


def unit_overview(db: Database, tenant: str, unit_id: str, as_of: date) -> dict[str, Any]:
    with db.transaction() as tx:
        regs = _rows(
            tx,
            "SELECT inspection_id, as_of, by_person FROM rm_insp_register "
            "WHERE tenant = %s AND unit_id = %s ORDER BY as_of",
            (tenant, unit_id),
        )
        inspections = _inspections(tx, tenant)
        plans = _plans(tx, tenant)
    findings = [
        {"inspection_id": i["inspection_id"], "year": i["year"], "finding_id": fid, **f}
        for i in inspections
        for fid, f in i["findings"].items()
        if f["unit_id"] == unit_id
    ]
    remediation = [
        {**p, "overdue": _overdue(p, as_of)} for p in plans if p["subject"]["unit_id"] == unit_id
    ]
    if not (regs or findings or remediation):
        raise not_found("đơn vị", unit_id)
    return {
        "unit_id": unit_id,
        "as_of": as_of.isoformat(),
        "figures": [
            {"inspection_id": r[0], "as_of": r[1], "by_person": json.loads(r[2])} for r in regs
        ],
        "findings": findings,
        "remediation": remediation,
    }


def overdue_remediation(db: Database, tenant: str, as_of: date) -> dict[str, Any]:
    """The province's to-do list: plans with a milestone past its day, by unit and owner."""
    with db.transaction() as tx:
        plans = _plans(tx, tenant)
    items = []
    for p in plans:
        late = _overdue(p, as_of)
        if late:
            items.append(
                {
                    "plan_id": p["plan_id"],
                    "title": p["title"],
                    "unit_id": p["subject"]["unit_id"],
                    "owner": p["owner"],
                    "follow_up_officer": p["follow_up_officer"],
                    "status": p["status"],
                    "overdue": late,
                }
            )
    by_status: dict[str, int] = {}
    for p in plans:
        by_status[p["status"]] = by_status.get(p["status"], 0) + 1
    return {
        "as_of": as_of.isoformat(),
        "items": items,
        "total": len(items),
        "plans_by_status": by_status,
    }


def repeated_findings(db: Database, tenant: str) -> dict[str, Any]:
    """Persons and units with findings of the same kind in two or more years."""
    with db.transaction() as tx:
        inspections = _inspections(tx, tenant)
    years: dict[tuple[str, str, str], set[int]] = {}
    for i in inspections:
        for f in i["findings"].values():
            for subject_kind, subject in (("unit", f["unit_id"]), ("person", f["person"])):
                if subject:
                    years.setdefault((subject_kind, subject, f["kind"]), set()).add(i["year"])
    items = [
        {"subject_kind": k[0], "subject": k[1], "kind": k[2], "years": sorted(v)}
        for k, v in sorted(years.items())
        if len(v) >= 2
    ]
    return {"items": items, "total": len(items)}
