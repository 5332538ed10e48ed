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


ASSESSMENT = ROOT / "services/assessment/src/assessment"
CONTEXTS = ("registry", "collective", "individual", "cchc", "inspection", "remediation")


def _context_modules(layer: str) -> list[tuple[str, Path]]:
    found = []
    for context in ("kernel", *CONTEXTS):
        package = ASSESSMENT / layer / context
        found += [(context, p) for p in modules(package)] if package.is_dir() else []
    return found


def _id(item: tuple[str, Path]) -> str:
    return f"{item[0]}/{item[1].name}"


def test_the_contexts_are_the_named_ones_and_each_has_its_place_in_every_layer() -> None:
    from assessment.application.contexts import NAMES

    assert NAMES == CONTEXTS
    for context in CONTEXTS:
        for place in (
            ASSESSMENT / "domain" / context / "__init__.py",
            ASSESSMENT / "application" / context / "__init__.py",
            ASSESSMENT / "entrypoints" / "api" / f"{context}.py",
            ASSESSMENT / "entrypoints" / "web" / context / "__init__.py",
        ):
            assert place.is_file(), f"{context}: {place.relative_to(ROOT)} is missing"
            doc = ast.get_docstring(ast.parse(place.read_text(encoding="utf-8")))
            assert doc and len(doc) > 40, f"{place.relative_to(ROOT)} does not say what it owns"


@pytest.mark.parametrize("item", _context_modules("domain"), ids=_id)
def test_a_contexts_domain_imports_only_the_kernel_and_itself(item: tuple[str, Path]) -> None:
    context, path = item
    own = {"assessment.domain.kernel", f"assessment.domain.{context}"}
    for name in imports(path):
        assert (
            name.split(".")[0] in STDLIB
            or name == "eventsourcing.domain"
            or any(name == o or name.startswith(o + ".") for o in own)
        ), f"domain/{context}/{path.name} imports {name}"


@pytest.mark.parametrize(
    "item", _context_modules("application") + _context_modules("entrypoints/web"), ids=_id
)
def test_a_context_reaches_another_only_through_its_application_api(
    item: tuple[str, Path],
) -> None:
    context, path = item
    for name in imports(path):
        for other in CONTEXTS:
            if other == context:
                continue
            assert not name.startswith(f"assessment.domain.{other}"), (
                f"{context}/{path.name} imports {other}'s domain: {name}"
            )
            if name.startswith(f"assessment.application.{other}"):
                assert name == f"assessment.application.{other}.api", (
                    f"{context}/{path.name} imports {name}; use application.{other}.api"
                )
        if context == "kernel":
            assert not any(name.startswith(f"assessment.domain.{c}") for c in CONTEXTS), (
                f"kernel/{path.name} imports a context: {name}"
            )
            assert not any(name.startswith(f"assessment.application.{c}") for c in CONTEXTS), (
                f"kernel/{path.name} imports a context: {name}"
            )


@pytest.mark.parametrize("context", CONTEXTS, ids=str)
def test_a_contexts_router_uses_only_its_own_context(context: str) -> None:
    path = ASSESSMENT / "entrypoints" / "api" / f"{context}.py"
    for name in imports(path):
        for other in CONTEXTS:
            if other != context:
                assert not name.startswith(
                    (f"assessment.application.{other}", f"assessment.domain.{other}")
                ), f"entrypoints/api/{context}.py imports {name}"
        assert not name.startswith("assessment.domain"), (
            f"entrypoints/api/{context}.py reaches into the domain: {name}"
        )


def test_no_module_of_the_assessment_and_reporting_services_is_over_500_lines() -> None:
    long = [
        f"{p.relative_to(ROOT)}: {n}"
        for base in ("services/assessment/src", "services/reporting/src")
        for p in (ROOT / base).rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 500
    ]
    assert not long, long


READ_MODELS_DIR = ROOT / "services/reporting/src/reporting/read_models"


@pytest.mark.parametrize(
    "path", modules(READ_MODELS_DIR), ids=lambda p: str(p.relative_to(READ_MODELS_DIR))
)
def test_a_read_model_holds_no_consumer_or_http_and_no_other_read_model(path: Path) -> None:
    from reporting.read_models.registry import NAMES

    rel = path.relative_to(READ_MODELS_DIR)
    own = rel.parts[0].removesuffix(".py") if len(rel.parts) > 1 else None
    for name in imports(path):
        assert not name.startswith(
            ("reporting.consumer", "reporting.entrypoints", "aiokafka", "fastapi", "assessment")
        ), f"read_models/{rel} imports {name}"
        for other in NAMES:
            if other != own and path.parent != READ_MODELS_DIR:
                assert not name.startswith(f"reporting.read_models.{other}"), (
                    f"read_models/{rel} imports another read model: {name}"
                )


def test_every_named_read_model_is_a_package_with_its_read_model() -> None:
    from reporting.read_models import ReadModel
    from reporting.read_models.registry import NAMES, READ_MODELS

    assert [m.name for m in READ_MODELS] == list(NAMES)
    for model in READ_MODELS:
        assert isinstance(model, ReadModel) and model.tables
        assert (READ_MODELS_DIR / model.name / "__init__.py").is_file() or (
            READ_MODELS_DIR / f"{model.name}.py"
        ).is_file()


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
