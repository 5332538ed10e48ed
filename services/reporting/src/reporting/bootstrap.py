"""Composition root of the reporting service."""

from __future__ import annotations

from reporting.adapters.db import PostgresDatabase, SqliteDatabase, open_database
from reporting.consumer.runner import KafkaBoardConsumer, ensure_schema
from shared.settings import ReportingSettings


def build_database(settings: ReportingSettings | None = None) -> SqliteDatabase | PostgresDatabase:
    settings = settings or ReportingSettings()
    url = settings.database_url.get_secret_value() if settings.database_url else None
    db = open_database(url, settings.sqlite_path, connect_timeout=settings.database_connect_timeout)
    ensure_schema(db)
    return db


def build_consumer(
    settings: ReportingSettings | None = None, db: SqliteDatabase | PostgresDatabase | None = None
) -> KafkaBoardConsumer:
    settings = settings or ReportingSettings()
    return KafkaBoardConsumer(
        db or build_database(settings),
        settings.kafka_bootstrap,
        settings.events_topic,
        settings.consumer_group,
        settings.dlq_topic,
        settings.consumer_batch_size,
    )
