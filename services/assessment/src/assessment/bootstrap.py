"""Composition root: the only place that knows concrete adapters and eventsourcing's env vars."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

from assessment.adapters.group_commit import GroupCommitter
from assessment.adapters.sealer import Sealer
from assessment.application.service import AssessmentApplication, Clock
from shared.audit import CheckpointSigner
from shared.settings import AssessmentSettings
from shared.sql import open_database

# Aggregates stay in memory between commands and are fast-forwarded with the events stored
# since (by this or another process), so a command no longer replays a whole history; reads
# get a deep copy, so a failed command never leaks into the cache.
_CACHE = {
    "AGGREGATE_CACHE_MAXSIZE": "20000",
    "AGGREGATE_CACHE_FASTFORWARD": "y",
    "DEEPCOPY_FROM_AGGREGATE_CACHE": "y",
}


def store_env(settings: AssessmentSettings) -> dict[str, str]:
    """eventsourcing configuration from our settings (never POSTGRES_ENABLE_DB_FUNCTIONS)."""
    if settings.mode == "production" or settings.database_url is not None:
        assert settings.database_url is not None
        url = urlparse(settings.database_url.get_secret_value())
        return {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": url.path.lstrip("/") or "assessment",
            "POSTGRES_HOST": url.hostname or "127.0.0.1",
            "POSTGRES_PORT": str(url.port or 5432),
            "POSTGRES_USER": unquote(url.username or ""),
            "POSTGRES_PASSWORD": unquote(url.password or ""),
            "POSTGRES_POOL_SIZE": "10",
            "POSTGRES_MAX_OVERFLOW": "10",
            "POSTGRES_CONN_MAX_AGE": "600",
            "CREATE_TABLE": "y",
            **_CACHE,
        }
    path = Path(settings.sqlite_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": str(path),
        "SQLITE_LOCK_TIMEOUT": "10",
        "CREATE_TABLE": "y",
        **_CACHE,
    }


def build_application(
    settings: AssessmentSettings | None = None, clock: Clock | None = None
) -> AssessmentApplication:
    settings = settings or AssessmentSettings()
    cls: type[AssessmentApplication] = AssessmentApplication
    if settings.snapshot_interval != AssessmentApplication.DEFAULT_SNAPSHOT_INTERVAL:
        # snapshotting intervals are class-level in eventsourcing: a configured subclass,
        # keeping the name (and so the tables) of the application
        cls = type(
            "AssessmentApplication",
            (AssessmentApplication,),
            {
                "name": AssessmentApplication.name,
                "snapshotting_intervals": dict.fromkeys(
                    AssessmentApplication.snapshotting_intervals, settings.snapshot_interval
                ),
            },
        )
    return cls(env=store_env(settings), clock=clock)


def load_or_create_signing_key(path: Path, *, create: bool) -> CheckpointSigner:
    """The audit checkpoint key: a PEM file outside the database (mode 0600)."""
    return CheckpointSigner.load_or_create(path, create=create, what="audit signing key")


def build_sealer(
    app: AssessmentApplication,
    settings: AssessmentSettings | None = None,
    signer: CheckpointSigner | None = None,
) -> Sealer:
    """Chain tables live in the event store's database; the key comes from a file."""
    settings = settings or AssessmentSettings()
    url = settings.database_url.get_secret_value() if settings.database_url else None
    db = open_database(url, Path(settings.sqlite_path))
    if signer is None and settings.audit_key_file is not None:
        signer = load_or_create_signing_key(
            Path(settings.audit_key_file), create=settings.mode == "embedded"
        )
    return Sealer(
        app,
        db,
        signer,
        every_events=settings.checkpoint_every_events,
        every_seconds=settings.checkpoint_every_seconds,
    )


def start_group_commit(
    app: AssessmentApplication, settings: AssessmentSettings | None = None
) -> GroupCommitter | None:
    """On PostgreSQL, commit concurrent commands together (off on SQLite: one writer)."""
    settings = settings or AssessmentSettings()
    if not settings.group_commit or settings.database_url is None:
        return None
    committer = GroupCommitter(app.save, max_batch=settings.group_commit_max_batch)
    committer.start()
    app.use_committer(committer.save)
    return committer
