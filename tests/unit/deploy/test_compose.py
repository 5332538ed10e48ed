"""docker-compose.yml (production mode) checked against the code it runs: the schema, the services
and the proxy, commands, health checks and dependencies.

No Docker engine is needed: the file is validated against the Compose Specification, and its
commands, environment variables, topics, health checks and dependencies are compared with the
modules, settings classes and topics.json of this repository. Renaming a setting, a module, a
factory, a health route or a topic makes this fail.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest

from compose_file import (
    APP_SERVICES,
    COMPOSE,
    DOCKERFILE,
    DUMMY_ENV,
    HEALTH_ROUTES,
    REPO,
    command,
    compose,
    environment,
    healthcheck_test,
    service,
)


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
