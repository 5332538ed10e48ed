"""Tables of the CCHC read model: one row per criteria set, per unit's scoring year (its
per-criterion figures as JSON), per ranking decision."""

from __future__ import annotations

from reporting.adapters.db import Tx
from reporting.read_models.rows import Table

SCHEMA_VERSION = 1
TABLES = ("rm_cchc_set", "rm_cchc_scoring", "rm_cchc_ranking")
INDEXES = {
    "rm_cchc_scoring_year": ("rm_cchc_scoring", "(tenant, year, block)"),
    "rm_cchc_ranking_year": ("rm_cchc_ranking", "(tenant, year, block)"),
}

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS rm_cchc_set (
        set_id TEXT PRIMARY KEY, tenant TEXT NOT NULL, year INTEGER NOT NULL,
        block TEXT NOT NULL, set_version INTEGER NOT NULL, title TEXT NOT NULL,
        nodes TEXT NOT NULL, total_points TEXT NOT NULL, publication TEXT,
        version INTEGER NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS rm_cchc_scoring (
        scoring_id TEXT PRIMARY KEY, tenant TEXT NOT NULL, unit_id TEXT NOT NULL,
        year INTEGER NOT NULL, block TEXT NOT NULL, set_id TEXT NOT NULL, status TEXT NOT NULL,
        scores TEXT NOT NULL, version INTEGER NOT NULL, updated_at TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS rm_cchc_ranking (
        ranking_id TEXT PRIMARY KEY, tenant TEXT NOT NULL, year INTEGER NOT NULL,
        block TEXT NOT NULL, set_id TEXT NOT NULL, survey_held INTEGER NOT NULL,
        decision TEXT NOT NULL, rows TEXT NOT NULL, publish_at TEXT, published_at TEXT,
        version INTEGER NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS rm_cchc_scoring_year ON rm_cchc_scoring (tenant, year, block)",
    "CREATE INDEX IF NOT EXISTS rm_cchc_ranking_year ON rm_cchc_ranking (tenant, year, block)",
]


def create_schema(tx: Tx) -> None:
    for statement in SCHEMA:
        tx.execute(statement)


SETS = Table(
    "rm_cchc_set",
    "set_id",
    ("set_id", "tenant", "year", "block", "set_version", "title", "nodes", "total_points",
     "publication", "version"),
    frozenset({"nodes", "publication"}),
)  # fmt: skip
SCORINGS = Table(
    "rm_cchc_scoring",
    "scoring_id",
    ("scoring_id", "tenant", "unit_id", "year", "block", "set_id", "status", "scores",
     "version", "updated_at"),
    frozenset({"scores"}),
)  # fmt: skip
RANKINGS = Table(
    "rm_cchc_ranking",
    "ranking_id",
    ("ranking_id", "tenant", "year", "block", "set_id", "survey_held", "decision", "rows",
     "publish_at", "published_at", "version"),
    frozenset({"decision", "rows"}),
)  # fmt: skip
