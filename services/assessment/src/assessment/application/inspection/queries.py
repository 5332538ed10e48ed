"""Inspection queries: the inspection file, the sampling record, the inspections of a year.

A unit's work-item figures are personal data: ``work_figures`` is not a query of its own but
the body of the recorded read ``reads.READ_WORK_FIGURES``."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from assessment.application.kernel.catalogue import query
from assessment.application.kernel.executor import Read
from assessment.domain.inspection.calendar import WorkingCalendar
from assessment.domain.inspection.calendar_settings import TenantCalendar, calendar_id_for
from assessment.domain.inspection.case_file_sample import CaseFileSample, sample_id_for
from assessment.domain.inspection.inspection import Inspection
from assessment.domain.inspection.work_items import figures
from assessment.domain.inspection.work_register import WorkRegister, work_register_id_for
from assessment.domain.kernel.errors import ValidationFailed
from assessment.domain.kernel.listing import Listing, listing_id_for


@query("read_inspection")
def get_inspection(read: Read, inspection_id: UUID) -> dict[str, Any]:
    insp = read.load(Inspection, inspection_id, "cuộc kiểm tra")
    return {
        "id": str(insp.id),
        "status": insp.status,
        "decision": insp.decision,
        "title": insp.title,
        "mode": insp.mode,
        "complaint_reference": insp.complaint_reference,
        "head": insp.head,
        "members": insp.members,
        "plan": insp.plan,
        "conflicts": insp.conflicts,
        "notices": insp.notices,
        "visits": insp.visits,
        "minutes": insp.minutes,
        "findings": insp.findings,
        "conclusion": insp.conclusion,
        "report": insp.report,
        "version": insp.version,
    }


def _tenant_calendar(read: Read) -> WorkingCalendar:
    found = read.find(TenantCalendar, calendar_id_for(read.tenant), "lịch làm việc")
    return found.calendar() if found is not None else WorkingCalendar()


def work_figures(
    read: Read,
    inspection_id: UUID,
    unit_id: UUID,
    by: tuple[str, ...] = ("person", "field"),
    as_of: datetime | None = None,
) -> dict[str, Any]:
    insp = read.load(Inspection, inspection_id, "cuộc kiểm tra")
    register = read.load(WorkRegister, work_register_id_for(insp.id, str(unit_id)), "sổ công việc")
    moment = as_of or read.app.clock()
    if moment.tzinfo is None:
        raise ValidationFailed("as_of cần múi giờ")
    items = register.items()
    groups = figures(items, _tenant_calendar(read), moment, by=by)
    return {
        "inspection_id": str(insp.id),
        "unit_id": str(unit_id),
        "as_of": moment.isoformat(),
        "by": list(by),
        "source": register.source,
        "groups": [
            {"key": dict(zip(by, key, strict=True)), **f.to_dict()}
            for key, f in sorted(groups.items(), key=lambda kv: tuple(map(str, kv[0])))
        ],
        "persons": sorted({i.person for i in items}),
    }


@query()
def get_sampling_record(read: Read, inspection_id: UUID, unit_id: UUID) -> dict[str, Any]:
    """The published record (SAMPLING.md §8): anyone may re-derive it with the CLI."""
    sample = read.load(CaseFileSample, sample_id_for(inspection_id, str(unit_id)), "mẫu hồ sơ")
    return sample.record()


@query("read_inspection")
def list_inspections(read: Read, year: int) -> dict[str, Any]:
    """The inspections decided in ``year`` (decision date), newest decision first."""
    listing = read.find(Listing, listing_id_for(read.tenant, "inspections", str(year)), "danh sách")
    items: list[dict[str, Any]] = []
    for ident in listing.entries if listing is not None else {}:
        insp = read.load(Inspection, UUID(ident), "cuộc kiểm tra")
        items.append(
            {
                "id": str(insp.id),
                "title": insp.title,
                "decision": insp.decision,
                "mode": insp.mode,
                "status": insp.status,
                "units": list((insp.plan or {}).get("units", [])),
                "findings": len(insp.findings),
            }
        )
    items.sort(key=lambda i: (i["decision"]["date"], i["decision"]["number"]), reverse=True)
    return {"year": year, "items": items}
