"""The cycle board's tables: its SQL, its version, the row shapes the projection folds."""

from __future__ import annotations

from reporting.adapters.db import Tx
from reporting.read_models.rows import Table

SCHEMA_VERSION = 3  # bump on any change: the read model is dropped and replayed
TABLES = ("rm_cycle", "rm_unit", "rm_board", "rm_assignment")
INDEXES = {"rm_board_cycle": ("rm_board", "(tenant, cycle_id)")}

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS rm_cycle (
        cycle_id TEXT PRIMARY KEY, tenant TEXT NOT NULL, year INTEGER NOT NULL,
        title TEXT NOT NULL, plan_reference TEXT NOT NULL, deadlines TEXT NOT NULL,
        content_groups TEXT NOT NULL, deadline_changes TEXT, version INTEGER NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS rm_unit (
        unit_id TEXT PRIMARY KEY, tenant TEXT NOT NULL, code TEXT NOT NULL, name TEXT NOT NULL,
        kind TEXT NOT NULL, parent_id TEXT, names TEXT NOT NULL, valid_from TEXT,
        valid_to TEXT, successor_id TEXT, split_from TEXT, version INTEGER NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS rm_board (
        assessment_id TEXT PRIMARY KEY, tenant TEXT NOT NULL, cycle_id TEXT NOT NULL,
        unit_id TEXT NOT NULL, year INTEGER NOT NULL, steps TEXT NOT NULL, levels TEXT NOT NULL,
        recognised_level TEXT, recognition TEXT, flags TEXT NOT NULL,
        version INTEGER NOT NULL, updated_at TEXT NOT NULL)""",
    # assignments (seed 001): which agency (sector_management, holder = its unit id) or PC
    # member (pc_oversight, holder = the member's subject) reviews which units, with dates
    """CREATE TABLE IF NOT EXISTS rm_assignment (
        assignments_id TEXT PRIMARY KEY, tenant TEXT NOT NULL, kind TEXT NOT NULL,
        holder TEXT NOT NULL, grants TEXT NOT NULL, version INTEGER NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS rm_board_cycle ON rm_board (tenant, cycle_id)",
]


def create_schema(tx: Tx) -> None:
    for statement in SCHEMA:
        tx.execute(statement)


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
        "deadline_changes",
        "version",
    ),
    frozenset({"deadlines", "content_groups", "deadline_changes"}),
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
ASSIGNMENTS = Table(
    "rm_assignment",
    "assignments_id",
    ("assignments_id", "tenant", "kind", "holder", "grants", "version"),
    frozenset({"grants"}),
)
