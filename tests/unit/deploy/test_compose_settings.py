"""docker-compose.yml (production mode): every environment variable is a field of the settings
class it configures and builds valid production settings; every topic it names exists.

No Docker engine is needed (see ``test_compose.py``).
"""

from __future__ import annotations

import os
import re
from typing import Any
from urllib.parse import urlparse

import pytest
from pydantic import ValidationError
from pydantic_settings import BaseSettings

from compose_file import (
    API_SERVICES,
    APP_SERVICES,
    DUMMY_ENV,
    INIT_SQL,
    PREFIXES,
    SERVICE_ROLES,
    SHARED_PREFIXES,
    TOPICS,
    environment,
    interpolate,
    topic_names,
)
from shared.settings import AssessmentSettings, ReportingSettings


# ------------------------------------------------------------------------------ (c) settings
@pytest.mark.parametrize("name", sorted(APP_SERVICES))
def test_environment_names_are_fields_of_the_settings_class(name: str) -> None:
    prefix, _, _ = APP_SERVICES[name]
    env = environment(name)
    for key in env:
        shared = [p for p in SHARED_PREFIXES if key.startswith(p)]
        if shared:
            assert name in API_SERVICES, f"{name}: {key} is only for the HTTP services"
            field = key[len(shared[0]) :].lower()
            assert field in SHARED_PREFIXES[shared[0]].model_fields, f"{name}: {key} unknown"
            continue
        own = [p for p in PREFIXES if key.startswith(p)]
        assert own, f"{name}: {key} is read by no settings class"
        assert own == [prefix], f"{name}: {key} belongs to another service"
        field = key[len(prefix) :].lower()
        assert field in PREFIXES[prefix].model_fields, f"{name}: {key} is no settings field"
    assert env[f"{prefix}MODE"] == "production"
    assert f"{prefix}DATABASE_URL" in env
    assert env[f"{prefix}KAFKA_BOOTSTRAP"] == "kafka:9092"
    if name in API_SERVICES:  # tokens verified against the OIDC provider's JWKS
        assert env["CONGVU_AUTH_JWKS_URL"].startswith("http://keycloak:8080/realms/congvu/")
        assert env["CONGVU_AUTH_AUDIENCE"] == "congvu"


@pytest.mark.parametrize("name", sorted(APP_SERVICES))
def test_environment_builds_valid_production_settings(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    prefix, database, _ = APP_SERVICES[name]
    for key in list(os.environ):
        if key.startswith(tuple(PREFIXES)):
            monkeypatch.delenv(key)
    for key, value in environment(name).items():
        monkeypatch.setenv(key, interpolate(value, DUMMY_ENV))
    settings: Any = PREFIXES[prefix]()
    assert settings.mode == "production"
    url = urlparse(settings.database_url.get_secret_value())
    assert (url.hostname, url.port or 5432) == ("postgres", 5432)
    role, variable = SERVICE_ROLES[database]
    assert (url.username, url.password) == (role, DUMMY_ENV[variable])
    assert url.path == f"/{database}"
    assert re.search(rf"CREATE DATABASE {database}\b", INIT_SQL.read_text(encoding="utf-8"))
    assert re.search(rf"CREATE ROLE {role} LOGIN", INIT_SQL.read_text(encoding="utf-8"))

    monkeypatch.setenv(
        f"{prefix}DATABASE_URL",
        interpolate(
            environment(name)[f"{prefix}DATABASE_URL"], {**DUMMY_ENV, variable: "change-me"}
        ),
    )
    with pytest.raises(ValidationError, match="placeholder password"):
        PREFIXES[prefix]()


# -------------------------------------------------------------------------------- (d) topics
def test_every_topic_in_the_environment_exists_in_topics_json() -> None:
    known = topic_names()
    seen = 0
    for name in APP_SERVICES:
        for key, value in environment(name).items():
            if key.endswith("_TOPIC"):
                seen += 1
                assert value in known, f"{name}: {key}={value} is not in {TOPICS.name}"
    assert seen >= 4
    assert (
        environment("assessment-relay")["ASSESSMENT_EVENTS_TOPIC"]
        == environment("reporting-consumer")["REPORTING_EVENTS_TOPIC"]
    )


@pytest.mark.parametrize("cls", [AssessmentSettings, ReportingSettings])
def test_default_topics_of_the_settings_exist_too(cls: type[BaseSettings]) -> None:
    for field_name, field in cls.model_fields.items():
        if field_name.endswith("_topic"):
            assert field.default in topic_names(), f"{cls.__name__}.{field_name}"
