"""Published CCHC rankings for the public pages and feeds: per tenant, year and block, only a
ranking whose publication is recorded (``Published``); a decided or scheduled ranking is never
reachable there."""

from __future__ import annotations

from typing import Any

from reporting.adapters.db import Database
from reporting.read_models.cchc_scores.queries import published_ranking_index, rankings


def public_ranking(db: Database, tenant: str, year: int, block: str) -> dict[str, Any] | None:
    found = rankings(db, tenant, year=year, block=block, published_only=True)
    return found[0] if found else None


def ranking_publications(db: Database, tenant: str, year: int) -> list[dict[str, Any]]:
    """The year's published rankings, as the publications feed lists them."""
    return rankings(db, tenant, year=year, block=None, published_only=True)


def choose(db: Database, tenant: str | None, year: int | None, block: str | None) -> dict[str, Any]:
    """The public page's choice: the tenant, year and block asked for when that ranking is
    published, else the newest published one (of the tenant asked for, else the first)."""
    index = published_ranking_index(db)
    tenants = sorted(index)
    chosen_tenant = tenant if tenant in index else (tenants[0] if tenants else None)
    pairs = index.get(chosen_tenant or "", [])
    years = sorted({y for y, _ in pairs}, reverse=True)
    chosen_year = year if year in years else (years[0] if years else None)
    blocks = [b for y, b in pairs if y == chosen_year]
    chosen_block = block if block in blocks else (blocks[0] if blocks else None)
    ranking = None
    if chosen_tenant and chosen_year is not None and chosen_block:
        ranking = public_ranking(db, chosen_tenant, chosen_year, chosen_block)
    return {
        "tenant": chosen_tenant,
        "year": chosen_year,
        "block": chosen_block,
        "tenants": tenants,
        "years": years,
        "blocks": blocks,
        "ranking": ranking,
    }
