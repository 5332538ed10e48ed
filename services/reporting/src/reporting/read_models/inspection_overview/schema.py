"""The inspection overview's tables: one row per work register, per inspection, per plan."""

from __future__ import annotations

from reporting.adapters.db import Tx
from reporting.read_models.rows import Table

# bump on any change: the read model is dropped and replayed (2: event refs on findings,
# the plan's history of status events, the persons inspected)
SCHEMA_VERSION = 2
TABLES = ("rm_insp_register", "rm_insp_inspection", "rm_remediation_plan")
INDEXES = {
    "rm_insp_register_tenant": ("rm_insp_register", "(tenant, unit_id)"),
    "rm_insp_inspection_tenant": ("rm_insp_inspection", "(tenant)"),
    "rm_remediation_plan_tenant": ("rm_remediation_plan", "(tenant, status)"),
}

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS rm_insp_register (
        register_id TEXT PRIMARY KEY, tenant TEXT NOT NULL, inspection_id TEXT NOT NULL,
        unit_id TEXT NOT NULL, as_of TEXT, by_person TEXT NOT NULL, version INTEGER NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS rm_insp_inspection (
        inspection_id TEXT PRIMARY KEY, tenant TEXT NOT NULL, title TEXT NOT NULL,
        decision TEXT NOT NULL, year INTEGER NOT NULL, status TEXT NOT NULL,
        findings TEXT NOT NULL, persons TEXT NOT NULL, version INTEGER NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS rm_remediation_plan (
        plan_id TEXT PRIMARY KEY, tenant TEXT NOT NULL, title TEXT NOT NULL,
        source TEXT NOT NULL, subject TEXT NOT NULL, owner TEXT NOT NULL,
        follow_up_officer TEXT NOT NULL, status TEXT NOT NULL, milestones TEXT NOT NULL,
        escalated INTEGER NOT NULL, closed_on TEXT, events TEXT NOT NULL,
        version INTEGER NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS rm_insp_register_tenant ON rm_insp_register (tenant, unit_id)",
    "CREATE INDEX IF NOT EXISTS rm_insp_inspection_tenant ON rm_insp_inspection (tenant)",
    "CREATE INDEX IF NOT EXISTS rm_remediation_plan_tenant ON rm_remediation_plan (tenant, status)",
]


def create_schema(tx: Tx) -> None:
    for statement in SCHEMA:
        tx.execute(statement)


REGISTERS = Table(
    "rm_insp_register",
    "register_id",
    ("register_id", "tenant", "inspection_id", "unit_id", "as_of", "by_person", "version"),
    frozenset({"by_person"}),
)
INSPECTIONS = Table(
    "rm_insp_inspection",
    "inspection_id",
    (
        "inspection_id",
        "tenant",
        "title",
        "decision",
        "year",
        "status",
        "findings",
        "persons",
        "version",
    ),
    frozenset({"decision", "findings", "persons"}),
)
PLANS = Table(
    "rm_remediation_plan",
    "plan_id",
    (
        "plan_id",
        "tenant",
        "title",
        "source",
        "subject",
        "owner",
        "follow_up_officer",
        "status",
        "milestones",
        "escalated",
        "closed_on",
        "events",
        "version",
    ),
    frozenset({"source", "subject", "milestones", "events"}),
)
