"""The individual ratings' tables: people (what reports name), ratings, quotas, the tenant's
quota settings, and the log of reads of a person's history by others."""

from __future__ import annotations

from reporting.adapters.db import Tx
from reporting.read_models.rows import Table

SCHEMA_VERSION = 1  # bump on any change: the read model is dropped and replayed
TABLES = ("rm_ind_person", "rm_ind_rating", "rm_ind_quota", "rm_ind_settings", "rm_ind_reads")
INDEXES = {
    "rm_ind_rating_agency": ("rm_ind_rating", "(tenant, agency_id, year)"),
    "rm_ind_rating_person": ("rm_ind_rating", "(tenant, person_id)"),
}

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS rm_ind_person (
        person_id TEXT PRIMARY KEY, tenant TEXT NOT NULL, code TEXT NOT NULL,
        full_name TEXT NOT NULL, category TEXT NOT NULL, agency_id TEXT NOT NULL,
        position TEXT NOT NULL, account TEXT, version INTEGER NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS rm_ind_rating (
        rating_id TEXT PRIMARY KEY, tenant TEXT NOT NULL, person_id TEXT NOT NULL,
        agency_id TEXT NOT NULL, year INTEGER NOT NULL, side TEXT NOT NULL,
        category TEXT NOT NULL, position TEXT NOT NULL, task_group TEXT NOT NULL,
        rule_set TEXT NOT NULL, steps TEXT NOT NULL, decided INTEGER NOT NULL, level TEXT,
        score TEXT, decision TEXT, unit_level TEXT, late INTEGER NOT NULL,
        late_by_days INTEGER NOT NULL, redone TEXT NOT NULL, notified INTEGER NOT NULL,
        published INTEGER NOT NULL, version INTEGER NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS rm_ind_quota (
        quota_id TEXT PRIMARY KEY, tenant TEXT NOT NULL, agency_id TEXT NOT NULL,
        task_group TEXT NOT NULL, year INTEGER NOT NULL, side TEXT NOT NULL,
        levels TEXT NOT NULL, override TEXT, version INTEGER NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS rm_ind_settings (
        settings_id TEXT PRIMARY KEY, tenant TEXT NOT NULL, values_json TEXT NOT NULL,
        version INTEGER NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS rm_ind_reads (
        read_id TEXT PRIMARY KEY, tenant TEXT NOT NULL, person_id TEXT NOT NULL,
        reader TEXT NOT NULL, role TEXT NOT NULL, unit TEXT, read_at TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS rm_ind_rating_agency ON rm_ind_rating (tenant, agency_id, year)",
    "CREATE INDEX IF NOT EXISTS rm_ind_rating_person ON rm_ind_rating (tenant, person_id)",
]


def create_schema(tx: Tx) -> None:
    for statement in SCHEMA:
        tx.execute(statement)


PEOPLE = Table(
    "rm_ind_person",
    "person_id",
    (
        "person_id",
        "tenant",
        "code",
        "full_name",
        "category",
        "agency_id",
        "position",
        "account",
        "version",
    ),
    frozenset(),
)
RATINGS = Table(
    "rm_ind_rating",
    "rating_id",
    (
        "rating_id",
        "tenant",
        "person_id",
        "agency_id",
        "year",
        "side",
        "category",
        "position",
        "task_group",
        "rule_set",
        "steps",
        "decided",
        "level",
        "score",
        "decision",
        "unit_level",
        "late",
        "late_by_days",
        "redone",
        "notified",
        "published",
        "version",
    ),
    frozenset({"steps", "decision", "redone"}),
)
QUOTAS = Table(
    "rm_ind_quota",
    "quota_id",
    (
        "quota_id",
        "tenant",
        "agency_id",
        "task_group",
        "year",
        "side",
        "levels",
        "override",
        "version",
    ),
    frozenset({"levels", "override"}),
)
SETTINGS = Table(
    "rm_ind_settings",
    "settings_id",
    ("settings_id", "tenant", "values_json", "version"),
    frozenset({"values_json"}),
)
