"""Composition root: the only place that knows concrete adapters and eventsourcing's env vars."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

from assessment.application.service import AssessmentApplication, Clock
from shared.settings import AssessmentSettings


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
        }
    path = Path(settings.sqlite_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": str(path),
        "SQLITE_LOCK_TIMEOUT": "10",
        "CREATE_TABLE": "y",
    }


def build_application(
    settings: AssessmentSettings | None = None, clock: Clock | None = None
) -> AssessmentApplication:
    settings = settings or AssessmentSettings()
    return AssessmentApplication(env=store_env(settings), clock=clock)
