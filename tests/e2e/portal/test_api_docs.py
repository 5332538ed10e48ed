"""Swagger UI and Redoc in Chromium with nothing but the local server: the pages render, the
"Authorize" button is there (OpenAPI declares bearer security), and no request leaves
127.0.0.1."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.e2e


def test_docs_work_offline_with_authorize(site: Any, open_page: Any, shoot: Any) -> None:
    w = open_page()
    page = w.page
    foreign: list[str] = []

    def guard(route: Any) -> None:
        host = urlparse(route.request.url).hostname
        if host not in ("127.0.0.1", "localhost"):
            foreign.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    page.route("**/*", guard)
    page.goto(site.url + "/docs")
    page.wait_for_selector("button.authorize", timeout=60_000)
    page.click("button.authorize")
    page.wait_for_selector("text=bearerAuth")
    shoot(page, "docs-authorize")
    page.goto(site.url + "/redoc")
    page.wait_for_selector("text=Cycle board", state="attached", timeout=60_000)
    # Redoc renders every operation: a full-page shot of ~190,000 px takes a minute on a
    # loaded machine, so the shot is of the first screen.
    shoot(page, "redoc", full_page=False)
    assert foreign == []
