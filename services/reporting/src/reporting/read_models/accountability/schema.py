"""The accountability read model's tables: its SQL, its version, the row shapes."""

from __future__ import annotations

from reporting.adapters.db import Tx
from reporting.read_models.rows import Table

SCHEMA_VERSION = 1  # bump on any change: the read model is dropped and replayed
TABLES = ("rm_acc_assessment", "rm_acc_ballot")
INDEXES = {
    "rm_acc_assessment_cycle": ("rm_acc_assessment", "(tenant, cycle_id)"),
    "rm_acc_ballot_unit": ("rm_acc_ballot", "(tenant, unit)"),
}

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS rm_acc_assessment (
        assessment_id TEXT PRIMARY KEY, tenant TEXT NOT NULL, cycle_id TEXT NOT NULL,
        unit_id TEXT NOT NULL, year INTEGER NOT NULL, sources TEXT NOT NULL,
        history TEXT NOT NULL, version INTEGER NOT NULL, as_of TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS rm_acc_ballot (
        election_id TEXT PRIMARY KEY, tenant TEXT NOT NULL, unit TEXT NOT NULL,
        title TEXT NOT NULL, scale TEXT NOT NULL, persons TEXT NOT NULL, opens_at TEXT,
        closes_at TEXT, status TEXT NOT NULL, result TEXT, events TEXT NOT NULL,
        version INTEGER NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS rm_acc_assessment_cycle ON rm_acc_assessment (tenant, cycle_id)",
    "CREATE INDEX IF NOT EXISTS rm_acc_ballot_unit ON rm_acc_ballot (tenant, unit)",
]


def create_schema(tx: Tx) -> None:
    for statement in SCHEMA:
        tx.execute(statement)


ASSESSMENTS = Table(
    "rm_acc_assessment",
    "assessment_id",
    (
        "assessment_id",
        "tenant",
        "cycle_id",
        "unit_id",
        "year",
        "sources",
        "history",
        "version",
        "as_of",
    ),
    frozenset({"sources", "history"}),
)
BALLOTS = Table(
    "rm_acc_ballot",
    "election_id",
    (
        "election_id",
        "tenant",
        "unit",
        "title",
        "scale",
        "persons",
        "opens_at",
        "closes_at",
        "status",
        "result",
        "events",
        "version",
    ),
    frozenset({"persons", "result", "events"}),
)
