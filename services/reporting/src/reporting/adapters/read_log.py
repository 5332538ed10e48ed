"""Reads of officials' personal data (a head's ballot results, their report) are recorded:
who, in which role and for which unit, read which report about whom, when. The table is not a
read model (no rebuild drops it)."""

from __future__ import annotations

from datetime import UTC, datetime

from reporting.adapters.db import Database
from shared.identity import Caller

SCHEMA = """CREATE TABLE IF NOT EXISTS report_reads (
    at TEXT NOT NULL, tenant TEXT NOT NULL, subject TEXT NOT NULL, role TEXT NOT NULL,
    acting_for TEXT, report TEXT NOT NULL, target TEXT NOT NULL, person TEXT, as_of TEXT)"""


def record_read(
    db: Database, caller: Caller, report: str, target: str, person: str | None, as_of: str
) -> None:
    with db.transaction() as tx:
        tx.execute(SCHEMA)
        tx.execute(
            "INSERT INTO report_reads (at, tenant, subject, role, acting_for, report, target, "
            "person, as_of) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (
                datetime.now(UTC).isoformat(),
                caller.tenant,
                caller.subject,
                caller.role,
                caller.acting_for,
                report,
                target,
                person,
                as_of,
            ),
        )


def reads(db: Database, tenant: str) -> list[dict[str, str | None]]:
    with db.transaction() as tx:
        tx.execute(SCHEMA)
        rows = tx.fetchall(
            "SELECT at, subject, role, report, target, person FROM report_reads "
            "WHERE tenant = %s ORDER BY at",
            (tenant,),
        )
    keys = ("at", "subject", "role", "report", "target", "person")
    return [dict(zip(keys, r, strict=True)) for r in rows]
