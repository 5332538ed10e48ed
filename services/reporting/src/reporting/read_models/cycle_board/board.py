"""The cycle board as shown: each step's status at a moment, names as they were, successors;
and the board as it stood at a past moment (replayed in memory)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from reporting.adapters.db import Tx
from reporting.read_models.cycle_board.projection import MULTI_SOURCE, apply
from reporting.read_models.cycle_board.schema import create_schema

VN_TZ = timezone(timedelta(hours=7))


def name_on(names: list[dict[str, Any]], day: str) -> str:
    """The unit's name in force on ``day`` (ISO date); undated names count from the start."""
    current = str(names[0]["name"])
    for entry in names:
        if entry.get("from") is None or str(entry["from"]) <= day:
            current = str(entry["name"])
    return current


def successor_of(tx: Tx, unit_id: str) -> dict[str, Any] | None:
    """Follow merges to the unit that carries this one's history today."""
    seen = {unit_id}
    current = unit_id
    found: dict[str, Any] | None = None
    while True:
        row = tx.fetchone("SELECT successor_id FROM rm_unit WHERE unit_id = %s", (current,))
        if row is None or row[0] is None or row[0] in seen:
            return found
        current = str(row[0])
        seen.add(current)
        nxt = tx.fetchone("SELECT unit_id, code, name FROM rm_unit WHERE unit_id = %s", (current,))
        if nxt is None:
            return found
        found = {"unit_id": nxt[0], "code": nxt[1], "name": nxt[2]}


# ----------------------------------------------------------------------------- status logic
STEP_ORDER = [
    "sector_review",
    "self_assessment",
    "member_review",
    "consolidation",
    "caucus_review",
    "recognition",
    "publication",
]


def _deadline_instant(day: str) -> datetime:
    d = date.fromisoformat(day)
    return datetime(d.year, d.month, d.day, tzinfo=VN_TZ) + timedelta(days=1)


def _in_force(grant: dict[str, Any], year: int) -> bool:
    """A grant in force at some point of ``year`` (revocation ends it early)."""
    end = grant.get("valid_to")
    revoked = grant.get("revoked")
    if revoked is not None:
        end = min(end, revoked["effective_date"]) if end else revoked["effective_date"]
    return bool(grant["valid_from"] <= f"{year}-12-31" and (end is None or end >= f"{year}-01-01"))


def assignments_in(tx: Tx, tenant: str, year: int) -> dict[str, dict[str, list[str]]]:
    """Per unit id: the sector agencies (their unit ids) and PC members (subjects) assigned
    to it in ``year``: ``{unit_id: {"sector_management": [...], "pc_oversight": [...]}}``."""
    out: dict[str, dict[str, list[str]]] = {}
    for kind, holder, grants_json in tx.fetchall(
        "SELECT kind, holder, grants FROM rm_assignment WHERE tenant = %s ORDER BY holder",
        (tenant,),
    ):
        for grant in json.loads(grants_json).values():
            if not _in_force(grant, year):
                continue
            for unit_id in grant["unit_ids"]:
                holders = out.setdefault(str(unit_id), {}).setdefault(str(kind), [])
                if holder not in holders:
                    holders.append(str(holder))
    return out


