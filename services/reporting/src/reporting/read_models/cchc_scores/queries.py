"""Queries over the CCHC read model (what the reporting API serves). Points stay decimal text;
sums use ``Decimal``. Unit names come from the cycle board's unit rows (``rm_unit``)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from reporting.adapters.db import Database, Tx
from shared.problems import not_found

ZERO = Decimal(0)


def _text(value: Decimal) -> str:
    out = format(value.normalize(), "f")
    return "0" if out in ("-0", "") else out


def _names(tx: Tx, tenant: str) -> dict[str, str]:
    rows = tx.fetchall("SELECT unit_id, name FROM rm_unit WHERE tenant = %s", (tenant,))
    return {r[0]: r[1] for r in rows}


def _sets(tx: Tx, tenant: str) -> dict[str, dict[str, Any]]:
    rows = tx.fetchall(
        "SELECT set_id, set_version, nodes FROM rm_cchc_set WHERE tenant = %s", (tenant,)
    )
    return {r[0]: {"set_version": r[1], "nodes": json.loads(r[2])} for r in rows}


def _scorings(tx: Tx, tenant: str, year: int | None, block: str | None, unit: str | None
              ) -> list[tuple[Any, ...]]:  # fmt: skip
    sql = "SELECT scoring_id, unit_id, year, block, set_id, status, scores FROM rm_cchc_scoring "
    sql += "WHERE tenant = %s"
    params: list[Any] = [tenant]
    for column, value in (("year", year), ("block", block), ("unit_id", unit)):
        if value is not None:
            sql += f" AND {column} = %s"
            params.append(value)
    return tx.fetchall(sql + " ORDER BY year, block, unit_id", params)


def _field_of(nodes: list[dict[str, Any]]) -> dict[str, str]:
    parent = {n["code"]: n.get("parent") for n in nodes}
    out = {}
    for code in parent:
        top = code
        while parent.get(top):
            top = parent[top]
        out[code] = top
    return out


def scores(
    db: Database, tenant: str, *, year: int | None, block: str | None, unit_id: str | None
) -> dict[str, Any]:
    """Per unit × criterion × year: self, appraised and survey points, kept apart."""
    with db.transaction() as tx:
        names, sets = _names(tx, tenant), _sets(tx, tenant)
        found = _scorings(tx, tenant, year, block, unit_id)
    items = []
    for sid, unit, yr, blk, set_id, status, raw in found:
        data = json.loads(raw)
        spec = sets.get(set_id, {"set_version": None, "nodes": []})
        fields = _field_of(spec["nodes"])
        for node in spec["nodes"]:
            if node.get("method") is None:  # a parent: no points of its own
                continue
            got = data.get(node["code"], {})
            diff = None
            if got.get("self") is not None and got.get("appraised") is not None:
                diff = _text(Decimal(got["appraised"]) - Decimal(got["self"]))
            items.append(
                {
                    "scoring_id": sid,
                    "unit_id": unit,
                    "unit_name": names.get(unit),
                    "year": yr,
                    "block": blk,
                    "set_version": spec["set_version"],
                    "status": status,
                    "code": node["code"],
                    "title": node["title"],
                    "field": fields.get(node["code"]),
                    "method": node["method"],
                    "max_points": node["max_points"],
                    "self_points": got.get("self"),
                    "appraised_points": got.get("appraised"),
                    "survey_points": got.get("survey"),
                    "difference": diff,
                    "reason": got.get("reason", ""),
                    "excluded": got.get("excluded"),
                    "evidence": got.get("evidence", 0),
                }
            )
    return {"items": items, "total": len(items)}


def gaps(
    db: Database, tenant: str, *, year: int, block: str | None, threshold: Decimal
) -> dict[str, Any]:
    """Self vs appraised per unit: a unit whose self-score exceeds its appraisal by at least
    ``threshold`` % of its applicable appraised maximum is flagged (seed 000: inflated)."""
    with db.transaction() as tx:
        names, sets = _names(tx, tenant), _sets(tx, tenant)
        found = _scorings(tx, tenant, year, block, None)
    items = []
    for sid, unit, yr, blk, set_id, status, raw in found:
        data = json.loads(raw)
        nodes = sets.get(set_id, {"nodes": []})["nodes"]
        mine = theirs = top = ZERO
        for node in nodes:
            got = data.get(node["code"], {})
            if node.get("method") != "appraisal" or node.get("kind", "regular") != "regular":
                continue
            if got.get("excluded"):
                continue
            top += Decimal(node["max_points"])
            mine += Decimal(got.get("self") or 0)
            theirs += Decimal(got.get("appraised") or 0)
        gap = mine - theirs
        share = (gap / top * 100).quantize(Decimal("0.01")) if top else ZERO
        items.append(
            {
                "scoring_id": sid,
                "unit_id": unit,
                "unit_name": names.get(unit),
                "year": yr,
                "block": blk,
                "status": status,
                "self_points": _text(mine),
                "appraised_points": _text(theirs),
                "applicable_max": _text(top),
                "gap": _text(gap),
                "gap_percent": _text(share),
                "inflated": share >= threshold,
            }
        )
    items.sort(key=lambda i: Decimal(i["gap_percent"]), reverse=True)
    return {"items": items, "threshold_percent": _text(threshold)}


def published_rankings(
    db: Database, tenant: str, *, year: int | None, block: str | None
) -> dict[str, Any]:
    sql = (
        "SELECT ranking_id, year, block, set_id, survey_held, decision, rows, published_at "
        "FROM rm_cchc_ranking WHERE tenant = %s AND published_at IS NOT NULL"
    )
    params: list[Any] = [tenant]
    for column, value in (("year", year), ("block", block)):
        if value is not None:
            sql += f" AND {column} = %s"
            params.append(value)
    with db.transaction() as tx:
        found = tx.fetchall(sql + " ORDER BY year DESC, block", params)
    return {
        "items": [
            {
                "ranking_id": r[0],
                "year": r[1],
                "block": r[2],
                "set_id": r[3],
                "survey_held": bool(r[4]),
                "decision": json.loads(r[5]),
                "rows": json.loads(r[6]),
                "published_at": r[7],
            }
            for r in found
        ]
    }


def index_history(db: Database, tenant: str, unit_id: str) -> dict[str, Any]:
    """A unit's published index, rank and band per year, and its appraised points per criterion
    code across years (codes are compared as written; a set that renumbers its criteria breaks
    the series, and the set version of each year is given so a reader can see it)."""
    with db.transaction() as tx:
        rankings = tx.fetchall(
            "SELECT year, block, decision, rows FROM rm_cchc_ranking "
            "WHERE tenant = %s AND published_at IS NOT NULL ORDER BY year",
            (tenant,),
        )
        sets = _sets(tx, tenant)
        found = _scorings(tx, tenant, None, None, unit_id)
    years = []
    for year, block, decision, rows in rankings:
        for row in json.loads(rows):
            if row["unit_id"] == unit_id:
                years.append(
                    {
                        "year": year,
                        "block": block,
                        "index": row["index"],
                        "rank": row["rank"],
                        "of": len(json.loads(rows)),
                        "band": row["band_label"],
                        "tied_with": row["tied_with"],
                        "decision": json.loads(decision),
                    }
                )
    if not years and not found:
        raise not_found("đơn vị", unit_id)
    criteria: dict[str, list[dict[str, Any]]] = {}
    for _, _, yr, _, set_id, _, raw in found:
        data = json.loads(raw)
        spec = sets.get(set_id, {"set_version": None, "nodes": []})
        for node in spec["nodes"]:
            got = data.get(node["code"], {})
            if node.get("method") and got.get("appraised") is not None:
                criteria.setdefault(node["code"], []).append(
                    {
                        "year": yr,
                        "set_version": spec["set_version"],
                        "appraised_points": got["appraised"],
                        "max_points": node["max_points"],
                    }
                )
    return {"unit_id": unit_id, "years": years, "criteria": criteria}


def list_sets(
    db: Database, tenant: str, *, year: int | None, block: str | None
) -> list[dict[str, Any]]:
    """Criteria sets of the tenant, newest year first, each block's versions in order."""
    sql = (
        "SELECT set_id, year, block, set_version, title, total_points, publication "
        "FROM rm_cchc_set WHERE tenant = %s"
    )
    params: list[Any] = [tenant]
    for column, value in (("year", year), ("block", block)):
        if value is not None:
            sql += f" AND {column} = %s"
            params.append(value)
    with db.transaction() as tx:
        found = tx.fetchall(sql + " ORDER BY year DESC, block, set_version", params)
    return [
        {
            "set_id": r[0],
            "year": r[1],
            "block": r[2],
            "set_version": r[3],
            "title": r[4],
            "total_points": r[5],
            "publication": json.loads(r[6]) if r[6] else None,
        }
        for r in found
    ]


