"""The assessment database's schema, made by its owner role; the service gets least privilege.

``migrate`` runs as the owner (``ASSESSMENT_OWNER_DATABASE_URL``): it creates the event store's
tables (eventsourcing's own statements), the audit chain tables, the append-only triggers and
the insert-lock function, then grants the service role (the user of
``ASSESSMENT_DATABASE_URL``) only what it needs:

- ``assessment_events``, ``assessment_snapshots``, ``audit_chain``, ``audit_checkpoints``:
  SELECT, INSERT;
- ``audit_seal_state`` (the sealer's cursor): SELECT, INSERT, UPDATE;
- ``evidence_blob`` (evidence files, content-addressed): SELECT, INSERT.

No UPDATE, DELETE or TRUNCATE on what is append-only, by privilege *and* by trigger (the
triggers stop the owner too). The event store's insert lock (``LOCK … IN EXCLUSIVE MODE``,
which only a role with UPDATE/DELETE/TRUNCATE may take) is a ``SECURITY DEFINER`` function.
"""

from __future__ import annotations

import logging
from typing import Any

import psycopg
from psycopg import sql

from assessment.adapters.evidence_store import SCHEMA as EVIDENCE_SCHEMA
from assessment.adapters.sealer import SCHEMA as AUDIT_SCHEMA
from assessment.adapters.store_guard import LOCK_FUNCTION

log = logging.getLogger("congvu.migrate")

EVENTS_TABLE = "assessment_events"
APPEND_ONLY = ("assessment_events", "assessment_snapshots", "audit_chain", "audit_checkpoints")
INSERT_SELECT = APPEND_ONLY
CURSOR_TABLES = ("audit_seal_state",)
CONTENT_TABLES = ("evidence_blob",)

_GUARD_FUNCTION = """
CREATE OR REPLACE FUNCTION congvu_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'congvu: % on %.% refused: the table is append-only',
    TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$"""

_LOCK_FUNCTION = f"""
CREATE OR REPLACE FUNCTION public.{LOCK_FUNCTION}() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  LOCK TABLE public.{EVENTS_TABLE} IN EXCLUSIVE MODE;
END $$"""


def _statements(app_role: str) -> list[Any]:
    role = sql.Identifier(app_role)
    out: list[Any] = [sql.SQL(_GUARD_FUNCTION), sql.SQL(_LOCK_FUNCTION)]
    for table in APPEND_ONLY:
        name = sql.Identifier(table)
        for suffix, when in (
            ("append_only", "BEFORE UPDATE OR DELETE ON {t} FOR EACH ROW"),
            ("no_truncate", "BEFORE TRUNCATE ON {t} FOR EACH STATEMENT"),
        ):
            trigger = sql.Identifier(f"{table}_{suffix}")
            out.append(sql.SQL("DROP TRIGGER IF EXISTS {tr} ON {t}").format(tr=trigger, t=name))
            out.append(
                sql.SQL(
                    "CREATE TRIGGER {tr} " + when + " EXECUTE FUNCTION congvu_append_only()"
                ).format(tr=trigger, t=name)
            )
    out += [
        sql.SQL("REVOKE CREATE ON SCHEMA public FROM PUBLIC"),
        sql.SQL("GRANT USAGE ON SCHEMA public TO {r}").format(r=role),
        sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {r}").format(r=role),
        sql.SQL("GRANT SELECT, INSERT ON {ts} TO {r}").format(
            ts=sql.SQL(", ").join(sql.Identifier(t) for t in INSERT_SELECT), r=role
        ),
        sql.SQL("GRANT SELECT, INSERT ON {ts} TO {r}").format(
            ts=sql.SQL(", ").join(sql.Identifier(t) for t in CONTENT_TABLES), r=role
        ),
        sql.SQL("GRANT SELECT, INSERT, UPDATE ON {ts} TO {r}").format(
            ts=sql.SQL(", ").join(sql.Identifier(t) for t in CURSOR_TABLES), r=role
        ),
        sql.SQL("GRANT USAGE ON SEQUENCE {s} TO {r}").format(
            s=sql.Identifier(f"{EVENTS_TABLE}_notification_id_seq"), r=role
        ),
        sql.SQL("REVOKE ALL ON FUNCTION public.{f}() FROM PUBLIC").format(
            f=sql.Identifier(LOCK_FUNCTION)
        ),
        sql.SQL("GRANT EXECUTE ON FUNCTION public.{f}() TO {r}").format(
            f=sql.Identifier(LOCK_FUNCTION), r=role
        ),
    ]
    return out


def migrate(owner_url: str, app_role: str) -> None:
    """Create or update the schema as the owner and grant ``app_role`` least privilege."""
    from pydantic import SecretStr

    from assessment.bootstrap import build_application
    from shared.settings import AssessmentSettings

    owner = AssessmentSettings(
        mode="production", database_url=SecretStr(owner_url), create_tables=True
    )
    build_application(owner).close()  # eventsourcing's CREATE TABLE statements, as owner
    with psycopg.connect(owner_url, autocommit=False) as conn:
        for statement in AUDIT_SCHEMA:
            conn.execute(statement)
        conn.execute(EVIDENCE_SCHEMA.format(blob="BYTEA"))
        for statement in _statements(app_role):
            conn.execute(statement)
        conn.commit()
    log.info("schema ready; role %s has least privilege on the event tables", app_role)
