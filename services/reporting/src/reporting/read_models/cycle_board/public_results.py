"""Published results for the public page: per province (tenant) and year, nothing unpublished.

A row is public only when its publication step is on the board (a reopening that clears the
publication removes it again) and a recognition with its decision exists. Search ignores case
and Vietnamese diacritics (``so noi vu`` finds "Sở Nội vụ").
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from typing import Any

from reporting.adapters.db import Database
from reporting.read_models.cycle_board.board import name_on


def fold(text: str) -> str:
    """Lower case without diacritics (đ → d), for search."""
    decomposed = unicodedata.normalize("NFD", text.casefold()).replace("đ", "d")
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


@dataclass(frozen=True)
class PublicPage:
    tenant: str | None
    year: int | None
    items: list[dict[str, Any]]
    total: int
    page: int
    page_size: int
    years: list[int]
    tenants: list[str]


def public_tenants(db: Database) -> list[str]:
    with db.transaction() as tx:
        rows = tx.fetchall("SELECT DISTINCT tenant FROM rm_cycle ORDER BY tenant")
    return [str(r[0]) for r in rows]


def published_results(
    db: Database,
    tenant: str | None,
    year: int | None,
    *,
    query: str = "",
    page: int = 1,
    page_size: int = 20,
) -> PublicPage:
    tenants = public_tenants(db)
    if tenant is None or tenant not in tenants:
        tenant = tenants[0] if tenants else None
    if tenant is None:
        return PublicPage(None, None, [], 0, 1, page_size, [], tenants)
    with db.transaction() as tx:
        cycles = tx.fetchall(
            "SELECT cycle_id, year FROM rm_cycle WHERE tenant = %s ORDER BY year DESC", (tenant,)
        )
        years = [int(r[1]) for r in cycles]
        if year not in years:
            year = years[0] if years else None
        cycle_ids = [str(r[0]) for r in cycles if int(r[1]) == year]
        rows = []
        if cycle_ids:
            rows = tx.fetchall(
                """SELECT b.unit_id, u.code, u.name, u.names, u.valid_to, b.steps,
                          b.recognised_level, b.recognition
                   FROM rm_board b LEFT JOIN rm_unit u ON u.unit_id = b.unit_id
                   WHERE b.tenant = %s AND b.cycle_id = %s""",
                (tenant, cycle_ids[0]),
            )
    items = []
    wanted = fold(query.strip())
    for unit_id, code, name, names, valid_to, steps_json, level, recognition_json in rows:
        steps = json.loads(steps_json)
        publication = steps.get("publication")
        if not publication or not level or not recognition_json:
            continue  # never shown before it is published
        recognition = json.loads(recognition_json)
        then = min(f"{year}-12-31", valid_to or "9999")
        unit_name = name_on(json.loads(names), then) if names else (name or unit_id)
        if wanted and wanted not in fold(f"{unit_name} {code or ''}"):
            continue
        items.append(
            {
                "unit_code": code,
                "unit_name": unit_name,
                "level": level,
                "decision_number": recognition.get("decision_number"),
                "decision_date": recognition.get("decision_date"),
                "signer": recognition.get("signer"),
                "published_at": publication.get("submitted_at"),
            }
        )
    items.sort(key=lambda i: (fold(str(i["unit_name"])), str(i["unit_code"])))
    total = len(items)
    pages = max(1, -(-total // page_size))
    page = min(max(1, page), pages)
    start = (page - 1) * page_size
    return PublicPage(
        tenant, year, items[start : start + page_size], total, page, page_size, years, tenants
    )
