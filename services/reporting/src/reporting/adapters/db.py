"""Read-model databases: the shared SQL adapters (PostgreSQL and SQLite, one dialect of SQL)."""

from __future__ import annotations

from shared.sql import Database, PostgresDatabase, SqliteDatabase, Tx, open_database

__all__ = ["Database", "PostgresDatabase", "SqliteDatabase", "Tx", "open_database"]
