"""Registry queries: a unit, the tenant's units (search, group, paging), a holder's
assignments."""

from __future__ import annotations

import unicodedata
from datetime import date
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


REGISTERED = "assessment.Unit.Registered"


def _fold(text: str) -> str:
    """Lower case without Vietnamese diacritics (đ → d), for search."""
    decomposed = unicodedata.normalize("NFD", text.casefold()).replace("đ", "d")
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def _tenant_units(read: Read) -> list[Unit]:
    """Every unit of the tenant: the registrations (the store's notification log filtered by
    topic), then each unit loaded as it stands."""
    ids: list[UUID] = []
    position = 0
    while True:
        notes = read.app.recorder.select_notifications(
            position, 1000, topics=(REGISTERED,), inclusive_of_start=False
        )
        if not notes:
            break
        for note in notes:
            event = read.app.mapper.to_domain_event(note)
            if getattr(event, "tenant", None) == read.tenant:
                ids.append(UUID(str(note.originator_id)))
        position = int(notes[-1].id)
    return [read.load(Unit, ident, "đơn vị") for ident in ids]


@query()
def list_units(
    read: Read,
    *,
    q: str = "",
    kind: str | None = None,
    valid_on: date | None = None,
    page: int = 1,
    page_size: int = 50,
) -> dict[str, Any]:
    """The tenant's units: search by code or name (any name it had, diacritics ignored), by
    group (kind), by the day they were valid on; paged; each with its validity and lineage
    (successor it was merged into, units merged into it, unit it was split from)."""
    units = _tenant_units(read)
    by_id = {u.id: u for u in units}
    merged_into: dict[UUID, list[UUID]] = {}
    for u in units:
        if u.successor_id is not None:
            merged_into.setdefault(u.successor_id, []).append(u.id)

    def ref(ident: UUID | None) -> dict[str, str] | None:
        other = by_id.get(ident) if ident else None
        return {"id": str(other.id), "code": other.code, "name": other.name} if other else None

    wanted = _fold(q.strip())
    day = valid_on.isoformat() if valid_on else None
    items = []
    for u in sorted(units, key=lambda u: (_fold(u.name), u.code)):
        if kind and u.kind.value != kind:
            continue
        if day and ((u.valid_from or "") > day or (u.valid_to is not None and u.valid_to <= day)):
            continue
        names = " ".join(str(n["name"]) for n in u.names)
        if wanted and wanted not in _fold(f"{u.code} {names}"):
            continue
        items.append(
            {
                "id": str(u.id),
                "code": u.code,
                "name": u.name,
                "kind": u.kind.value,
                "parent": ref(u.parent_id),
                "valid_from": u.valid_from,
                "valid_to": u.valid_to,
                "names": u.names,
                "successor": ref(u.successor_id),
                "predecessors": [ref(p) for p in sorted(merged_into.get(u.id, []), key=str)],
                "split_from": ref(u.split_from),
            }
        )
    total = len(items)
    start = (page - 1) * page_size
    return {
        "items": items[start : start + page_size],
        "page": page,
        "page_size": page_size,
        "total": total,
    }
