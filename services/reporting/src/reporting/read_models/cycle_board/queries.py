"""Queries over the cycle board read model (what the reporting API serves)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from reporting.adapters.db import Database
from reporting.read_models.cycle_board.board import board_rows, name_on, successor_of
from shared.problems import not_found


def get_board(
    db: Database,
    tenant: str,
    cycle_id: str,
    *,
    page: int,
    page_size: int,
    status: str | None,
    now: datetime | None = None,
    search: Callable[[str, str], bool] | None = None,
) -> dict[str, Any]:
    with db.transaction() as tx:
        cycle, rows, total = board_rows(
            tx,
            tenant,
            cycle_id,
            now=now,
            limit=page_size,
            offset=(page - 1) * page_size,
            status=status,
            search=search,
        )
    if cycle is None:
        # Unknown and other tenants' cycles look the same.
        raise not_found("kỳ đánh giá", cycle_id)
    return {"cycle": cycle, "items": rows, "page": page, "page_size": page_size, "total": total}


def list_cycles(db: Database, tenant: str) -> list[dict[str, Any]]:
    with db.transaction() as tx:
        rows = tx.fetchall(
            "SELECT cycle_id, year, title FROM rm_cycle WHERE tenant = %s ORDER BY year DESC",
            (tenant,),
        )
    return [{"id": r[0], "year": r[1], "title": r[2]} for r in rows]


def unit_history(db: Database, tenant: str, unit_id: str) -> dict[str, Any]:
    """A unit's evaluations over the years, with those of every unit merged into it: each
    year names the unit as it was then; ``successor`` says who carries it today."""
    with db.transaction() as tx:
        unit = tx.fetchone(
            "SELECT code, name FROM rm_unit WHERE unit_id = %s AND tenant = %s", (unit_id, tenant)
        )
        if unit is None:
            raise not_found("đơn vị", unit_id)
        rows = tx.fetchall("SELECT unit_id, successor_id FROM rm_unit WHERE tenant = %s", (tenant,))
        merged_into = {r[0]: r[1] for r in rows}
        family = {unit_id}
        changed = True
        while changed:  # every unit whose chain of mergers ends in this one
            changed = False
            for uid, succ in merged_into.items():
                if succ in family and uid not in family:
                    family.add(uid)
                    changed = True
        placeholders = ", ".join(["%s"] * len(family))
        evals = tx.fetchall(
            "SELECT b.unit_id, c.year, c.cycle_id, b.recognised_level, u.names, u.valid_to, "  # noqa: S608
            "u.code FROM rm_board b JOIN rm_cycle c ON c.cycle_id = b.cycle_id "
            "JOIN rm_unit u ON u.unit_id = b.unit_id "
            f"WHERE b.tenant = %s AND b.unit_id IN ({placeholders}) ORDER BY c.year, u.code",
            (tenant, *sorted(family)),
        )
        items = []
        for r in evals:
            then = min(f"{r[1]}-12-31", r[5] or "9999")
            items.append(
                {
                    "year": r[1],
                    "cycle_id": r[2],
                    "unit_id": r[0],
                    "unit_code": r[6],
                    "unit_name_then": name_on(json.loads(r[4]), then),
                    "recognised_level": r[3],
                    "reported_under": {"unit_id": unit_id, "code": unit[0], "name": unit[1]},
                    "successor": successor_of(tx, r[0]),
                }
            )
    return {
        "unit": {"id": unit_id, "code": unit[0], "name": unit[1]},
        "predecessors": sorted(family - {unit_id}),
        "items": items,
    }


def unit_choices(db: Database, tenant: str) -> list[dict[str, str]]:
    """The tenant's units (id, code, current name), by code: for the auditor's filters."""
    with db.transaction() as tx:
        rows = tx.fetchall(
            "SELECT unit_id, code, name FROM rm_unit WHERE tenant = %s ORDER BY code", (tenant,)
        )
    return [{"id": str(r[0]), "code": str(r[1]), "name": str(r[2])} for r in rows]
