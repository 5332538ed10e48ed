"""Inspection handlers: one per command — load, check, call the aggregate, return what to save.

Units are the registry's (checked through ``registry.api``); a unit-scoped command (the unit's
commitment and reveal in the draw, a person's explanation) checks the caller's reach on the
unit once the inspection is loaded, so another tenant's inspection answers 404 first.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from assessment.application.inspection.api import PERSON_FINDINGS
from assessment.application.inspection.commands import (
    CommitSampleRegister,
    CommitSampleValue,
    Conclude,
    DecideInspection,
    DeclareConflict,
    ExplainFinding,
    ImportWorkItems,
    PlanInspection,
    RecordFinding,
    RecordMinutes,
    ReportToChairman,
    RevealSampleValue,
    SendNotice,
    SetWorkingCalendar,
    StartVisit,
)
from assessment.application.kernel.catalogue import Outcome, saved
from assessment.application.kernel.executor import Run
from assessment.application.kernel.permissions import Forbidden, role_scope
from assessment.application.registry.api import require_active_in
from assessment.domain.inspection.calendar import WorkingCalendar
from assessment.domain.inspection.calendar_settings import TenantCalendar, calendar_id_for
from assessment.domain.inspection.case_file_sample import CaseFileSample, sample_id_for
from assessment.domain.inspection.inspection import Inspection, inspection_id_for
from assessment.domain.inspection.sampling import RegisterEntry
from assessment.domain.inspection.work_items import WorkItem
from assessment.domain.inspection.work_register import WorkRegister, work_register_id_for
from assessment.domain.kernel.errors import AlreadyExists, NotFound, StepOrderViolation
from assessment.domain.kernel.errors import ValidationFailed as Invalid
from assessment.domain.kernel.listing import Listing, listing_id_for
from assessment.domain.kernel.values import VN_TZ


def _json(cmd: Any, *, exclude: set[str] | None = None) -> dict[str, Any]:
    """The validated fields with ids and days as the events store them (strings)."""
    out: dict[str, Any] = cmd.model_dump(mode="json", exclude=exclude)
    return out


def _inspection(run: Run, inspection_id: UUID) -> Inspection:
    return run.load(Inspection, inspection_id, "cuộc kiểm tra")


def year_of(insp: Inspection) -> int:
    if insp.plan is not None:
        return int(insp.plan["period_from"][:4])
    return int(insp.decision["date"][:4])


def party_of(run: Run) -> str:
    role = run.ctx.actor.get("role")
    if role == "inspector":
        return "team"
    if role == "unit_head":
        return "unit"
    raise Forbidden(f"vai trò '{role}' không tham gia rút mẫu")


# ------------------------------------------------------------ decision, plan, visits
LISTING = "inspections"


def decide_inspection(run: Run, cmd: DecideInspection) -> Outcome:
    if run.exists(inspection_id_for(run.tenant, cmd.decision.number)):
        raise AlreadyExists(f"quyết định {cmd.decision.number} đã có cuộc kiểm tra")
    insp = Inspection.decide(tenant=run.tenant, **run.by, **_json(cmd))
    year = str(cmd.decision.date.year)  # the year's listing: the pages' list of inspections
    listing = run.find(Listing, listing_id_for(run.tenant, LISTING, year), "danh sách")
    if listing is None:
        listing = Listing.open(tenant=run.tenant, **run.by, name=LISTING, key=year)
    listing.add(**run.by, entry_id=str(insp.id), entry={"number": cmd.decision.number})
    return saved(insp, listing)


def plan_inspection(run: Run, cmd: PlanInspection, inspection_id: UUID) -> Outcome:
    insp = _inspection(run, inspection_id)
    require_active_in(run, list(cmd.units), cmd.period_from.year)
    insp.plan_inspection(**run.by, **_json(cmd))
    return saved(insp)


def declare_conflict(run: Run, cmd: DeclareConflict, inspection_id: UUID) -> Outcome:
    insp = _inspection(run, inspection_id)
    insp.declare_conflict(**run.by, **_json(cmd))
    return saved(insp)


def send_notice(run: Run, cmd: SendNotice, inspection_id: UUID) -> Outcome:
    insp = _inspection(run, inspection_id)
    insp.send_notice(**run.by, **_json(cmd))
    return saved(insp)


def start_visit(run: Run, cmd: StartVisit, inspection_id: UUID) -> Outcome:
    insp = _inspection(run, inspection_id)
    insp.start_visit(**run.by, **_json(cmd))
    return saved(insp)


# ------------------------------------------------------------ work items
def _work_items_of(cmd: ImportWorkItems) -> list[WorkItem]:
    items = []
    for i, raw in enumerate(_json(cmd)["items"]):
        try:
            items.append(WorkItem.from_dict(raw))
        except (ValueError, KeyError) as exc:
            raise Invalid(f"items[{i}]: {exc}") from None
    return items


def import_work_items(
    run: Run, cmd: ImportWorkItems, inspection_id: UUID, unit_id: UUID
) -> Outcome:
    insp = _inspection(run, inspection_id)
    insp.require_visited(str(unit_id))
    items = _work_items_of(cmd)
    ident = work_register_id_for(insp.id, str(unit_id))
    register = run.find(WorkRegister, ident, "sổ công việc")
    if register is None:
        register = WorkRegister.open(
            tenant=run.tenant, **run.by, inspection_id=insp.id, unit_id=str(unit_id)
        )
    register.import_items(**run.by, items=items, **_json(cmd, exclude={"items"}))
    register.record_figures(**run.by, calendar=tenant_calendar(run))
    return saved(register, items=len(items))


def tenant_calendar(run: Run) -> WorkingCalendar:
    found = run.find(TenantCalendar, calendar_id_for(run.tenant), "lịch làm việc")
    return found.calendar() if found is not None else WorkingCalendar()


# ------------------------------------------------------------ sampling (SAMPLING.md)
def commit_sample_register(
    run: Run, cmd: CommitSampleRegister, inspection_id: UUID, unit_id: UUID
) -> Outcome:
    insp = _inspection(run, inspection_id)
    unit = str(unit_id)
    insp.require_visited(unit)
    sizes = (insp.plan or {}).get("sample_sizes", {}).get(unit)
    if not sizes:
        raise StepOrderViolation("kế hoạch chưa định số hồ sơ rút mẫu cho đơn vị này")
    if run.exists(sample_id_for(insp.id, unit)):
        raise AlreadyExists("sổ của đơn vị này đã được chốt để rút mẫu")
    register = run.load(WorkRegister, work_register_id_for(insp.id, unit), "sổ công việc")
    entries = [
        RegisterEntry.of(
            file_id=i.item_id,
            field=i.field,
            received_on=i.received_at.astimezone(VN_TZ).date().isoformat(),
            title=i.title,
        )
        for i in register.items()
    ]
    sample = CaseFileSample.commit_register(
        tenant=run.tenant,
        **run.by,
        inspection_id=insp.id,
        unit_id=unit,
        entries=entries,
        sizes=sizes,
    )
    register.freeze(**run.by, reason="chốt sổ để rút mẫu hồ sơ")
    return saved(sample, register, register_hash=sample.register_hash)


def refuse_unknown_role(run: Run) -> None:
    """A unit-scoped command checks the unit after loading; a role that may never run it is
    refused before any lookup (so it learns nothing about what exists)."""
    role_scope(run.app.catalogue.matrix, run.command, str(run.ctx.actor.get("role")))


def _sample_for(run: Run, inspection_id: UUID, unit_id: UUID) -> CaseFileSample:
    refuse_unknown_role(run)
    insp = _inspection(run, inspection_id)
    run.authorize_for(unit_id, year_of(insp))
    return run.load(CaseFileSample, sample_id_for(insp.id, str(unit_id)), "mẫu hồ sơ")


def commit_sample_value(
    run: Run, cmd: CommitSampleValue, inspection_id: UUID, unit_id: UUID
) -> Outcome:
    sample = _sample_for(run, inspection_id, unit_id)
    sample.commit(**run.by, party=party_of(run), commitment=cmd.commitment)
    return saved(sample)


def reveal_sample_value(
    run: Run, cmd: RevealSampleValue, inspection_id: UUID, unit_id: UUID
) -> Outcome:
    sample = _sample_for(run, inspection_id, unit_id)
    sample.reveal(**run.by, party=party_of(run), value=cmd.value)
    return saved(sample, status=sample.status)


# ------------------------------------------------------------ minutes, findings, report
def record_minutes(run: Run, cmd: RecordMinutes, inspection_id: UUID) -> Outcome:
    insp = _inspection(run, inspection_id)
    minutes_id = insp.record_minutes(**run.by, **_json(cmd))
    return saved(insp, minutes_id=minutes_id)


def record_finding(run: Run, cmd: RecordFinding, inspection_id: UUID) -> Outcome:
    insp = _inspection(run, inspection_id)
    finding_id = insp.record_finding(**run.by, **_json(cmd))
    if cmd.person is None:
        return saved(insp, finding_id=finding_id)
    # the person's index of inspections with findings on them (their rater reads it)
    ident = listing_id_for(run.tenant, PERSON_FINDINGS, cmd.person)
    index = run.find(Listing, ident, "danh sách") or Listing.open(
        tenant=run.tenant, **run.by, name=PERSON_FINDINGS, key=cmd.person
    )
    index.add(**run.by, entry_id=str(insp.id), entry={"number": insp.decision["number"]})
    return saved(insp, index, finding_id=finding_id)


def explain_finding(
    run: Run, cmd: ExplainFinding, inspection_id: UUID, finding_id: UUID
) -> Outcome:
    refuse_unknown_role(run)
    insp = _inspection(run, inspection_id)
    finding = insp.findings.get(str(finding_id))
    if finding is None:
        raise NotFound(f"phát hiện {finding_id} không tồn tại")
    run.authorize_for(UUID(finding["unit_id"]), year_of(insp))
    if finding["person"] != run.ctx.actor.get("subject"):
        raise Forbidden("chỉ người được nêu trong phát hiện mới giải trình")
    insp.explain(**run.by, finding_id=str(finding_id), **_json(cmd))
    return saved(insp)


def conclude(run: Run, cmd: Conclude, inspection_id: UUID) -> Outcome:
    insp = _inspection(run, inspection_id)
    insp.conclude(**run.by, **_json(cmd))
    return saved(insp)


def report_to_chairman(run: Run, cmd: ReportToChairman, inspection_id: UUID) -> Outcome:
    insp = _inspection(run, inspection_id)
    insp.report_to_chairman(**run.by, **_json(cmd))
    return saved(insp)


def set_working_calendar(run: Run, cmd: SetWorkingCalendar) -> Outcome:
    settings = _json(cmd)
    found = run.find(TenantCalendar, calendar_id_for(run.tenant), "lịch làm việc")
    if found is None:
        return saved(TenantCalendar.open(tenant=run.tenant, **run.by, settings=settings))
    found.change(**run.by, settings=settings)
    return saved(found)
