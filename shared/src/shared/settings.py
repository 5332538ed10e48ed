"""Validated settings, one object per service, read from prefixed environment variables.

Nothing is read at import time: call ``AssessmentSettings()`` / ``ReportingSettings()`` in a
bootstrap function. The same field names are checked against docker-compose.yml by a test.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

Mode = Literal["embedded", "production"]

_PLACEHOLDER_PASSWORDS = {"changethis", "change-me", "password"}


def _check_url(url: SecretStr | None) -> SecretStr | None:
    if url is None:
        return None
    raw = url.get_secret_value()
    if not raw.startswith(("postgresql://", "postgres://")):
        raise ValueError("must be a postgresql:// URL")
    return url


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    mode: Mode = "embedded"
    database_url: SecretStr | None = None
    sqlite_path: Path = Path("var/congvu.sqlite")
    kafka_bootstrap: str = "127.0.0.1:19092"
    log_level: str = "INFO"
    log_json: bool = False

    @field_validator("database_url")
    @classmethod
    def _valid_url(cls, value: SecretStr | None) -> SecretStr | None:
        return _check_url(value)

    @model_validator(mode="after")
    def _production_needs_database(self) -> ServiceSettings:
        if self.mode == "production":
            if self.database_url is None:
                raise ValueError("database_url is required in production mode")
            raw = self.database_url.get_secret_value()
            if any(f":{p}@" in raw for p in _PLACEHOLDER_PASSWORDS):
                raise ValueError("database_url uses a placeholder password")
        return self


class AssessmentSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="ASSESSMENT_", extra="ignore", frozen=True)

    sqlite_path: Path = Path("var/assessment.sqlite")
    events_topic: str = "assessment.events.v1"
    position_topic: str = "assessment.relay-position"
    relay_transactional_id: str = "assessment-relay"
    relay_batch_size: int = 500
    # a relay in its own process is woken by PostgreSQL (LISTEN on the store's NOTIFY,
    # shared.pg_listen) and then polls only every relay_fallback_poll_seconds; while the
    # LISTEN connection is down, or with relay_listen false, it polls every relay_poll_seconds
    # (0.05 s keeps store→read model p99 under 100 ms at 500 events/s, bench/relay_lag.py)
    relay_poll_seconds: float = 0.05
    relay_listen: bool = True
    relay_fallback_poll_seconds: float = 2.0
    # read and seal the next batch while the current one is being published to Kafka (one
    # batch published at a time, in order, as before); false: read, then publish, then read
    relay_read_ahead: bool = True
    snapshot_interval: int = Field(default=100, ge=2, le=100_000)
    # the audit's as-of reads keep what they fetched (stored rows never change: append-only),
    # up to this many MiB of stored rows per process (0: off; ``adapters/as_of_cache``)
    as_of_cache_mb: int = Field(default=32, ge=0, le=4096)
    group_commit: bool = True
    group_commit_max_batch: int = Field(default=200, ge=1, le=5000)
    audit_key_file: Path | None = None
    # the API's copy of the checkpoint *public* key (PEM), when it does not hold the private
    # key (compose: only the relay signs)
    audit_public_key_file: Path | None = None
    checkpoints_topic: str = "audit.checkpoints.v1"
    checkpoint_every_events: int = 1000
    checkpoint_every_seconds: float = 60.0
    # HMAC key (file, never in the database) tagging every stored event; the sealer refuses
    # an untagged or wrongly tagged row. Embedded: made beside the SQLite file when unset.
    event_key_file: Path | None = None
    # false: the service connects with a least-privilege role (INSERT/SELECT on its event
    # tables) and never creates tables; ``python -m assessment.entrypoints.migrate`` does,
    # as the owner role of ``owner_database_url``
    create_tables: bool = True
    owner_database_url: SecretStr | None = None
    # fail fast during a database outage: connect and pool waits (seconds)
    database_connect_timeout: int = Field(default=2, ge=1, le=30)

    @field_validator("owner_database_url")
    @classmethod
    def _valid_owner_url(cls, value: SecretStr | None) -> SecretStr | None:
        return _check_url(value)


class ReportingSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="REPORTING_", extra="ignore", frozen=True)

    sqlite_path: Path = Path("var/reporting.sqlite")
    events_topic: str = "assessment.events.v1"
    dlq_topic: str = "reporting.dlq.v1"
    consumer_group: str = "reporting-board"
    consumer_batch_size: int = 500
    # fail fast during a database outage (API answers 503): connect and pool waits (seconds)
    database_connect_timeout: int = Field(default=2, ge=1, le=30)
    ballot_events_topic: str = "ballot.events.v1"
    ballot_consumer_group: str = "reporting-ballots"
    report_rules: dict[str, dict[str, int]] = {}
    """Per tenant thresholds of the caucus report (``reporting.reports.rules``), JSON."""


class EmbeddedSettings(BaseSettings):
    """The one-process demo server (``congvu run``)."""

    model_config = SettingsConfigDict(env_prefix="CONGVU_", extra="ignore", frozen=True)

    host: str = "127.0.0.1"
    port: int = 8000
    data_dir: Path = Path("var/embedded")
    demo: bool = True


class HttpSettings(BaseSettings):
    """The HTTP edge of every service (``CONGVU_HTTP_*``): body limits and server timeouts."""

    model_config = SettingsConfigDict(env_prefix="CONGVU_HTTP_", extra="ignore", frozen=True)

    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    body_timeout_seconds: float = Field(default=15.0, gt=0)
    header_timeout_seconds: float = Field(default=10.0, gt=0)
    keep_alive_seconds: int = Field(default=5, ge=1)
    # uvicorn's HTTP parser for servers started by ``uvicorn_options`` (shared.server)
    parser: Literal["h11", "httptools"] = "httptools"


class GcSettings(BaseSettings):
    """The garbage collector of every long-running process (``CONGVU_GC_*``).

    CPython's defaults (700, 10, 10) suit scripts. A server holds a large heap that never dies
    (modules, routes, schemas, cached aggregates), and every full collection walks all of it:
    measured on the API under load, 80–750 ms pauses of the whole process, the tail of p99
    (``docs/bench/RESULTS.md``). ``settle_heap`` (``shared.runtime``) freezes what start-up
    built and collects young objects less often.
    """

    model_config = SettingsConfigDict(env_prefix="CONGVU_GC_", extra="ignore", frozen=True)

    tune: bool = True
    gen0_threshold: int = Field(default=20_000, ge=100, le=1_000_000)
    gen1_threshold: int = Field(default=20, ge=1, le=1000)
    gen2_threshold: int = Field(default=20, ge=1, le=1000)
