"""Registry handlers: one per command — load, call the aggregate, return what to save."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from assessment.application.kernel.catalogue import Outcome, saved
from assessment.application.kernel.executor import Run
from assessment.application.registry.commands import (
    DissolveUnit,
    GrantAssignment,
    MergeUnit,
    RegisterUnit,
    RenameUnit,
    RevokeAssignment,
)
from assessment.domain.kernel.errors import AlreadyExists
from assessment.domain.registry.assignment import Assignments, assignments_id_for
from assessment.domain.registry.errors import ChangeBeforeEnrolledCycle
from assessment.domain.registry.unit import Unit, unit_id_for


def register_unit(run: Run, cmd: RegisterUnit) -> Outcome:
    ident = unit_id_for(run.tenant, cmd.code)
    if run.exists(ident):
        raise AlreadyExists(f"mã đơn vị '{cmd.code}' đã được đăng ký")
    parent_id = None
    if cmd.parent_code:
        parent_id = unit_id_for(run.tenant, cmd.parent_code)
        run.load(Unit, parent_id, "đơn vị cấp trên")
    if cmd.split_from is not None:
        run.load(Unit, cmd.split_from, "đơn vị được chia tách")
    fields = cmd.fields(exclude={"parent_code"})
    return saved(Unit.register(tenant=run.tenant, **run.by, parent_id=parent_id, **fields))


def rename_unit(run: Run, cmd: RenameUnit, unit_id: UUID) -> Outcome:
    unit = run.load(Unit, unit_id, "đơn vị")
    unit.rename(**run.by, **cmd.fields())
    return saved(unit)


def _not_before_an_enrolled_cycle(run: Run, unit: Unit, effective_date: date, what: str) -> None:
    """A merger or dissolution effective before a cycle the unit is enrolled in would leave
    that cycle evaluating a unit that no longer exists: refused (issue 9, item 5)."""
    from assessment.application.collective.api import enrolled_years_after

    years = enrolled_years_after(run, unit.id, effective_date.year)  # each starts after it
    if years:
        listed = ", ".join(str(y) for y in years)
        raise ChangeBeforeEnrolledCycle(
            f"{what} đơn vị '{unit.code}' có hiệu lực {effective_date.strftime('%d/%m/%Y')}, "
            f"trước kỳ đánh giá năm {listed} mà đơn vị đang tham gia; chọn ngày hiệu lực "
            "không sớm hơn 01/01 của năm đó"
        )


def merge_unit(run: Run, cmd: MergeUnit, unit_id: UUID) -> Outcome:
    unit = run.load(Unit, unit_id, "đơn vị")
    _not_before_an_enrolled_cycle(run, unit, cmd.effective_date, "sáp nhập")
    successor = run.load(Unit, cmd.successor_id, "đơn vị tiếp nhận")
    unit.merge_into(**run.by, successor=successor, **cmd.fields(exclude={"successor_id"}))
    return saved(unit)


def dissolve_unit(run: Run, cmd: DissolveUnit, unit_id: UUID) -> Outcome:
    unit = run.load(Unit, unit_id, "đơn vị")
    _not_before_an_enrolled_cycle(run, unit, cmd.effective_date, "giải thể")
    unit.dissolve(**run.by, **cmd.fields())
    return saved(unit)


def grant_assignment(run: Run, cmd: GrantAssignment) -> Outcome:
    """Sector management (holder = the agency's unit code) or PC member oversight (holder =
    the member's subject), by decision, with validity dates."""
    holder = cmd.holder
    if cmd.kind == "sector_management":
        agency = run.load(Unit, unit_id_for(run.tenant, holder), "cơ quan quản lý chuyên ngành")
        holder = str(agency.id)
    for unit_id in cmd.unit_ids:
        run.load(Unit, unit_id, "đơn vị")
    ident = assignments_id_for(run.tenant, cmd.kind, holder)
    agg = run.find(Assignments, ident, "phân công")
    if agg is None:
        agg = Assignments.open(tenant=run.tenant, **run.by, kind=cmd.kind, holder=holder)
    grant_id = agg.grant(**run.by, **cmd.fields(exclude={"kind", "holder"}))
    return saved(agg, grant_id=grant_id)


def revoke_assignment(run: Run, cmd: RevokeAssignment, assignments_id: UUID) -> Outcome:
    agg = run.load(Assignments, assignments_id, "phân công")
    agg.revoke(**run.by, **cmd.fields())
    return saved(agg)
