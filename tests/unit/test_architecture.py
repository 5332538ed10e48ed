"""House rules that code review alone would let slip: dependency direction, pure domain."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STDLIB = set(sys.stdlib_module_names)


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def modules(package_dir: Path) -> list[Path]:
    return sorted(p for p in package_dir.rglob("*.py"))


@pytest.mark.parametrize(
    "path", modules(ROOT / "services/assessment/src/assessment/domain"), ids=lambda p: p.name
)
def test_assessment_domain_imports_no_framework(path: Path) -> None:
    for name in imports(path):
        top = name.split(".")[0]
        assert (
            top in STDLIB
            or (top == "assessment" and name.startswith("assessment.domain"))
            or name == "eventsourcing.domain"
        ), f"{path.name} imports {name}"


@pytest.mark.parametrize(
    "path", modules(ROOT / "services/assessment/src/assessment/application"), ids=lambda p: p.name
)
def test_application_does_not_depend_on_adapters_or_entrypoints(path: Path) -> None:
    for name in imports(path):
        assert not name.startswith(
            ("assessment.adapters", "assessment.entrypoints", "fastapi", "aiokafka", "psycopg")
        ), f"{path.name} imports {name}"


@pytest.mark.parametrize("path", modules(ROOT / "shared/src/shared"), ids=lambda p: p.name)
def test_shared_holds_no_domain_logic(path: Path) -> None:
    for name in imports(path):
        assert not name.startswith(("assessment", "reporting", "ballot", "embedded")), (
            f"shared/{path.name} imports {name}"
        )


@pytest.mark.parametrize(
    "path", modules(ROOT / "services/reporting/src/reporting"), ids=lambda p: p.name
)
def test_reporting_does_not_reach_into_assessment(path: Path) -> None:
    for name in imports(path):
        assert not name.startswith("assessment"), f"reporting/{path.name} imports {name}"


def test_every_module_starts_with_future_annotations() -> None:
    missing = []
    for base in (
        "shared/src",
        "services/assessment/src",
        "services/reporting/src",
        "services/embedded/src",
    ):
        for path in (ROOT / base).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            code = [
                ln for ln in text.splitlines() if ln.strip() and not ln.startswith(('"""', "#"))
            ]
            if code and "from __future__ import annotations" not in text:
                missing.append(str(path.relative_to(ROOT)))
    assert not missing, missing
