"""docker-compose.yml (production mode) checked against the code it runs.

No Docker engine is needed: the file is validated against the Compose Specification, and its
commands, environment variables, topics, health checks and dependencies are compared with the
modules, settings classes and topics.json of this repository. Renaming a setting, a module, a
factory, a health route or a topic makes this fail.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import json
import os
import re
import shlex
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
import yaml
from pydantic import ValidationError
from pydantic_settings import BaseSettings

from ballot.config import BallotSettings
from shared.auth import AuthSettings
from shared.settings import AssessmentSettings, ReportingSettings
from shared.web.oidc import OidcSettings
from shared.web.pages import WebSettings

REPO = Path(__file__).resolve().parents[3]
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


# --------------------------------------------------------------------------------- (a) schema
def test_compose_file_is_valid_against_the_compose_specification() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.compose-spec",
            str(COMPOSE),
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, **DUMMY_ENV},
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_has_the_expected_services_and_no_version_key() -> None:
    assert "version" not in compose()
    assert set(compose()["services"]) == {
        "postgres",
        "kafka",
        "kafka-init",
        "keycloak",
        "proxy",
        "assessment-migrate",
        *APP_SERVICES,
    }


def test_infrastructure_services() -> None:
    pg = service("postgres")
    assert re.fullmatch(r"postgres:15\.\d+(-\w+)?", pg["image"]), "pin postgres:15.<minor>"
    assert "./deploy/postgres/init:/docker-entrypoint-initdb.d:ro" in pg["volumes"]
    assert "pg_isready" in " ".join(healthcheck_test("postgres"))
    kafka = service("kafka")
    assert kafka["image"] == "apache/kafka:3.9.1"
    env = environment("kafka")
    assert env["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert env["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"
    for key in (
        "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR",
        "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR",
        "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR",
        "KAFKA_DEFAULT_REPLICATION_FACTOR",
    ):
        assert env[key] == "1", key
    node_id = env["KAFKA_NODE_ID"]
    assert env["KAFKA_CONTROLLER_QUORUM_VOTERS"].startswith(f"{node_id}@kafka:")
    assert "PLAINTEXT://kafka:9092" in env["KAFKA_ADVERTISED_LISTENERS"].split(",")
    assert "kafka-broker-api-versions.sh" in " ".join(healthcheck_test("kafka"))


def test_the_proxy_routes_every_path_prefix_to_the_service_that_serves_it() -> None:
    proxy = service("proxy")
    assert re.fullmatch(r"nginx:1\.\d+\.\d+-bookworm", proxy["image"]), "pin a Debian nginx"
    template = REPO / "deploy" / "nginx" / "congvu.conf.template"
    assert (
        f"./deploy/nginx/{template.name}:/etc/nginx/templates/{template.name}:ro"
        in (proxy["volumes"])
    )
    env = environment("proxy")
    text = template.read_text(encoding="utf-8")
    for var in set(re.findall(r"\$\{(CONGVU_[A-Z_]+)\}", text)):
        assert var in env, f"proxy: {var} used by the template but not set"
    upstream = {
        "CONGVU_ASSESSMENT_UPSTREAM": "assessment-api",
        "CONGVU_REPORTING_UPSTREAM": "reporting-api",
        "CONGVU_BALLOT_UPSTREAM": "ballot-api",
    }
    for var, api in upstream.items():
        host, port = env[var].split(":")
        assert host == api and port == command(api)[command(api).index("--port") + 1]
        assert proxy["depends_on"][api]["condition"] == "service_healthy"
    routes = dict(re.findall(r"location (?:= )?(\S+) \{ proxy_pass http://congvu_(\w+);", text))
    assert "/ho-so/" in routes, routes
    expected = {
        "/v1/reports/": "reporting",
        "/v1/ballot/": "ballot",
        "/v1/": "assessment",
        "/bo-phieu/": "ballot",
        "/ho-so/": "assessment",
        "/docs": "assessment",
        "/": "reporting",
    }
    for prefix, target in expected.items():
        assert routes.get(prefix) == target, prefix
    # each service answers the paths it is sent
    apps = {
        "assessment": "assessment-api",
        "reporting": "reporting-api",
        "ballot": "ballot-api",
    }
    for prefix, target in (("/v1/reports/health", "reporting"), ("/v1/ballot/health", "ballot")):
        cmd = command(apps[target])
        factory = next(a for a in cmd[1:] if ":" in a and not a.startswith("-"))
        module_name, attr = factory.split(":")
        app = getattr(importlib.import_module(module_name), attr)()
        assert prefix in {getattr(r, "path", None) for r in app.routes}
    assert "client_max_body_size" in text
    web = environment("reporting-api")
    assert web["CONGVU_WEB_MODE"] == "production"
    assert web["CONGVU_OIDC_CLIENT_ID"] == "congvu-portal"
    assert re.fullmatch(r"\$\{CONGVU_WEB_SESSION_KEY:\?[^}]+\}", web["CONGVU_WEB_SESSION_KEY"])


# -------------------------------------------------------------------- (b) commands importable
@pytest.mark.parametrize("name", sorted(APP_SERVICES))
def test_command_module_is_importable(name: str) -> None:
    cmd = command(name)
    if cmd[:2] == ["python", "-m"]:
        module_name = cmd[2]
        module = importlib.import_module(module_name)
        spec = importlib.util.find_spec(module_name)
        assert spec is not None and spec.origin is not None
        source = Path(spec.origin).read_text(encoding="utf-8")
        assert 'if __name__ == "__main__":' in source, f"{module_name} does nothing under -m"
        assert callable(getattr(module, "main", None))
    elif cmd[0] == "uvicorn":
        assert "--factory" in cmd, "create_app is a factory: uvicorn needs --factory"
        target = next(arg for arg in cmd[1:] if ":" in arg and not arg.startswith("-"))
        module_name, attr = target.split(":")
        factory = getattr(importlib.import_module(module_name), attr, None)
        assert callable(factory), f"{target} is not callable"
    else:
        pytest.fail(f"{name}: unexpected command {cmd}")


@pytest.mark.parametrize("name", sorted(HEALTH_ROUTES))
def test_api_healthcheck_hits_a_route_of_the_app_on_its_port(name: str) -> None:
    cmd = command(name)
    target = next(arg for arg in cmd[1:] if ":" in arg and not arg.startswith("-"))
    module_name, attr = target.split(":")
    app = getattr(importlib.import_module(module_name), attr)()
    routes = {getattr(route, "path", None) for route in app.routes}
    port = cmd[cmd.index("--port") + 1]
    code = healthcheck_test(name)[-1]
    urls = re.findall(r"https?://[^'\"\s]+", code)
    assert len(urls) == 1, code
    url = urlparse(urls[0])
    assert url.path == HEALTH_ROUTES[name]
    assert url.path in routes, f"{url.path} is not a route of {target}"
    assert str(url.port) == port
    published = [str(p) for p in service(name).get("ports", [])]
    assert all(p.endswith(f":{port}") for p in published), published


def test_kafka_init_runs_the_topic_script_once() -> None:
    cmd = command("kafka-init")
    assert cmd[0] == "python"
    assert (REPO / cmd[1]) == REPO / "deploy" / "kafka" / "create_topics.py"
    assert (REPO / cmd[1]).is_file()
    assert cmd[cmd.index("--bootstrap") + 1] == "kafka:9092"
    assert service("kafka-init")["restart"] == "no"  # a YAML 1.1 bare `no` would be False
    assert service("kafka-init")["depends_on"] == {"kafka": {"condition": "service_healthy"}}


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


# -------------------------------------------------------------------------------- (e) secrets
@pytest.mark.parametrize("name", sorted(APP_SERVICES))
def test_database_url_password_is_interpolated(name: str) -> None:
    prefix, _, _ = APP_SERVICES[name]
    raw = environment(name)[f"{prefix}DATABASE_URL"]
    part = r"(?:\$\{[^}]*\}|[^:@/${}]+)"  # one ${...} or literal text
    m = re.fullmatch(rf"postgresql://(?P<user>{part}):(?P<password>{part})@[^@]+", raw)
    assert m, f"{name}: {raw} is not postgresql://user:password@host/db"
    _, database, _ = APP_SERVICES[name]
    role, variable = SERVICE_ROLES[database]
    assert m["user"] == role, f"{name} connects as {m['user']}, not its service role {role}"
    assert re.fullmatch(rf"\$\{{{variable}:\?[^}}]+\}}", m["password"]), m["password"]


def test_assessment_schema_is_made_by_the_owner_in_a_one_shot_migrate_service() -> None:
    migrate = service("assessment-migrate")
    assert command("assessment-migrate") == ["python", "-m", "assessment.entrypoints.migrate"]
    assert migrate["restart"] == "no"
    env = environment("assessment-migrate")
    owner = urlparse(interpolate(env["ASSESSMENT_OWNER_DATABASE_URL"], DUMMY_ENV))
    app = urlparse(interpolate(env["ASSESSMENT_DATABASE_URL"], DUMMY_ENV))
    assert (owner.username, owner.path) == ("assessment_owner", "/assessment")
    assert app.username == "assessment_app"
    assert re.search(r"CREATE DATABASE assessment OWNER assessment_owner", INIT_SQL.read_text())
    for name in ("assessment-api", "assessment-relay"):
        assert environment(name)["ASSESSMENT_CREATE_TABLES"] == "false", name
        assert service(name)["depends_on"]["assessment-migrate"] == {
            "condition": "service_completed_successfully"
        }
    # the postgres container sets the roles' passwords from the same variables
    pg = environment("postgres")
    for _, variable in SERVICE_ROLES.values():
        assert pg[variable] == f"${{{variable}:?set {variable} (see deploy/.env.example)}}"
    script = REPO / "deploy" / "postgres" / "init" / "02-role-passwords.sh"
    assert os.access(script, os.X_OK)
    for role, variable in (
        *SERVICE_ROLES.values(),
        ("assessment_owner", "DB_ASSESSMENT_OWNER_PASSWORD"),
    ):
        assert f"{role}:{variable}" in script.read_text()


def test_no_literal_secret_anywhere_in_the_compose_file() -> None:
    for name in compose()["services"]:
        for key, value in environment(name).items():
            if re.search(r"PASSWORD|SECRET|TOKEN", key):
                assert re.fullmatch(r"\$\{[^}]+\}", value), f"{name}: {key} is a literal"
    text = COMPOSE.read_text(encoding="utf-8").lower()
    for placeholder in ("changethis", "change-me", ":password@"):
        assert placeholder not in text


def test_env_example_documents_every_interpolated_variable_without_real_secrets() -> None:
    raw = COMPOSE.read_text(encoding="utf-8").replace("$$", "")
    used = set(re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)", raw))
    documented: dict[str, str] = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            documented[key.strip()] = value.strip()
    assert used <= set(documented), f"undocumented: {sorted(used - set(documented))}"
    assert "POSTGRES_PASSWORD" in documented
    for key, value in documented.items():
        if re.search(r"PASSWORD|SECRET|TOKEN", key):
            assert value == "", f"{key}: leave secrets empty in the example"


# ---------------------------------------------------------------- (f) health and dependencies
@pytest.mark.parametrize("name", sorted(APP_SERVICES))
def test_app_service_has_healthcheck_restart_policy_and_conditional_dependencies(
    name: str,
) -> None:
    svc = service(name)
    _, _, needs_kafka = APP_SERVICES[name]
    assert svc.get("restart") in {"always", "unless-stopped", "on-failure"}
    test = healthcheck_test(name)
    assert test and test[0] in {"CMD", "CMD-SHELL"}, test
    assert not svc["healthcheck"].get("disable", False)
    if test[:3] == ["CMD", "python", "-c"]:
        ast.parse(test[3])  # the one-liner is valid Python
    build = svc["build"]
    assert build["context"] == "."
    assert (REPO / build["dockerfile"]) == DOCKERFILE

    deps = svc["depends_on"]
    assert isinstance(deps, dict), "use the long form of depends_on, with conditions"
    for dep, spec in deps.items():
        assert dep in compose()["services"], dep
        condition = spec["condition"]
        if condition == "service_healthy":
            assert "healthcheck" in service(dep), f"{dep} has no healthcheck"
        elif condition == "service_completed_successfully":
            assert service(dep).get("restart") == "no", f"{dep} is not a one-shot"
        else:
            pytest.fail(f"{name} -> {dep}: condition {condition}")
    assert deps["postgres"]["condition"] == "service_healthy"
    if needs_kafka:
        assert deps["kafka"]["condition"] == "service_healthy"
        assert deps["kafka-init"]["condition"] == "service_completed_successfully"


def test_dependencies_have_no_cycle() -> None:
    def visit(name: str, path: tuple[str, ...]) -> None:
        assert name not in path, " -> ".join((*path, name))
        for dep in service(name).get("depends_on") or {}:
            visit(dep, (*path, name))

    for name in compose()["services"]:
        visit(name, ())


# ------------------------------------------------------------------------------------- image
def test_dockerfile_is_pinned_non_root_and_secret_free() -> None:
    lines = [
        line.strip()
        for line in DOCKERFILE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    # base images are build arguments whose defaults are pinned official images
    args = dict(
        line.split(None, 1)[1].split("=", 1)
        for line in lines
        if line.upper().startswith("ARG ") and "=" in line
    )
    assert re.fullmatch(r"docker\.io/library/python:3\.11\.\d+-slim-bookworm", args["PYTHON_BASE"])
    assert re.fullmatch(r"docker\.io/library/node:20\.\d+-bookworm-slim", args["NODE_BASE"])
    froms = [line.split()[1] for line in lines if line.upper().startswith("FROM ")]
    stages = {
        line.split()[3] for line in lines if line.upper().startswith("FROM ") and " AS " in line
    }
    assert froms and all(f in ("${PYTHON_BASE}", "${NODE_BASE}") for f in froms)
    assert stages == {"web", "build", "runtime"}
    assert froms[-1] == "${PYTHON_BASE}", "the runtime stage has no Node"
    text = "\n".join(lines)
    assert "libsodium23" in text
    assert re.search(r"pip install (--\S+ )*\.(\s|$)", text)
    assert "tools/build.mjs" in text and "web_dist/voter.bundle.js" in text
    users = [line.split()[1] for line in lines if line.upper().startswith("USER ")]
    assert users and users[-1].split(":")[0] not in {"root", "0"}
    for line in lines:
        if line.upper().startswith(("ENV ", "ARG ")):
            assert not re.search(r"PASSWORD|SECRET|TOKEN|DATABASE_URL", line, re.I), line


def test_dockerignore_keeps_local_state_and_secrets_out_of_the_image() -> None:
    entries = {
        line.strip()
        for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    for required in (".git", ".venv", "var", "node_modules", "**/node_modules", ".env"):
        assert required in entries, required
    for needed in ("deploy/kafka", "deploy", "shared", "services", "pyproject.toml"):
        assert needed not in entries, f"{needed} is needed by the image"
