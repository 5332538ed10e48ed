"""Headless Debian Chromium driven by Playwright for Python (no browser download, ever).

The browser is Debian's ``chromium`` (``deploy/local/packages.sh`` installs it). When it or
Playwright is missing the tests are skipped on a workstation and FAIL under ``CI=true``.
The voter page's bundle is built by esbuild from ``services/ballot/web`` (``make web-deps``).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ballot.entrypoints.web import WEB_DIR, BundleError, build_bundle

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
CHROMIUM_CANDIDATES = ("chromium", "chromium-browser")


def _missing(message: str) -> None:
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


def chromium_executable() -> str | None:
    for name in CHROMIUM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


@pytest.fixture(scope="session")
def voter_bundle() -> Path:
    try:
        return build_bundle(WEB_DIR)
    except BundleError as exc:
        _missing(f"voter page bundle: {exc}")
        raise


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Module scope, not session: Playwright's sync API keeps an event loop running in the main
    thread while it is open, which would break every later test that calls asyncio.run()."""
    executable = chromium_executable()
    if executable is None:
        _missing("Debian chromium is not installed: run deploy/local/packages.sh as root")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright is not installed: pip install -e '.[dev]'")
        raise
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def artifacts(tmp_path: Path) -> Path:
    """Where screenshots go: ``$TEST_ARTIFACTS/ballot_web`` if set, else the test's tmp dir."""
    base = os.environ.get("TEST_ARTIFACTS")
    out = Path(base) / "ballot_web" if base else tmp_path / "artifacts"
    out.mkdir(parents=True, exist_ok=True)
    return out