def queue(db: Database, tenant: str, *, year: int) -> list[dict[str, Any]]:
    """Every unit's scoring year: status, self and appraised totals, how many criteria still
    wait for an appraised score (the appraisers' queue; submitted ones first)."""
    with db.transaction() as tx:
        units = {
            r[0]: (r[1], r[2])
            for r in tx.fetchall(
                "SELECT unit_id, code, name FROM rm_unit WHERE tenant = %s", (tenant,)
            )
        }
        sets = _sets(tx, tenant)
        found = _scorings(tx, tenant, year, None, None)
    order = {"submitted": 0, "appraising": 1, "reconciled": 2, "approved": 3, "draft": 4}
    items = []
    for sid, unit, yr, blk, set_id, status, raw in found:
        data = json.loads(raw)
        leaves = [
            n for n in sets.get(set_id, {"nodes": []})["nodes"] if n.get("method") == "appraisal"
        ]
        mine = sum((Decimal(data.get(n["code"], {}).get("self") or 0) for n in leaves), ZERO)
        theirs = sum((Decimal(data.get(n["code"], {}).get("appraised") or 0) for n in leaves), ZERO)
        waiting = sum(
            1
            for n in leaves
            if data.get(n["code"], {}).get("appraised") is None
            and not data.get(n["code"], {}).get("excluded")
        )
        code, name = units.get(unit, ("", ""))
        items.append(
            {
                "scoring_id": sid,
                "unit_id": unit,
                "unit_code": code,
                "unit_name": name,
                "year": yr,
                "block": blk,
                "set_id": set_id,
                "status": status,
                "self_points": _text(mine),
                "appraised_points": _text(theirs),
                "waiting": waiting,
            }
        )
    items.sort(key=lambda i: (order.get(i["status"], 9), i["block"], i["unit_code"]))
    return items


