"""Composition root: the only place that knows concrete adapters and eventsourcing's env vars."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from eventsourcing.postgres import PostgresDatastore

from assessment.adapters.as_of_cache import AsOfCache
from assessment.adapters.as_of_rows import install_snapshot_and_events
from assessment.adapters.event_tags import load_or_create_tag_key, mapper_class_for
from assessment.adapters.events_of import install_events_of
from assessment.adapters.existing import install_existing_ids
from assessment.adapters.group_commit import GroupCommitter
from assessment.adapters.rendered_sql import install_rendered_statements
from assessment.adapters.sealer import Sealer
from assessment.adapters.snapshot_store import CheckedSnapshotStore
from assessment.adapters.store_guard import guard_datastore, use_lock_function
from assessment.application.service import AssessmentApplication, Clock
from shared.audit import CheckpointSigner, load_public_key
from shared.settings import AssessmentSettings
from shared.sql import check_when_suspect, open_database, reconnect_promptly

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
            # fail fast in an outage: wait at most this long for a pooled connection, and
            # check a pooled connection before handing it out (stale after a restart)
            "POSTGRES_CONNECT_TIMEOUT": str(settings.database_connect_timeout),
            "POSTGRES_PRE_PING": "y",
            "CREATE_TABLE": "y" if settings.create_tables else "n",
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


def event_tag_key(settings: AssessmentSettings) -> bytes | None:
    """The key tagging every stored event (a file, never in the database).

    Embedded mode makes one beside the SQLite file when none is configured; production uses
    ``ASSESSMENT_EVENT_KEY_FILE`` and never makes one (a new key would refuse every row)."""
    path = settings.event_key_file
    if path is None:
        if settings.mode == "production" or settings.database_url is not None:
            return None
        path = Path(settings.sqlite_path).parent / "keys" / "assessment-event-tag.key"
    return load_or_create_tag_key(Path(path), create=settings.mode == "embedded")


def build_application(
    settings: AssessmentSettings | None = None, clock: Clock | None = None
) -> AssessmentApplication:
    settings = settings or AssessmentSettings()
    attrs: dict[str, Any] = {}
    if settings.snapshot_interval != AssessmentApplication.DEFAULT_SNAPSHOT_INTERVAL:
        # snapshotting intervals are class-level in eventsourcing
        attrs["snapshotting_intervals"] = dict.fromkeys(
            AssessmentApplication.snapshotting_intervals, settings.snapshot_interval
        )
    key = event_tag_key(settings)
    mapper_class = mapper_class_for(key)  # without a key it still reads tagged rows

    def construct_mapper(self: AssessmentApplication) -> Any:
        return self.factory.mapper(
            transcoder=self.construct_transcoder(), mapper_class=mapper_class
        )

    def construct_snapshot_store(self: AssessmentApplication) -> Any:
        # snapshots checked on read like events: a forged one is skipped, never loaded
        recorder = self.factory.aggregate_recorder(purpose="snapshots")
        return CheckedSnapshotStore(self.mapper, recorder, key)

    attrs["construct_mapper"] = construct_mapper
    attrs["construct_snapshot_store"] = construct_snapshot_store
    # a configured subclass keeping the name (and so the tables) of the application
    cls: type[AssessmentApplication] = type(
        "AssessmentApplication",
        (AssessmentApplication,),
        {"name": AssessmentApplication.name, **attrs},
    )
    if settings.database_url is not None:
        reconnect_promptly()
    app = cls(env=store_env(settings), clock=clock)
    app.event_tag_key = key  # type: ignore[attr-defined]
    datastore = getattr(app.recorder, "datastore", None)
    if isinstance(datastore, PostgresDatastore):
        app.store_circuit = guard_datastore(  # type: ignore[attr-defined]
            datastore, connect_timeout=settings.database_connect_timeout
        )
        if not settings.create_tables:
            use_lock_function(app.recorder)
        install_existing_ids(app.recorder)
        install_events_of(app.recorder)
        install_rendered_statements(app.recorder)
        snapshots = getattr(app, "snapshots", None)
        if snapshots is not None:
            install_rendered_statements(snapshots.recorder)
            if install_snapshot_and_events(app.recorder, snapshots.recorder) and (
                settings.as_of_cache_mb > 0
            ):
                app.as_of_cache = AsOfCache(  # type: ignore[attr-defined]
                    app.recorder.snapshot_and_events,  # type: ignore[attr-defined]
                    max_bytes=settings.as_of_cache_mb << 20,
                    ahead=settings.snapshot_interval,
                )
    return app


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
    db = open_database(
        url,
        Path(settings.sqlite_path),
        connect_timeout=settings.database_connect_timeout,
        # a few transactions per relay batch: no ping for a quiet pooled connection (the
        # event store's pool does the same, ``store_guard``)
        check=check_when_suspect,
    )
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
        tag_key=getattr(app, "event_tag_key", None),
        create_schema=settings.create_tables,
        public_key=(
            load_public_key(Path(settings.audit_public_key_file).read_bytes())
            if settings.audit_public_key_file is not None
            else None
        ),
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
