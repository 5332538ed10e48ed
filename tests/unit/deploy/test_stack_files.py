"""The CI stack's files: docker-compose.ci.yml replaces images only, and the start order that
deploy/containers/stack.sh follows honours every depends_on of docker-compose.yml."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[3]
spec = importlib.util.spec_from_file_location(
    "start_order", REPO / "deploy" / "containers" / "start_order.py"
)
assert spec and spec.loader
start_order: Any = importlib.util.module_from_spec(spec)
spec.loader.exec_module(start_order)

MAIN = REPO / "docker-compose.yml"
CI = REPO / "docker-compose.ci.yml"


def files() -> list[str]:
    return [str(MAIN), str(CI)]


def test_ci_override_changes_images_and_nothing_else() -> None:
    main = yaml.safe_load(MAIN.read_text())["services"]
    ci = yaml.safe_load(CI.read_text())["services"]
    assert set(ci) <= set(main)
    for name, svc in ci.items():
        assert set(svc) == {"image", "pull_policy"}, name
        assert svc["image"].startswith("localhost/congvu-") and svc["image"].endswith(":ci")
    # every service that is built from the repository runs the one app image in CI
    built = {n for n, s in main.items() if "build" in s}
    assert built <= set(ci) and {ci[n]["image"] for n in built} == {"localhost/congvu-app:ci"}
    # every image of docker-compose.yml is replaced: nothing is pulled from a registry
    pulled = {n for n, s in main.items() if "image" in s}
    assert pulled <= set(ci), sorted(pulled - set(ci))


def test_start_order_puts_every_dependency_in_an_earlier_level() -> None:
    services = start_order.merged(files())
    levels = start_order.levels(services)
    where = {name: i for i, level in enumerate(levels) for name in level}
    assert set(where) == set(services)
    for name, svc in services.items():
        for dep in svc.get("depends_on") or {}:
            assert where[dep] < where[name], (dep, name)
    assert where["kafka-init"] < where["assessment-relay"]
    # the owner makes the tables before any service connects as the service role
    assert where["assessment-migrate"] < min(where["assessment-api"], where["assessment-relay"])
    assert start_order.goal(services["assessment-migrate"]) == "completed"
    assert start_order.goal(services["kafka-init"]) == "completed"
    assert start_order.goal(services["postgres"]) == "healthy"


def test_start_order_refuses_a_cycle() -> None:
    with pytest.raises(SystemExit, match="cycle"):
        start_order.levels({"a": {"depends_on": ["b"]}, "b": {"depends_on": ["a"]}})
