"""The pages' read-model cache and validators, over HTTP on the embedded app (demo data):
the public results answer 304 to their own ETag, a new event changes the ETag and the board
shows the new state at once (the cache is keyed by the read models' positions, not by time),
and ``CONGVU_PAGE_CACHE=off`` turns both off."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from embedded.app import create_embedded_app
from embedded.demo import HOME_AFFAIRS
from helpers import TEST_ISSUER
from reporting.read_models.cycle_board.queries import get_board, list_cycles

PUBLIC = "/cong-khai?tinh=dong-nai&nam=2013"


def sign_in(client: TestClient) -> None:
    client.get("/dang-nhap").raise_for_status()
    resp = client.post(
        "/dang-nhap/thu-nghiem",
        data={"csrftoken": client.cookies["csrftoken"], "username": "snv.tonghop"},
        follow_redirects=False,
    )
    assert resp.status_code == 303, resp.text[:300]


def wait_for_new_etag(client: TestClient, old: str) -> str:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        tag = client.get(PUBLIC).headers["etag"]
        if tag != old:
            return tag
        time.sleep(0.05)
    raise AssertionError("the read models never moved")


def settle(client: TestClient) -> None:
    """Until the relay has brought the demo into the read models (the ETag holds still)."""
    deadline = time.monotonic() + 30
    last = client.get(PUBLIC).headers["etag"]
    while time.monotonic() < deadline:
        time.sleep(0.5)
        tag = client.get(PUBLIC).headers["etag"]
        if tag == last:
            return
        last = tag
    raise AssertionError("the read models never settled")


@pytest.fixture
def client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("CONGVU_PAGE_CACHE", "on")
    app = create_embedded_app(tmp_path, demo=True, issuer=TEST_ISSUER)
    with TestClient(app) as c:
        settle(c)
        yield c


def test_public_results_revalidate_with_304_until_an_event(client: TestClient) -> None:
    first = client.get(PUBLIC)
    assert first.status_code == 200
    tag = first.headers["etag"]
    assert first.headers["cache-control"] == "no-cache"
    again = client.get(PUBLIC, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == tag
    # the cached page is the page: same bytes as a fresh render would give
    assert client.get(PUBLIC).text == first.text
    assert client.get(PUBLIC, headers={"If-None-Match": '"other"'}).status_code == 200

    app = client.app.state.assessment  # type: ignore[attr-defined]
    app.register_unit(HOME_AFFAIRS, code="CACHE1", name="Đơn vị thử bộ đệm", kind="department")
    new = wait_for_new_etag(client, tag)
    assert client.get(PUBLIC, headers={"If-None-Match": tag}).status_code == 200
    assert client.get(PUBLIC, headers={"If-None-Match": new}).status_code == 304


def test_board_shows_an_event_at_once_despite_the_cache(client: TestClient) -> None:
    sign_in(client)
    state = client.app.state  # type: ignore[attr-defined]
    cycle = next(c for c in list_cycles(state.reporting_db, "dong-nai") if c["year"] == 2013)
    rows = get_board(
        state.reporting_db, "dong-nai", str(cycle["id"]), page=1, page_size=500, status=None
    )["items"]
    flagged = get_board(
        state.reporting_db, "dong-nai", str(cycle["id"]), page=1, page_size=500,
        status="perfunctory",
    )["items"]  # fmt: skip
    done = {r["unit_id"] for r in flagged}
    unit = next(r for r in rows if r["unit_id"] not in done)
    path = "/bang-theo-doi?nam=2013&loc=perfunctory"
    before = client.get(path)
    link = f'href="/ho-so/2013/{unit["unit_code"]}"'
    assert before.status_code == 200 and link not in before.text
    assert client.get(path).text == before.text  # served from the cache, same page
    tag = client.get(PUBLIC).headers["etag"]
    state.assessment.flag_perfunctory(
        HOME_AFFAIRS, uuid.UUID(str(cycle["id"])), uuid.UUID(str(unit["unit_id"])),
        reason="Báo cáo sơ sài: thiếu số liệu minh chứng.",
    )  # fmt: skip
    wait_for_new_etag(client, tag)
    assert link in client.get(path).text


def test_cache_off_gives_no_validator(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONGVU_PAGE_CACHE", "off")
    app = create_embedded_app(tmp_path, demo=True, issuer=TEST_ISSUER)
    with TestClient(app) as c:
        resp = c.get(PUBLIC)
        assert resp.status_code == 200 and "etag" not in resp.headers
        assert resp.headers["cache-control"] == "no-store"
        assert c.get(PUBLIC, headers={"If-None-Match": "*"}).status_code == 200