def rankings(
    db: Database,
    tenant: str,
    *,
    year: int | None,
    block: str | None,
    published_only: bool = False,
) -> list[dict[str, Any]]:
    """Ranking decisions, published or not (for signed-in officials); ``published_only`` for
    the public pages, which never show a ranking before its publication is recorded."""
    sql = (
        "SELECT ranking_id, year, block, set_id, survey_held, decision, rows, published_at "
        "FROM rm_cchc_ranking WHERE tenant = %s"
        + (" AND published_at IS NOT NULL" if published_only else "")
    )
    params: list[Any] = [tenant]
    for column, value in (("year", year), ("block", block)):
        if value is not None:
            sql += f" AND {column} = %s"
            params.append(value)
    with db.transaction() as tx:
        found = tx.fetchall(sql + " ORDER BY year DESC, block", params)
        sets = _sets(tx, tenant)
    out = []
    for r in found:
        nodes = sets.get(r[3], {"nodes": []})["nodes"]
        fields = [
            {"code": n["code"], "title": n["title"]}
            for n in nodes
            if n.get("level") == "field" and n.get("kind", "regular") == "regular"
        ]
        out.append(
            {
                "ranking_id": r[0],
                "year": r[1],
                "block": r[2],
                "set_id": r[3],
                "survey_held": bool(r[4]),
                "decision": json.loads(r[5]),
                "rows": json.loads(r[6]),
                "published_at": r[7],
                "fields": fields,
            }
        )
    return out


def published_ranking_index(db: Database) -> dict[str, list[tuple[int, str]]]:
    """Tenant → its published rankings' (year, block), newest first (the public pages' choices)."""
    with db.transaction() as tx:
        found = tx.fetchall(
            "SELECT tenant, year, block FROM rm_cchc_ranking WHERE published_at IS NOT NULL "
            "ORDER BY tenant, year DESC, block"
        )
    out: dict[str, list[tuple[int, str]]] = {}
    for tenant, year, block in found:
        out.setdefault(str(tenant), []).append((int(year), str(block)))
    return out
