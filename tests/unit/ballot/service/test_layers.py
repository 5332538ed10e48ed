"""House rules on the ballot service's source: layers, future annotations, no import-time work."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[4] / "services" / "ballot" / "src" / "ballot"
SERVICE_MODULES = sorted(p for p in SRC.rglob("*.py") if "crypto" not in p.parts)
DOMAIN = sorted((SRC / "domain").glob("*.py"))
FRAMEWORKS = {
    "fastapi",
    "starlette",
    "psycopg",
    "psycopg_pool",
    "sqlite3",
    "typer",
    "httpx",
    "aiokafka",
    "uvicorn",
    "pydantic",
    "pydantic_settings",
    "typst",
    "logging",
}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", DOMAIN, ids=lambda p: p.name)
def test_domain_imports_no_framework(path: Path) -> None:
    assert not _imports(path) & FRAMEWORKS


@pytest.mark.parametrize("path", SERVICE_MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_module_starts_with_future_annotations(path: Path) -> None:
    body = ast.parse(path.read_text("utf-8")).body
    if not body:
        return
    first = body[1] if isinstance(body[0], ast.Expr) and len(body) > 1 else body[0]
    if isinstance(first, ast.Expr):  # a docstring-only package marker
        return
    assert isinstance(first, ast.ImportFrom) and first.module == "__future__"


def test_importing_every_module_starts_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for path in SERVICE_MODULES:
        rel = path.relative_to(SRC.parent).with_suffix("")
        name = ".".join(p for p in rel.parts if p != "__init__")
        importlib.import_module(name)
    assert list(tmp_path.iterdir()) == []  # no database, key or log file created
