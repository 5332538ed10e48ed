"""Registry queries: a unit, a holder's assignments."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from assessment.application.kernel.catalogue import query
from assessment.application.kernel.executor import Read
from assessment.domain.registry.assignment import Assignments
from assessment.domain.registry.unit import Unit


@query()
def get_unit(read: Read, unit_id: UUID) -> dict[str, Any]:
    unit = read.load(Unit, unit_id, "đơn vị")
    return {
        "id": str(unit.id),
        "code": unit.code,
        "name": unit.name,
        "kind": unit.kind.value,
        "parent_id": str(unit.parent_id) if unit.parent_id else None,
        "valid_from": unit.valid_from,
        "valid_to": unit.valid_to,
        "names": unit.names,
        "split_from": str(unit.split_from) if unit.split_from else None,
        "successor_id": str(unit.successor_id) if unit.successor_id else None,
        "version": unit.version,
    }


@query()
def get_assignments(read: Read, assignments_id: UUID) -> dict[str, Any]:
    agg = read.load(Assignments, assignments_id, "phân công")
    return {
        "id": str(agg.id),
        "kind": agg.kind,
        "holder": agg.holder,
        "grants": agg.grants,
        "version": agg.version,
    }
