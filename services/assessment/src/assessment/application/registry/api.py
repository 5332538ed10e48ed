"""What the registry offers other contexts (through the application layer, never its domain):
who a caller acts for, what its assignments cover, whether a unit existed in a year."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from assessment.application.kernel.context import CommandContext
from assessment.application.kernel.executor import ContextApplication, Read
from assessment.application.kernel.permissions import Scope
from assessment.domain.kernel.errors import ValidationFailed
from assessment.domain.registry.assignment import Assignments, assignments_id_for
from assessment.domain.registry.errors import UnitNotYetValid
from assessment.domain.registry.unit import Unit, unit_id_for
from assessment.domain.registry.values import UNIT_KIND_LABELS, UnitKind


def unit_id(tenant: str, code: str) -> UUID:
    """A unit's id from its code (ids are derived, so codes are unique per tenant)."""
    return unit_id_for(tenant, code)


def acting_unit(ctx: CommandContext) -> UUID | None:
    acting = ctx.actor.get("acting_for")
    return unit_id_for(ctx.tenant, acting) if acting else None


def covered(
    app: ContextApplication, ctx: CommandContext, scope: Scope, target_unit: UUID, year: int
) -> bool:
    """Whether a live assignment of the caller (its agency's, or its own as a PC member)
    covers ``target_unit`` in ``year``."""
    if scope is Scope.MANAGED_UNITS:
        acting_id = acting_unit(ctx)
        if acting_id is None:
            return False
        kind, holder = "sector_management", str(acting_id)
    else:
        kind, holder = "pc_oversight", str(ctx.actor.get("subject"))
    try:
        found: Any = app.repository.get(assignments_id_for(ctx.tenant, kind, holder))
    except AggregateNotFoundError:
        return False
    return isinstance(found, Assignments) and found.covers(target_unit, year)


def require_active_in(read: Read, unit_ids: list[UUID], year: int) -> None:
    """Each unit exists for the tenant, was valid by the end of ``year`` and had not ended
    before it."""
    for ident in unit_ids:
        unit = read.load(Unit, ident, "đơn vị")
        if unit.valid_from is not None and unit.valid_from > f"{year}-12-31":
            raise UnitNotYetValid(
                f"đơn vị '{unit.code}' có hiệu lực từ "
                f"{date.fromisoformat(unit.valid_from).strftime('%d/%m/%Y')}, sau năm {year}: "
                "không thể đưa vào kỳ đánh giá này"
            )
        if unit.valid_to is not None and unit.valid_to < f"{year}-01-01":
            raise ValidationFailed(
                f"đơn vị '{unit.code}' đã ngừng hoạt động từ {unit.valid_to}, trước năm {year}"
            )


def unit_name(read: Read, unit_id: UUID, year: int) -> str:
    """The unit's name as it was at the end of ``year`` (rankings name units as in that year)."""
    return read.load(Unit, unit_id, "đơn vị").name_on(date(year, 12, 31))


def unit_of_code(read: Read, code: str) -> dict[str, Any]:
    """A unit by its code (the tenant's; else NotFound): id, code, parent's code, validity."""
    unit = read.load(Unit, unit_id_for(read.tenant, code), "đơn vị")
    parent_code = None
    if unit.parent_id is not None:
        parent_code = read.load(Unit, unit.parent_id, "đơn vị cấp trên").code
    return {
        "id": unit.id,
        "code": unit.code,
        "parent_code": parent_code,
        "valid_to": unit.valid_to,
    }


def units_valid_in(read: Read, year: int) -> list[dict[str, Any]]:
    """The tenant's units valid at some time in ``year`` (begun by its end, not ended before
    it starts), by kind and code: the candidates for a cycle's enrolment. Read from the log of
    registrations (one topic), each unit loaded as the tenant's."""
    recorder: Any = read.app.recorder
    found: list[dict[str, Any]] = []
    start: int | None = None
    while True:
        page = recorder.select_notifications(
            start, 500, topics=["assessment.Unit.Registered"], inclusive_of_start=start is None
        )
        for notification in page:
            unit: Any = read.app.repository.get(notification.originator_id)
            if not isinstance(unit, Unit) or not unit.belongs_to(read.tenant):
                continue  # another tenant's unit is not listed
            if unit.valid_to is not None and unit.valid_to < f"{year}-01-01":
                continue
            if unit.valid_from is not None and unit.valid_from > f"{year}-12-31":
                continue
            found.append(
                {
                    "id": str(unit.id),
                    "code": unit.code,
                    "name": unit.name_on(date(year, 12, 31)),
                    "kind": unit.kind.value,
                }
            )
        if len(page) < 500:
            break
        start = page[-1].id
    return sorted(found, key=lambda u: (u["kind"], u["code"]))


def unit_kinds() -> list[tuple[str, str]]:
    """The kinds of units with their Vietnamese labels, in the registry's order."""
    return [(kind.value, UNIT_KIND_LABELS[kind]) for kind in UnitKind]
