"""Queries over the cycle board read model."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from reporting.adapters.db import Database
from reporting.projections.cycle_board import board_rows
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
