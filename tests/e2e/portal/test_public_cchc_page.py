"""The public CCHC ranking page in Chromium (no sign-in): a whole CCHC year run through the
HTTP API of a live embedded server; before publication the page says no ranking is published
and shows none of its units; after Home Affairs publishes it, the page shows the rank, units,
index and decision, with the chart beside the table and working CSV/XLSX/PDF links. axe-core
at 1280 px and at phone width; the page is reachable from the public navigation."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from ballot.harness import LiveServer
from cchc_api import run_cycle
from embedded.app import create_embedded_app
from helpers import TEST_ISSUER, MutableClock
from reporting.read_models.cchc_scores.queries import rankings

pytestmark = pytest.mark.e2e

PAGE = "/cong-khai/cchc"


@pytest.fixture(scope="module")
def cchc_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    clock = MutableClock(datetime(2013, 10, 1, 2, 0, tzinfo=UTC))
    app = create_embedded_app(
        tmp_path_factory.mktemp("cchc-public"), demo=False, clock=clock, issuer=TEST_ISSUER
    )
    with (
        LiveServer(app, access_log=False) as server,
        httpx.Client(base_url=server.url, timeout=30) as http,
    ):
        yield {"url": server.url, "http": http, "clock": clock, "db": app.state.reporting_db}


def test_the_public_ranking_appears_once_published(
    cchc_site: dict[str, Any], open_page: Any, check_axe: Any, shoot: Any
) -> None:
    url, db = cchc_site["url"], cchc_site["db"]
    w = open_page()
    page = w.page
    seen: dict[str, Any] = {}

    def before(ids: dict[str, Any]) -> None:
        found: list[dict[str, Any]] = []
        for _ in range(200):  # the decision reaches the read model through the relay
            found = rankings(db, "dong-nai", year=2020, block=None)
            if found:
                break
            page.wait_for_timeout(100)
        (decided,) = found
        seen.update(decided)
        page.goto(url + PAGE)
        text = page.locator("main").inner_text()
        assert "Chưa có bảng xếp hạng nào được công bố." in text
        assert decided["rows"][0]["name"] not in text
        check_axe(page, "public-cchc-none")

    run_cycle(cchc_site["http"], cchc_site["clock"], before_publication=before)  # type: ignore[arg-type]
    for _ in range(200):
        if any(r["published_at"] for r in rankings(db, "dong-nai", year=2020, block=None)):
            break
        page.wait_for_timeout(100)
    page.goto(url + "/cong-khai")
    page.get_by_role("link", name="Chỉ số CCHC đã công bố").first.click()
    page.wait_for_url("**" + PAGE)
    table = page.locator("#bang-xep-hang")
    assert table.is_visible()
    text = table.inner_text()
    for row in seen["rows"]:
        assert row["name"] in text and str(row["index"]).replace(".", ",") in text
    assert seen["decision"]["number"] in page.locator("main").inner_text()
    assert page.locator("figure.chart svg").count() == 1
    check_axe(page, "public-cchc")
    shoot(page, "public-cchc")
    for label in ("CSV", "XLSX", "PDF"):
        href = page.get_by_role("link", name=label, exact=True).get_attribute("href")
        resp = cchc_site["http"].get(href)
        assert resp.status_code == 200 and resp.headers["cache-control"].startswith("public")
    w.assert_clean()

    phone = open_page(width=390, height=844)
    phone.page.goto(url + PAGE)
    assert phone.page.locator("#bang-xep-hang").is_visible()
    check_axe(phone.page, "public-cchc-phone")
    shoot(phone.page, "public-cchc-phone")
    phone.assert_clean()
