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


def build_ballot_consumer(
    settings: ReportingSettings | None = None, db: SqliteDatabase | PostgresDatabase | None = None
) -> KafkaBoardConsumer:
    """The second consumer of the same read models: ballot results (``ballot.events.v1``) with
    their own group and offsets, stored in the same transaction as the rows they change."""
    settings = settings or ReportingSettings()
    return KafkaBoardConsumer(
        db or build_database(settings),
        settings.kafka_bootstrap,
        settings.ballot_events_topic,
        settings.ballot_consumer_group,
        settings.dlq_topic,
        settings.consumer_batch_size,
    )
