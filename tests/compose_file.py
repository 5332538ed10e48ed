"""docker-compose.yml and the files beside it, as data for the deploy tests: paths, the
services' roles, and readers of services, environments, commands and health checks.

Shared by ``tests/unit/deploy/test_compose*.py`` (no Docker engine needed)."""

from __future__ import annotations

import json
import re
import shlex
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic_settings import BaseSettings

from ballot.config import BallotSettings
from shared.auth import AuthSettings
from shared.settings import AssessmentSettings, ReportingSettings
from shared.web.oidc import OidcSettings
from shared.web.pages import WebSettings

REPO = Path(__file__).resolve().parents[1]
COMPOSE = REPO / "docker-compose.yml"
TOPICS = REPO / "deploy" / "kafka" / "topics.json"
INIT_SQL = REPO / "deploy" / "postgres" / "init" / "01-congvu.sql"
ENV_EXAMPLE = REPO / "deploy" / ".env.example"
DOCKERFILE = REPO / "deploy" / "docker" / "app.Dockerfile"
DOCKERIGNORE = REPO / ".dockerignore"

PREFIXES: dict[str, type[BaseSettings]] = {
    "ASSESSMENT_": AssessmentSettings,
    "REPORTING_": ReportingSettings,
    "BALLOT_": BallotSettings,
}
# Settings every HTTP service reads (bearer-token verification), by prefix.
SHARED_PREFIXES: dict[str, type[BaseSettings]] = {
    "CONGVU_AUTH_": AuthSettings,
    "CONGVU_WEB_": WebSettings,
    "CONGVU_OIDC_": OidcSettings,
}
API_SERVICES = ("assessment-api", "reporting-api", "ballot-api")
# service -> (settings prefix, database, needs Kafka)
APP_SERVICES: dict[str, tuple[str, str, bool]] = {
    "assessment-api": ("ASSESSMENT_", "assessment", False),
    "assessment-relay": ("ASSESSMENT_", "assessment", True),
    "reporting-consumer": ("REPORTING_", "reporting", True),
    "reporting-api": ("REPORTING_", "reporting", False),
    "ballot-api": ("BALLOT_", "ballot", False),
    "ballot-relay": ("BALLOT_", "ballot", True),
}
HEALTH_ROUTES = {
    "assessment-api": "/v1/health",
    "reporting-api": "/v1/reports/health",
    "ballot-api": "/v1/ballot/health",
}
DUMMY_ENV = {
    "POSTGRES_PASSWORD": "x9-dummy-test-value",
    "DB_ASSESSMENT_OWNER_PASSWORD": "x9-dummy-owner",
    "DB_ASSESSMENT_APP_PASSWORD": "x9-dummy-assessment",
    "DB_REPORTING_APP_PASSWORD": "x9-dummy-reporting",
    "DB_BALLOT_APP_PASSWORD": "x9-dummy-ballot",
    "CONGVU_WEB_SESSION_KEY": "x9-dummy-session-key-0123456789abc",
}
# database -> the role its services connect as (never the superuser) and its password variable
SERVICE_ROLES = {
    "assessment": ("assessment_app", "DB_ASSESSMENT_APP_PASSWORD"),
    "reporting": ("reporting_app", "DB_REPORTING_APP_PASSWORD"),
    "ballot": ("ballot_app", "DB_BALLOT_APP_PASSWORD"),
}

_INTERPOLATION = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?P<op>:?[-?])?(?P<arg>[^}]*)\}")


@cache
def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    return data


def service(name: str) -> dict[str, Any]:
    svc: dict[str, Any] = compose()["services"][name]
    return svc


def environment(name: str) -> dict[str, str]:
    env = service(name).get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {str(k): str(v) for k, v in env.items()}


def command(name: str) -> list[str]:
    cmd = service(name)["command"]
    return shlex.split(cmd) if isinstance(cmd, str) else [str(part) for part in cmd]


def interpolate(value: str, env: dict[str, str]) -> str:
    """Compose-style ``${VAR}``, ``${VAR:-default}``, ``${VAR:?error}`` (and ``$$``)."""

    def one(m: re.Match[str]) -> str:
        name, op, arg = m["name"], m["op"] or "", m["arg"]
        current = env.get(name)
        missing = not current if op.startswith(":") else current is None
        if op.endswith("?") and missing:
            raise AssertionError(f"{name} must be set: {arg}")
        if op.endswith("-") and missing:
            return arg
        return current or ""

    return _INTERPOLATION.sub(one, value.replace("$$", "\0")).replace("\0", "$")


def topic_names() -> set[str]:
    return {t["name"] for t in json.loads(TOPICS.read_text(encoding="utf-8"))["topics"]}


def healthcheck_test(name: str) -> list[str]:
    test = service(name)["healthcheck"]["test"]
    return shlex.split(test) if isinstance(test, str) else [str(part) for part in test]
