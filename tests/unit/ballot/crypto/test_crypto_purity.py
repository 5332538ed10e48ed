"""House rules for the crypto package, checked on its source (STYLE.md rules 1, 8, 11, 14)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[4] / "services" / "ballot" / "src" / "ballot" / "crypto"
MODULES = sorted(PKG.glob("*.py"))
ALLOWED_THIRD_PARTY = {"pysodium", "cryptography"}
FORBIDDEN_STDLIB = {"logging", "os", "random", "socket", "subprocess", "pathlib", "io", "time"}


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text("utf-8"), filename=str(path))


def test_there_are_modules() -> None:
    assert {p.stem for p in MODULES} >= {
        "group",
        "hashing",
        "elgamal",
        "proofs",
        "credentials",
        "ballot",
        "threshold",
        "dlog",
        "fingerprint",
        "errors",
    }


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_module_starts_with_future_annotations(path: Path) -> None:
    body = _tree(path).body
    first = body[1] if body and isinstance(body[0], ast.Expr) else body[0]
    assert isinstance(first, ast.ImportFrom) and first.module == "__future__"
    assert [a.name for a in first.names] == ["annotations"]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_imports_only_stdlib_pysodium_cryptography_and_itself(path: Path) -> None:
    for node in ast.walk(_tree(path)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        for name in names:
            top = name.split(".")[0]
            assert top not in FORBIDDEN_STDLIB, f"{path.name} imports {name}"
            assert top in sys.stdlib_module_names or top in ALLOWED_THIRD_PARTY, (
                f"{path.name} imports {name}"
            )


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_no_assert_print_or_environment(path: Path) -> None:
    for node in ast.walk(_tree(path)):
        assert not isinstance(node, ast.Assert), f"assert in {path.name}:{node.lineno}"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id not in {"print", "open", "input"}, f"{node.func.id} in {path.name}"
        if isinstance(node, ast.Attribute):
            assert node.attr not in {"environ", "getenv"}, f"environment access in {path.name}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_no_module_level_computation(path: Path) -> None:
    """Module level holds only imports, defs, classes, constants and simple assignments."""
    allowed_calls = {"bytes", "fromhex", "frozenset", "_unchecked", "Ciphertext"}
    for node in _tree(path).body:
        if isinstance(node, ast.Assign | ast.AnnAssign):
            for sub in ast.walk(node):
                if isinstance(sub, ast.Call):
                    fn = sub.func
                    name = fn.attr if isinstance(fn, ast.Attribute) else getattr(fn, "id", "")
                    assert name in allowed_calls, f"{path.name}:{node.lineno} calls {name}"
