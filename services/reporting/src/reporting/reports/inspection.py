"""The inspection side of a unit's (or its head's) accountability report: the findings of the
inspections of the unit up to the report's year (seed 003) and the remediation plans on the
unit or its head with their status and overdue milestones (seed 002), from the
``inspection_overview`` read model — each with the event it comes from (event id, aggregate
id and version, as the report's other figures).

Findings on a named official are that official's personal data: they are shown only to the
roles the inspection context names (team, Home Affairs, the chairman, the auditor) and to the
official themself; anyone else is told how many were withheld."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from reporting.adapters.db import Tx
from reporting.render.fmt import VN_TZ
from reporting.reports import labels

PERSONAL_READERS = frozenset({"inspector", "home_affairs", "chairman", "auditor"})


def _findings(
    tx: Tx, tenant: str, unit_id: str | None, year: int
) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """The unit's findings up to ``year`` and the unit's officials the inspections named
    (``unit_id`` None: every unit's, each finding and person with its ``unit_id``)."""
    rows = tx.fetchall(
        "SELECT inspection_id, title, year, status, findings, persons FROM rm_insp_inspection "
        "WHERE tenant = %s AND year <= %s ORDER BY year DESC, inspection_id",
        (tenant, year),
    )
    out = []
    people: dict[str, dict[str, Any]] = {}
    for inspection_id, title, insp_year, status, raw, persons in rows:
        for subject, who in json.loads(persons).items():
            if unit_id is None or who.get("unit_id") == unit_id:
                people.setdefault(subject, {"id": subject, **who})
        for finding_id, f in json.loads(raw).items():
            if unit_id is not None and f["unit_id"] != unit_id:
                continue
            out.append(
                {
                    "unit_id": f["unit_id"],
                    "inspection_id": inspection_id,
                    "inspection_title": title,
                    "inspection_status": status,
                    "year": insp_year,
                    "finding_id": finding_id,
                    "person": f["person"],
                    "kind": f["kind"],
                    "kind_label": labels.FINDING_KINDS.get(f["kind"], f["kind"]),
                    "severity": f["severity"],
                    "severity_label": labels.SEVERITIES.get(f["severity"], f["severity"]),
                    "description": f["description"],
                    "explained": f["explained"],
                    "at": (f.get("ref") or {}).get("at"),
                    "ref": _ref(f.get("ref")),
                    "explanation_ref": _ref(f.get("explanation_ref")),
                }
            )
    out.sort(key=lambda f: (-int(f["year"]), f["at"] or "", f["finding_id"]))
    for f in out:
        f["person_name"] = (people.get(f["person"]) or {}).get("name") if f["person"] else None
    return out, people


def _ref(ref: dict[str, Any] | None) -> dict[str, Any] | None:
    if not ref:
        return None
    return {k: ref[k] for k in ("event_id", "aggregate_id", "version")}


def _plans(tx: Tx, tenant: str, unit_id: str | None, on: date) -> list[dict[str, Any]]:
    """The remediation plans on the unit or its officials (``unit_id`` None: on every unit)."""
    rows = tx.fetchall(
        "SELECT plan_id, title, source, subject, owner, status, milestones, closed_on, events "
        "FROM rm_remediation_plan WHERE tenant = %s ORDER BY plan_id",
        (tenant,),
    )
    out = []
    for plan_id, title, source, subject, owner, status, milestones, closed_on, events in rows:
        subject = json.loads(subject)
        if unit_id is not None and subject.get("unit_id") != unit_id:
            continue
        history = json.loads(events)
        milestones = json.loads(milestones)
        overdue = [
            {"milestone_id": mid, "title": m["title"], "due_on": m["due_on"]}
            for mid, m in sorted(milestones.items(), key=lambda kv: kv[1]["due_on"])
            if status != "closed" and m["done_on"] is None and date.fromisoformat(m["due_on"]) < on
        ]
        for m in overdue:
            m["days_overdue"] = (on - date.fromisoformat(m["due_on"])).days
        last = history[-1] if history else None
        out.append(
            {
                "plan_id": plan_id,
                "unit_id": subject.get("unit_id"),
                "title": title,
                "source": json.loads(source),
                "subject_kind": subject.get("kind"),
                "subject_id": subject.get("id"),
                "owner": owner,
                "status": status,
                "status_label": labels.PLAN_STATUSES.get(status, status),
                "milestones": len(milestones),
                "milestones_done": sum(1 for m in milestones.values() if m["done_on"]),
                "overdue": overdue,
                "closed_on": closed_on,
                "status_at": last["at"] if last else None,
                "ref": _ref(last),  # the event that set the status shown
                "opened_ref": _ref(history[0]) if history else None,
            }
        )
    return out


def _may_see(person: str | None, reader_role: str | None, reader_subject: str | None) -> bool:
    """A finding or plan on ``person`` (None: on the unit) for this reader (None: the CLI)."""
    return (
        reader_role is None
        or reader_role in PERSONAL_READERS
        or person is None
        or person == reader_subject
    )


def _plan_person(p: dict[str, Any]) -> str | None:
    return p["subject_id"] if p["subject_kind"] == "person" else None


def inspection_for(
    tx: Tx,
    tenant: str,
    unit_id: str,
    year: int,
    *,
    now: datetime,
    person_id: str | None = None,
    reader_role: str | None = None,
    reader_subject: str | None = None,
) -> dict[str, Any]:
    """Findings on the unit up to ``year`` and its remediation plans, as of ``now``. With
    ``person_id`` (a head's report) only the unit's own findings and those on that person are
    kept. Findings and plans on a named official go only to the personal-data readers and to
    the official themself; the rest are counted in ``withheld``."""
    on = now.astimezone(VN_TZ).date()
    findings, people = _findings(tx, tenant, unit_id, year)
    plans = _plans(tx, tenant, unit_id, on)
    if person_id is not None:
        findings = [f for f in findings if f["person"] in (None, person_id)]
        plans = [
            p
            for p in plans
            if p["subject_kind"] == "unit" or person_id in (p["subject_id"], p["owner"])
        ]

    def may_see(person: str | None) -> bool:
        return _may_see(person, reader_role, reader_subject)

    shown_f = [f for f in findings if may_see(f["person"])]
    shown_p = [p for p in plans if may_see(_plan_person(p))]
    return {
        "findings": shown_f,
        "remediation": shown_p,
        "withheld": (len(findings) - len(shown_f)) + (len(plans) - len(shown_p)),
        "open_plans": sum(1 for p in shown_p if p["status"] != "closed"),
        "overdue_plans": sum(1 for p in shown_p if p["overdue"]),
        # subject → name, position (head/deputy), as the inspections name them
        "persons": {k: v for k, v in people.items() if may_see(k)},
    }


def persons_named(report_inspection: dict[str, Any]) -> set[str]:
    """The officials the inspection side names (to accept a head's ``person``)."""
    names = set(report_inspection["persons"])
    names |= {f["person"] for f in report_inspection["findings"] if f["person"]}
    names |= {
        p["subject_id"] for p in report_inspection["remediation"] if p["subject_kind"] == "person"
    }
    return names


def caucus_inspection(
    tx: Tx,
    tenant: str,
    year: int,
    units: dict[str, dict[str, Any]],
    *,
    now: datetime,
    reader_role: str | None = None,
    reader_subject: str | None = None,
) -> dict[str, Any]:
    """For the report to the caucus and the chairman: the findings of the year's inspections
    on the cycle's ``units`` (unit id → code and name) and the remediation plans on them with
    a milestone overdue as of ``now``, each with its unit and event. The same privacy rule as
    the unit's report: what is on a named official goes only to the personal-data readers
    (and the official); the rest are counted in ``withheld``."""
    on = now.astimezone(VN_TZ).date()
    findings, people = _findings(tx, tenant, None, year)
    findings = [f for f in findings if f["year"] == year and f["unit_id"] in units]
    plans = [p for p in _plans(tx, tenant, None, on) if p["overdue"] and p["unit_id"] in units]

    def named(x: dict[str, Any]) -> dict[str, Any]:
        u = units[x["unit_id"]]
        return {**x, "unit_code": u["unit_code"], "unit_name": u["unit_name"]}

    shown_f = [named(f) for f in findings if _may_see(f["person"], reader_role, reader_subject)]
    shown_p = [named(p) for p in plans if _may_see(_plan_person(p), reader_role, reader_subject)]
    for p in shown_p:
        person = people.get(p["subject_id"] or "") if p["subject_kind"] == "person" else None
        p["subject_name"] = (person or {}).get("name")
        p["days_overdue"] = max(m["days_overdue"] for m in p["overdue"])
    shown_f.sort(key=lambda f: (f["unit_code"] or "", f["at"] or "", f["finding_id"]))
    shown_p.sort(key=lambda p: (-p["days_overdue"], p["unit_code"] or "", p["plan_id"]))
    return {
        "year": year,
        "findings": shown_f,
        "overdue_plans": shown_p,
        "units_with_findings": len({f["unit_id"] for f in shown_f}),
        "withheld": (len(findings) - len(shown_f)) + (len(plans) - len(shown_p)),
    }