def step_status(
    step: str,
    data: Any,
    deadline: str | None,
    now: datetime,
    instant: datetime | None = None,
    *,
    required: bool = True,
) -> dict[str, Any]:
    """missing / overdue / on_time / late / not_required, with the dates behind it
    (``instant``: the deadline's end, when the caller already worked it out). A step nobody
    is assigned to (step 1 of a unit with no managing sector agency) is not_required: never
    overdue."""
    out: dict[str, Any] = {"deadline": deadline}
    if not data and not required:
        out["status"] = "not_required"
        return out
    if not data:
        if deadline is not None and instant is None:
            instant = _deadline_instant(deadline)
        overdue = instant is not None and now >= instant
        out["status"] = "overdue" if overdue else "missing"
        return out
    if step in MULTI_SOURCE:
        entries = list(data.values())
        late = max(int(e.get("late_by_seconds", 0)) for e in entries)
        out["sources"] = entries
        out["submitted_at"] = min(e["submitted_at"] for e in entries)
    else:
        late = int(data.get("late_by_seconds", 0))
        out["submitted_at"] = data["submitted_at"]
    out["status"] = "late" if late > 0 else "on_time"
    out["late_by_seconds"] = late
    out["late_by_days"] = -(-late // 86400) if late else 0
    return out


def board_rows(
    tx: Tx,
    tenant: str,
    cycle_id: str,
    *,
    now: datetime | None = None,
    limit: int = 50,
    offset: int = 0,
    status: str | None = None,
    search: Callable[[str, str], bool] | None = None,
) -> tuple[dict[str, Any] | None, list[dict[str, Any]], int]:
    """The board's rows at ``now``: those kept by the ``status`` filter and ``search`` (called
    with the unit's name as in the cycle's year and its code), their total, and the page
    ``offset``/``limit`` of them built in full."""
    now = now or datetime.now(UTC)
    cyc = tx.fetchone(
        "SELECT year, title, plan_reference, deadlines, content_groups, deadline_changes "
        "FROM rm_cycle "
        "WHERE cycle_id = %s AND tenant = %s",
        (cycle_id, tenant),
    )
    if cyc is None:
        return None, [], 0
    deadlines = json.loads(cyc[3])
    cycle = {
        "id": cycle_id,
        "year": cyc[0],
        "title": cyc[1],
        "plan_reference": cyc[2],
        "deadlines": deadlines,
        "content_groups": json.loads(cyc[4]),
        "deadline_changes": json.loads(cyc[5]) if cyc[5] else [],
    }
    assigned = assignments_in(tx, tenant, int(cyc[0]))
    codes = dict(tx.fetchall("SELECT unit_id, code FROM rm_unit WHERE tenant = %s", (tenant,)))
    rows = tx.fetchall(
        """SELECT b.unit_id, u.code, u.name, u.kind, b.steps, b.levels, b.recognised_level,
                  b.recognition, b.flags, b.version, b.updated_at, u.names, u.valid_to
           FROM rm_board b LEFT JOIN rm_unit u ON u.unit_id = b.unit_id
           WHERE b.tenant = %s AND b.cycle_id = %s ORDER BY u.code, b.unit_id""",
        (tenant, cycle_id),
    )
    # Each step's deadline as an instant, once per call (not once per row and step).
    instants = {s: _deadline_instant(d) for s, d in deadlines.items() if d is not None}

    def name_of(r: Any) -> str:
        # the unit as it was in the cycle's year (end of year, or when it ended)
        if not r[11]:
            return str(r[2])
        return name_on(json.loads(r[11]), min(f"{cycle['year']}-12-31", r[12] or "9999"))

    def statuses_of(r: Any) -> dict[str, dict[str, Any]]:
        steps = json.loads(r[4])
        sector = assigned.get(str(r[0]), {}).get("sector_management", [])
        return {
            s: step_status(
                s,
                steps.get(s),
                deadlines.get(s),
                now,
                instants.get(s),
                required=s != "sector_review" or bool(sector),
            )
            for s in STEP_ORDER
        }

    # Only what the filter needs is worked out for every row; the full item (names, levels,
    # successors: a query per row) only for the rows of the page asked for.
    kept: list[tuple[Any, dict[str, dict[str, Any]] | None, dict[str, Any] | None]] = []
    for r in rows:
        flags = json.loads(r[8]) if status == "perfunctory" else None
        statuses = statuses_of(r) if status == "late" else None
        if status == "late" and statuses is not None and not _late_steps(statuses):
            continue
        if flags is not None and not (flags.get("perfunctory") or flags.get("signals")):
            continue
        if status == "recognised" and not r[6]:
            continue
        if search is not None and not search(name_of(r), str(r[1])):
            continue
        kept.append((r, statuses, flags))
    out = []
    for r, statuses, flags in kept[offset : offset + limit]:
        statuses = statuses if statuses is not None else statuses_of(r)
        flags = flags if flags is not None else json.loads(r[8])
        mine = assigned.get(str(r[0]), {})
        sector = mine.get("sector_management", [])
        out.append(
            {
                "unit_id": r[0],
                "unit_code": r[1],
                "unit_name": name_of(r),
                "unit_current_name": r[2],
                "successor": successor_of(tx, r[0]),
                "unit_kind": r[3],
                "steps": statuses,
                "levels": json.loads(r[5]),
                "recognised_level": r[6],
                "recognition": json.loads(r[7]) if r[7] else None,
                "late_steps": _late_steps(statuses),
                "perfunctory": bool(flags.get("perfunctory")),
                "perfunctory_flags": flags.get("perfunctory", []),
                "perfunctory_signals": flags.get("signals", []),
                "reopenings": flags.get("reopenings", []),
                "supplements": flags.get("supplements", []),
                "adjustments": flags.get("adjustments", []),
                "sector_agencies": [{"unit_id": a, "code": codes.get(a)} for a in sector],
                "pc_members": mine.get("pc_oversight", []),
                "version": r[9],
                "updated_at": r[10],
            }
        )
    return cycle, out, len(kept)


def _late_steps(statuses: dict[str, dict[str, Any]]) -> list[str]:
    return [s for s, v in statuses.items() if v["status"] in ("late", "overdue")]


def board_as_of(
    envelopes: Any, tenant: str, cycle_id: str, moment: datetime
) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """The board as it stood at ``moment`` (business time): events that occurred up to then,
    replayed into a throw-away in-memory model, statuses computed at that moment."""
    from shared.sql import SqliteDatabase

    db = SqliteDatabase(":memory:")
    try:
        with db.transaction() as tx:
            create_schema(tx)
            for env in sorted(envelopes, key=lambda e: e.global_position):
                if env.tenant == tenant and datetime.fromisoformat(env.occurred_at) <= moment:
                    apply(tx, env)
        with db.transaction() as tx:
            cycle, rows, _ = board_rows(tx, tenant, cycle_id, now=moment, limit=10**6)
        return cycle, rows
    finally:
        db.close()
