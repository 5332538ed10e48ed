"""Browser harness of the portal pages: Debian Chromium via Playwright, axe-core, screenshots.

- ``browser``: headless Debian Chromium (module scope, like ``tests/e2e/ballot_web``).
- ``open_page(width=…)``: a fresh context (vi-VN, Asia/Ho_Chi_Minh) that records console errors
  and CSP violations; ``width=390`` is the phone run.
- ``check_axe(page, name)``: injects axe-core (npm ``axe-core``, pinned in ``package.json`` of
  this directory, installed by ``make web-deps``) from the local file and fails on any serious or
  critical violation.
- ``shoot(page, name)``: a full-page screenshot in ``var/screenshots/`` (the repository's, or
  ``$TEST_SCREENSHOTS``) for a reviewer to look at.

Missing Chromium, Playwright or axe-core: skipped on a workstation, FAILED under ``CI=true``.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from ballot.harness import LiveServer
from embedded.app import create_embedded_app
from helpers import TEST_ISSUER, headers

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(os.environ.get("TEST_SCREENSHOTS") or REPO / "var" / "screenshots")
PHONE_WIDTH = 390


def missing(message: str) -> None:
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


def chromium_executable() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Module scope: Playwright's sync API keeps an event loop running while it is open."""
    executable = chromium_executable()
    if executable is None:
        missing("Debian chromium is not installed: run deploy/local/packages.sh as root")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("playwright is not installed: pip install -e '.[dev]'")
        raise
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable)
        try:
            yield b
        finally:
            b.close()


@dataclass
class Watched:
    """A page with what went wrong in it: console errors and CSP violations."""

    page: Any
    errors: list[str] = field(default_factory=list)

    def assert_clean(self, *expected_statuses: int) -> None:
        """No console error or CSP violation, except the HTTP statuses the test provoked."""
        allowed = tuple(f"status of {code} " for code in expected_statuses)
        left = [e for e in self.errors if not (allowed and any(a in e for a in allowed))]
        assert not left, left


@pytest.fixture
def open_page(browser: Any) -> Iterator[Callable[..., Watched]]:
    contexts: list[Any] = []

    def make(width: int = 1280, height: int = 900) -> Watched:
        ctx = browser.new_context(
            locale="vi-VN",
            timezone_id="Asia/Ho_Chi_Minh",
            viewport={"width": width, "height": height},
            is_mobile=width <= PHONE_WIDTH,
            has_touch=width <= PHONE_WIDTH,
        )
        contexts.append(ctx)
        page = ctx.new_page()
        watched = Watched(page)
        page.on(
            "console",
            lambda msg: watched.errors.append(msg.text) if msg.type == "error" else None,
        )
        page.on("pageerror", lambda exc: watched.errors.append(str(exc)))
        return watched

    try:
        yield make
    finally:
        for ctx in contexts:
            ctx.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.is_file():
        missing(f"axe-core missing: run `make web-deps` (npm ci in {HERE})")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def check_axe(axe_source: str) -> Callable[[Any, str], list[dict[str, Any]]]:
    def run(page: Any, name: str) -> list[dict[str, Any]]:
        # injected as a script element from the local file: the page's CSP allows only
        # 'self' scripts, so it is evaluated through the DevTools protocol instead
        page.evaluate(axe_source)
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        bad = [v for v in result["violations"] if v.get("impact") in ("serious", "critical")]
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        (SCREENSHOTS / f"{name}.axe.json").write_text(
            json.dumps(result["violations"], ensure_ascii=False, indent=1), encoding="utf-8"
        )
        summary = [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in bad
        ]
        assert not bad, f"axe-core on {name}: " + "; ".join(summary)
        return list(result["violations"])

    return run


@pytest.fixture
def shoot() -> Callable[..., Path]:
    def take(page: Any, name: str, *, full_page: bool = True) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        out = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(out), full_page=full_page)
        return out

    return take


# ------------------------------------------------------------------ the demo site


@dataclass
class Site:
    url: str
    http: httpx.Client

    def board(self) -> dict[str, Any]:
        cycles = self.http.get("/v1/reports/cycles", headers=headers(role="auditor")).json()
        cycle_id = cycles["items"][0]["id"]
        resp = self.http.get(
            f"/v1/reports/cycles/{cycle_id}/board?page_size=500", headers=headers(role="auditor")
        )
        resp.raise_for_status()
        body: dict[str, Any] = resp.json()
        return body

    def wait_for(self, predicate: Callable[[dict[str, Any]], bool], timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        last: Any = None
        while time.monotonic() < deadline:
            try:
                last = self.board()
                if predicate(last):
                    return
            except (httpx.HTTPError, KeyError, IndexError) as exc:
                last = exc
            time.sleep(0.1)
        raise AssertionError(f"board condition not met in {timeout}s; last: {last}")

    def row(self, code: str) -> dict[str, Any]:
        return next(r for r in self.board()["items"] if r["unit_code"] == code)


def demo_loaded(board: dict[str, Any]) -> bool:
    return any(r["steps"]["publication"].get("submitted_at") for r in board["items"])


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The embedded system with the demo on a real uvicorn server (one per test module)."""
    data = tmp_path_factory.mktemp("portal")
    app = create_embedded_app(data, demo=True, issuer=TEST_ISSUER)
    with (
        LiveServer(app, access_log=False) as server,
        httpx.Client(base_url=server.url, timeout=30) as http,
    ):
        s = Site(server.url, http)
        s.wait_for(demo_loaded)
        yield s


# the portal on PostgreSQL + Kafka (pg_kafka.py): its fixtures, for the runs on real servers
from .pg_kafka import pg_kafka_site, reads_url  # noqa: E402, F401
