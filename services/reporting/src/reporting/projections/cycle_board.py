"""The cycle board: per cycle and unit, each step's status and every source's proposed level.

Pure projection logic plus its SQL. Each row carries the aggregate version it reflects: an
envelope at or below that version is a duplicate or a replay and changes nothing.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from reporting.adapters.db import Tx
from shared.envelope import Envelope

log = logging.getLogger("congvu.reporting.board")
VN_TZ = timezone(timedelta(hours=7))

SCHEMA_VERSION = 2  # bump on any change: the read model is dropped and replayed

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS rm_schema (
        name TEXT PRIMARY KEY, version INTEGER NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS rm_cycle (
        cycle_id TEXT PRIMARY KEY, tenant TEXT NOT NULL, year INTEGER NOT NULL,
        title TEXT NOT NULL, plan_reference TEXT NOT NULL, deadlines TEXT NOT NULL,
        content_groups TEXT NOT NULL, version INTEGER NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS rm_unit (
        unit_id TEXT PRIMARY KEY, tenant TEXT NOT NULL, code TEXT NOT NULL, name TEXT NOT NULL,
        kind TEXT NOT NULL, parent_id TEXT, names TEXT NOT NULL, valid_from TEXT,
        valid_to TEXT, successor_id TEXT, split_from TEXT, version INTEGER NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS rm_board (
        assessment_id TEXT PRIMARY KEY, tenant TEXT NOT NULL, cycle_id TEXT NOT NULL,
        unit_id TEXT NOT NULL, year INTEGER NOT NULL, steps TEXT NOT NULL, levels TEXT NOT NULL,
        recognised_level TEXT, recognition TEXT, flags TEXT NOT NULL,
        version INTEGER NOT NULL, updated_at TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS rm_board_cycle ON rm_board (tenant, cycle_id)",
    """CREATE TABLE IF NOT EXISTS rm_offsets (
        consumer TEXT NOT NULL, topic TEXT NOT NULL, part INTEGER NOT NULL,
        next_offset BIGINT NOT NULL, PRIMARY KEY (consumer, topic, part))""",
    """CREATE TABLE IF NOT EXISTS rm_bus_position (
        consumer TEXT PRIMARY KEY, position BIGINT NOT NULL)""",
]

STEP_OF_EVENT = {
    "SectorReviewSubmitted": "sector_review",
    "SelfAssessmentSubmitted": "self_assessment",
    "MemberReviewSubmitted": "member_review",
    "Consolidated": "consolidation",
    "CaucusReviewed": "caucus_review",
    "Recognised": "recognition",
    "Published": "publication",
}
MULTI_SOURCE = {"sector_review", "member_review"}


def create_schema(tx: Tx) -> None:
    for statement in SCHEMA:
        tx.execute(statement)


# ----------------------------------------------------------------------------- projection
# A batch is folded in memory: the rows it touches are read with one query per table, every
# envelope is applied to its row (pure functions below), and each changed row is written
# once. One envelope is the batch of one. Rows carry the version they reflect: an envelope at
# or below it is a duplicate or a replay and changes nothing.

Row = dict[str, Any]


@dataclass(frozen=True)
class Table:
    name: str
    key: str
    columns: tuple[str, ...]
    json_columns: frozenset[str]


UNITS = Table(
    "rm_unit",
    "unit_id",
    (
        "unit_id",
        "tenant",
        "code",
        "name",
        "kind",
        "parent_id",
        "names",
        "valid_from",
        "valid_to",
        "successor_id",
        "split_from",
        "version",
    ),
    frozenset({"names"}),
)
CYCLES = Table(
    "rm_cycle",
    "cycle_id",
    (
        "cycle_id",
        "tenant",
        "year",
        "title",
        "plan_reference",
        "deadlines",
        "content_groups",
        "version",
    ),
    frozenset({"deadlines", "content_groups"}),
)
BOARDS = Table(
    "rm_board",
    "assessment_id",
    (
        "assessment_id",
        "tenant",
        "cycle_id",
        "unit_id",
        "year",
        "steps",
        "levels",
        "recognised_level",
        "recognition",
        "flags",
        "version",
        "updated_at",
    ),
    frozenset({"steps", "levels", "recognition", "flags"}),
)


def _event(env: Envelope) -> str:
    return env.type.rsplit(".", 1)[-1]


def fold_unit(row: Row | None, env: Envelope) -> Row | None:
    """The unit row after ``env``, or None when ``env`` changes nothing."""
    p, event = env.payload, _event(env)
    if event == "Registered":
        if row is not None:
            return None
        return {
            "unit_id": env.aggregate_id,
            "tenant": env.tenant,
            "code": p["code"],
            "name": p["name"],
            "kind": p["kind"],
            "parent_id": p.get("parent_id"),
            "names": [{"name": p["name"], "from": p.get("valid_from")}],
            "valid_from": p.get("valid_from"),
            "valid_to": None,
            "successor_id": None,
            "split_from": p.get("split_from"),
            "version": env.aggregate_version,
        }
    if row is None:
        log.warning("unit %s: %s before Registered; skipped", env.aggregate_id, event)
        return None
    if env.aggregate_version <= row["version"]:
        return None
    row = dict(row, version=env.aggregate_version)
    if event == "Renamed":
        row["name"] = p["name"]
        row["names"] = [*row["names"], {"name": p["name"], "from": p.get("effective_date")}]
    elif event == "MergedInto":
        row["successor_id"], row["valid_to"] = p["successor_id"], p["effective_date"]
    elif event == "Dissolved":
        row["valid_to"] = p["effective_date"]
    return row


def fold_cycle(row: Row | None, env: Envelope) -> Row | None:
    p, event = env.payload, _event(env)
    if event == "Planned":
        if row is not None:
            return None
        return {
            "cycle_id": env.aggregate_id,
            "tenant": env.tenant,
            "year": p["year"],
            "title": p["title"],
            "plan_reference": p["plan_reference"],
            "deadlines": dict(p["deadlines"]),
            "content_groups": p["content_groups"],
            "version": env.aggregate_version,
        }
    if row is None:
        log.warning("cycle %s: %s before Planned; skipped", env.aggregate_id, event)
        return None
    if env.aggregate_version <= row["version"]:
        return None
    row = dict(row, version=env.aggregate_version)
    if event == "DeadlineChanged":
        row["deadlines"] = {**row["deadlines"], p["step"]: p["deadline"]}
    return row


def fold_board(row: Row | None, env: Envelope) -> Row | None:
    p, event = env.payload, _event(env)
    if event == "Opened":
        if row is not None:
            return None
        return {
            "assessment_id": env.aggregate_id,
            "tenant": env.tenant,
            "cycle_id": p["cycle_id"],
            "unit_id": p["unit_id"],
            "year": p["year"],
            "steps": {},
            "levels": {},
            "recognised_level": None,
            "recognition": None,
            "flags": {"perfunctory": [], "signals": [], "reopenings": []},
            "version": env.aggregate_version,
            "updated_at": env.recorded_at,
        }
    if row is None:
        log.warning("assessment %s: %s before Opened; skipped", env.aggregate_id, event)
        return None
    if env.aggregate_version <= row["version"]:
        return None
    steps: dict[str, Any] = {
        k: (dict(v) if k in MULTI_SOURCE else v) for k, v in row["steps"].items()
    }
    levels: dict[str, Any] = {
        k: (dict(v) if isinstance(v, dict) else v) for k, v in row["levels"].items()
    }
    flags: dict[str, Any] = {k: list(v) for k, v in row["flags"].items()}
    recognised, recognition = row["recognised_level"], row["recognition"]
    step = STEP_OF_EVENT.get(event)
    if step is not None:
        entry: dict[str, Any] = {
            "submitted_at": env.occurred_at,
            "late_by_seconds": int(p.get("late_by_seconds", 0)),
            "by": env.actor.get("subject"),
        }
        if step in MULTI_SOURCE:
            source = p.get("reviewer_unit_id") or p.get("member") or env.actor.get("subject")
            entry["source"] = source
            if step == "sector_review":
                entry["published"] = bool(p.get("published"))
            steps.setdefault(step, {})[str(source)] = entry
            if p.get("proposed_level"):
                levels.setdefault(step, {})[str(source)] = p["proposed_level"]
        else:
            steps[step] = entry
            level = p.get("level") or p.get("proposed_level")
            if level:
                levels[step] = level
        if event == "SelfAssessmentSubmitted":
            flags["signals"] = list(p.get("perfunctory_signals", []))
        if event == "Recognised":
            recognised = p["level"]
            recognition = {k: p[k] for k in ("decision_number", "decision_date", "signer")}
    elif event == "SectorReviewPublished":
        src = str(p["reviewer_unit_id"])
        if src in steps.get("sector_review", {}):
            steps["sector_review"][src] = {**steps["sector_review"][src], "published": True}
    elif event == "LevelAdjusted":
        levels["adjusted"] = p["to_level"]
    elif event == "FlaggedPerfunctory":
        flags.setdefault("perfunctory", []).append({"reason": p["reason"], "at": env.occurred_at})
    elif event == "StepReopened":
        for cleared in p["cleared_steps"]:
            steps.pop(cleared, None)
            levels.pop(cleared, None)
            if cleared == "caucus_review":
                levels.pop("adjusted", None)
            if cleared == "recognition":
                recognised, recognition = None, None
            if cleared == "self_assessment":
                flags["signals"] = []
        flags.setdefault("reopenings", []).append(
            {"step": p["step"], "reason": p["reason"], "at": env.occurred_at}
        )
    return dict(
        row,
        steps=steps,
        levels=levels,
        flags=flags,
        recognised_level=recognised,
        recognition=recognition,
        version=env.aggregate_version,
        updated_at=env.recorded_at,
    )


FOLDS: dict[str, tuple[Table, Any]] = {
    "Unit": (UNITS, fold_unit),
    "Cycle": (CYCLES, fold_cycle),
    "UnitAssessment": (BOARDS, fold_board),
}
_CHUNK = 500


def _load(tx: Tx, table: Table, ids: list[str]) -> dict[str, Row]:
    rows: dict[str, Row] = {}
    cols = ", ".join(table.columns)
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i : i + _CHUNK]
        marks = ", ".join(["%s"] * len(chunk))
        for values in tx.fetchall(
            f"SELECT {cols} FROM {table.name} WHERE {table.key} IN ({marks})",  # noqa: S608
            chunk,
        ):
            row = dict(zip(table.columns, values, strict=True))
            for c in table.json_columns:
                row[c] = json.loads(row[c]) if row[c] is not None else None
            rows[str(row[table.key])] = row
    return rows


def _store(tx: Tx, table: Table, rows: list[Row]) -> None:
    if not rows:
        return
    cols = ", ".join(table.columns)
    marks = ", ".join(["%s"] * len(table.columns))
    updates = ", ".join(f"{c} = excluded.{c}" for c in table.columns if c != table.key)
    sql = (
        f"INSERT INTO {table.name} ({cols}) VALUES ({marks}) "  # noqa: S608
        f"ON CONFLICT ({table.key}) DO UPDATE SET {updates}"
    )
    params = []
    for row in rows:
        params.append(
            tuple(
                (json.dumps(row[c], ensure_ascii=False) if row[c] is not None else None)
                if c in table.json_columns
                else row[c]
                for c in table.columns
            )
        )
    tx.executemany(sql, params)


def apply_many(tx: Tx, envelopes: Sequence[Envelope]) -> tuple[int, int]:
    """Fold a batch of envelopes into the read model: (applied, unchanged)."""
    wanted: dict[str, set[str]] = {}
    for env in envelopes:
        if env.aggregate_type in FOLDS:
            wanted.setdefault(env.aggregate_type, set()).add(env.aggregate_id)
    current: dict[str, dict[str, Row]] = {
        kind: _load(tx, FOLDS[kind][0], sorted(ids)) for kind, ids in wanted.items()
    }
    dirty: dict[str, dict[str, Row]] = {kind: {} for kind in wanted}
    applied = unchanged = 0
    for env in envelopes:
        if env.aggregate_type not in FOLDS:
            unchanged += 1
            continue
        _, fold = FOLDS[env.aggregate_type]
        rows = current[env.aggregate_type]
        new = fold(rows.get(env.aggregate_id), env)
        if new is None:
            unchanged += 1
            continue
        rows[env.aggregate_id] = new
        dirty[env.aggregate_type][env.aggregate_id] = new
        applied += 1
    for kind, rows_by_id in dirty.items():
        _store(tx, FOLDS[kind][0], list(rows_by_id.values()))
    return applied, unchanged


def apply(tx: Tx, env: Envelope) -> bool:
    """Apply one envelope; returns False when it was already reflected (duplicate/replay)."""
    return apply_many(tx, [env])[0] == 1


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


def step_status(step: str, data: Any, deadline: str | None, now: datetime) -> dict[str, Any]:
    """missing / overdue / on_time / late, with the dates behind it."""
    out: dict[str, Any] = {"deadline": deadline}
    if not data:
        overdue = deadline is not None and now >= _deadline_instant(deadline)
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
) -> tuple[dict[str, Any] | None, list[dict[str, Any]], int]:
    now = now or datetime.now(UTC)
    cyc = tx.fetchone(
        "SELECT year, title, plan_reference, deadlines, content_groups FROM rm_cycle "
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
    }
    rows = tx.fetchall(
        """SELECT b.unit_id, u.code, u.name, u.kind, b.steps, b.levels, b.recognised_level,
                  b.recognition, b.flags, b.version, b.updated_at, u.names, u.valid_to
           FROM rm_board b LEFT JOIN rm_unit u ON u.unit_id = b.unit_id
           WHERE b.tenant = %s AND b.cycle_id = %s ORDER BY u.code, b.unit_id""",
        (tenant, cycle_id),
    )
    out = []
    for r in rows:
        steps = json.loads(r[4])
        statuses = {s: step_status(s, steps.get(s), deadlines.get(s), now) for s in STEP_ORDER}
        flags = json.loads(r[8])
        late_steps = [s for s, v in statuses.items() if v["status"] in ("late", "overdue")]
        item = {
            "unit_id": r[0],
            "unit_code": r[1],
            # the unit as it was in the cycle's year (end of year, or when it ended)
            "unit_name": name_on(json.loads(r[11]), min(f"{cycle['year']}-12-31", r[12] or "9999"))
            if r[11]
            else r[2],
            "unit_current_name": r[2],
            "successor": successor_of(tx, r[0]),
            "unit_kind": r[3],
            "steps": statuses,
            "levels": json.loads(r[5]),
            "recognised_level": r[6],
            "recognition": json.loads(r[7]) if r[7] else None,
            "late_steps": late_steps,
            "perfunctory": bool(flags.get("perfunctory")),
            "perfunctory_flags": flags.get("perfunctory", []),
            "perfunctory_signals": flags.get("signals", []),
            "reopenings": flags.get("reopenings", []),
            "version": r[9],
            "updated_at": r[10],
        }
        if status == "late" and not late_steps:
            continue
        if status == "perfunctory" and not (item["perfunctory"] or item["perfunctory_signals"]):
            continue
        if status == "recognised" and not r[6]:
            continue
        out.append(item)
    total = len(out)
    return cycle, out[offset : offset + limit], total


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
