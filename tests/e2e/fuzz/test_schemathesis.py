"""Schemathesis over the embedded app's OpenAPI (assessment, reporting and ballot routes in one
process), with a development-issuer token for every role and with no token.

Fails on any 5xx and on any error response that is not ``application/problem+json``. The run is
bounded (``max_examples``) so it stays inside CI's budget.

Schemathesis chạy trên OpenAPI của ứng dụng nhúng; lỗi nếu có 5xx hoặc lỗi không phải problem+json.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.core.errors import SerializationNotPossible

from assessment.application.permissions import ROLES
from embedded.app import create_embedded_app
from helpers import TEST_ISSUER, token

ROLE_CASES: list[str | None] = [*ROLES, None]
MAX_EXAMPLES = 3
REQUESTS: list[int] = []
FAILURES: list[str] = []
SKIPPED: list[str] = []
PAGE_FLAG: list[bool] = [False]
"""Whether the operation being fuzzed is an HTML page (its errors may be HTML)."""
"""Statuses seen, for the summary printed at the end of the module."""


@pytest.fixture(scope="module")
def app_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    data_dir: Path = tmp_path_factory.mktemp("fuzz")
    app = create_embedded_app(data_dir, demo=False, issuer=TEST_ISSUER)
    with TestClient(app) as client:  # runs the lifespan once for the whole module
        yield client
    errors = sum(1 for s in REQUESTS if s >= 500)
    print(f"\nschemathesis: {len(REQUESTS)} requests, {errors} 5xx, skipped {SKIPPED}")


def _check(case: Any, page: bool) -> None:
    """Send one generated case once per role and once without a token."""
    for role in ROLE_CASES:
        headers = {"Authorization": f"Bearer {token(role=role)}"} if role else {}
        response = case.call(headers=headers)
        REQUESTS.append(response.status_code)
        status = response.status_code
        where = f"{case.method} {case.path} as {role or 'anonymous'} → {status}"
        if status >= 500:
            FAILURES.append(f"{where}: {response.text[:300]}")
        elif status >= 400:
            ctype = response.headers.get("content-type", [""])
            ctype = ctype[0] if isinstance(ctype, list) else ctype
            html_page = page and str(ctype).startswith("text/html")  # pages answer in HTML
            if not html_page and not str(ctype).startswith("application/problem+json"):
                FAILURES.append(f"{where}: not problem+json ({ctype})")


def test_api_never_5xx_and_errors_are_problem_json(app_client: TestClient) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", app_client.app)
    operations: list[Any] = [r.ok() for r in schema.get_all_operations()]  # type: ignore[union-attr]
    assert operations, "the OpenAPI document lists no operations"
    for operation in operations:
        PAGE_FLAG[:] = ["text/html" in str(operation.definition.raw.get("responses", {}))]

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def run(case: Any) -> None:
            _check(case, PAGE_FLAG[0])

        try:
            run()
        except SerializationNotPossible:
            SKIPPED.append(f"{operation.method.upper()} {operation.path}")  # binary uploads (XLSX)
    assert not FAILURES, "\n".join(sorted(set(FAILURES)))
