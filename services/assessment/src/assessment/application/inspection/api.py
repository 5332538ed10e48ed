"""What the inspection context offers other contexts (through the application layer): a
finding as a source of a remediation plan, and a person's findings for their rater."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from assessment.application.kernel.executor import Read
from assessment.domain.inspection.inspection import Inspection, inspection_id_for
from assessment.domain.kernel.listing import Listing, listing_id_for

PERSON_FINDINGS = "findings-on-person"  # the index ``handlers.record_finding`` keeps
KEEP = ("finding_id", "kind", "severity", "description", "explanation")


def finding_source(read: Read, inspection_id: UUID, finding_id: UUID) -> dict[str, Any]:
    """The finding (NotFound across tenants or when missing) with who raised it and the year."""
    insp = read.load(Inspection, inspection_id, "cuộc kiểm tra")
    finding = insp.finding(str(finding_id))
    year = int((insp.plan or {}).get("period_to", insp.decision["date"])[:4])
    return {
        "reference": f"{insp.id}/{finding_id}",
        "description": finding["description"],
        "unit_id": finding["unit_id"],
        "person": finding["person"],
        "raised_by": finding["recorded_by"],
        "year": year,
    }


def findings_on(read: Read, inspection_id: UUID, person: str) -> list[dict[str, Any]]:
    insp = read.load(Inspection, inspection_id, "cuộc kiểm tra")
    return insp.findings_on(person)


def findings_by_decision(read: Read, decision_number: str, person: str) -> dict[str, Any]:
    """The findings on ``person`` (their account) of the inspection decided under
    ``decision_number``, each with what a rater needs (NotFound when there is no such
    inspection in the tenant)."""
    insp = read.load(Inspection, inspection_id_for(read.tenant, decision_number), "cuộc kiểm tra")
    return _on(insp, person)


def _on(insp: Inspection, person: str) -> dict[str, Any]:
    return {
        "inspection_id": str(insp.id),
        "decision_number": insp.decision["number"],
        "decision_date": insp.decision["date"],
        "title": insp.title,
        "findings": [
            {k: f.get(k) for k in KEEP} | {"recorded_at": f.get("recorded_at")}
            for f in (insp.findings_on(person) if person else [])
        ],
    }


def findings_of_person(read: Read, person: str) -> list[dict[str, Any]]:
    """Every inspection of the tenant with findings on ``person`` (their account), from the
    per-person index, oldest decision first — what their rater must take into account."""
    if not person:
        return []
    index = read.find(Listing, listing_id_for(read.tenant, PERSON_FINDINGS, person), "danh sách")
    out = []
    for ident in index.entries if index is not None else {}:
        found = _on(read.load(Inspection, UUID(ident), "cuộc kiểm tra"), person)
        if found["findings"]:
            out.append(found)
    out.sort(key=lambda i: (i["decision_date"], i["decision_number"]))
    return out
