"""The first-segment route table (``shared.routing``) chooses what FastAPI's full walk chooses.

Two kinds of check: on small apps built to trip it (a parameter as the first segment registered
before literal routes, a root mount, a prefixed router, the trailing-slash redirect, routes added
after the first request), and on the embedded app, every route's path with several methods
answered byte for byte as without the table (404/405 problem answers included)."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from starlette.responses import PlainTextResponse
from starlette.routing import Match, Mount

from shared.routing import SegmentDispatch, first_segment, install_segment_dispatch

METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH")


def _scope(method: str, path: str) -> dict[str, Any]:
    return {"type": "http", "method": method, "path": path, "root_path": "", "headers": []}


def _chosen(routes: list[Any], method: str, path: str) -> tuple[Match, Any]:
    """FastAPI's rule: the first full match, else the first partial one (→ 405)."""
    partial = None
    for route in routes:
        match, _ = route.matches(_scope(method, path))
        if match == Match.FULL:
            return match, route
        if match == Match.PARTIAL and partial is None:
            partial = route
    return (Match.PARTIAL, partial) if partial is not None else (Match.NONE, None)


def _without_table(app: FastAPI) -> FastAPI:
    app.router.middleware_stack = app.router.app
    return app


def test_first_segment_of_templates() -> None:
    assert first_segment("/v1/units/{unit_id}") == "v1"
    assert first_segment("/") == ""
    assert first_segment("/bang-theo-doi") == "bang-theo-doi"
    assert first_segment("/{name}") is None
    assert first_segment("/ho-so{rest:path}") is None
    assert first_segment("no-slash") is None
    assert first_segment(None) is None


def _tricky_app() -> FastAPI:
    app = FastAPI()
    api = APIRouter(prefix="/v1")

    @api.get("/items/{item_id}")
    def item(item_id: int) -> dict[str, int]:
        return {"item": item_id}

    @api.put("/items/{item_id}")
    def put_item(item_id: int) -> dict[str, str]:
        return {"put": str(item_id)}

    app.include_router(api)

    @app.get("/{name}")  # registered before the literal routes below: it wins for GET /about
    def anything(name: str) -> dict[str, str]:
        return {"anything": name}

    @app.get("/about")
    def about() -> dict[str, str]:
        return {"about": "shadowed"}

    @app.post("/about")
    def post_about() -> dict[str, str]:
        return {"about": "posted"}

    @app.get("/pages/x")
    def pages_x() -> dict[str, str]:
        return {"pages": "x"}

    @app.get("/")
    def root() -> dict[str, str]:
        return {"root": "yes"}

    app.router.routes.append(Mount("/static", app=PlainTextResponse("static")))
    return app


TRICKY = [
    ("GET", "/v1/items/3"),
    ("PUT", "/v1/items/3"),
    ("DELETE", "/v1/items/3"),  # 405 from the first partial match
    ("GET", "/v1/items/x"),  # 422 from the matched route
    ("GET", "/v1/nothing"),
    ("GET", "/about"),
    ("POST", "/about"),
    ("DELETE", "/about"),
    ("GET", "/pages/x"),
    ("GET", "/pages/x/"),  # trailing-slash redirect
    ("GET", "/pages"),
    ("POST", "/pages"),
    ("GET", "/"),
    ("POST", "/"),
    ("GET", "/static/a.css"),
    ("GET", "/static"),
    ("GET", "//"),
    ("GET", "/v1"),
]


def test_tricky_routes_choose_as_the_full_walk() -> None:
    app = _tricky_app()
    dispatch = SegmentDispatch(app.router)
    for method in METHODS:
        for _, path in TRICKY:
            shorter = dispatch.router_for(_scope(method, path))
            assert _chosen(shorter.routes, method, path) == _chosen(
                app.router.routes, method, path
            ), (method, path)
    # the wildcard route is in every list, the literal ones only in their own
    assert len(dispatch.router_for(_scope("GET", "/pages/x")).routes) == 2
    assert len(dispatch.router_for(_scope("GET", "/unknown")).routes) == 1


def test_tricky_routes_answer_as_without_the_table() -> None:
    with_table, without = _tricky_app(), _without_table(_tricky_app())
    assert install_segment_dispatch(with_table)
    a = TestClient(with_table, follow_redirects=False)
    b = TestClient(without, follow_redirects=False)
    for method, path in TRICKY:
        ra, rb = a.request(method, path), b.request(method, path)
        assert (ra.status_code, ra.headers.get("location"), ra.content) == (
            rb.status_code,
            rb.headers.get("location"),
            rb.content,
        ), (method, path)
    assert a.get("/about").json() == {"anything": "about"}  # the earlier wildcard won
    assert a.delete("/v1/items/3").status_code == 405


def test_routes_added_after_the_first_request_are_found() -> None:
    app = FastAPI()

    @app.get("/one")
    def one() -> str:
        return "one"

    assert install_segment_dispatch(app)
    client = TestClient(app)
    assert client.get("/one").json() == "one"
    assert client.get("/two").status_code == 404

    @app.get("/two")
    def two() -> str:
        return "two"

    late = APIRouter(prefix="/late")

    @late.get("/x")
    def late_x() -> str:
        return "late"

    assert client.get("/two").json() == "two"
    app.include_router(late)
    assert client.get("/late/x").json() == "late"
    app.router.routes.append(Mount("/m", app=PlainTextResponse("m")))
    assert client.get("/m/y").text == "m"


def test_not_installed_twice_or_over_router_middleware() -> None:
    app = FastAPI()
    assert install_segment_dispatch(app)
    assert not install_segment_dispatch(app)


# ------------------------------------------------------------------ the embedded app
def _concrete(path_format: str) -> str:
    def value(m: re.Match[str]) -> str:
        name = m.group(1)
        if "year" in name:
            return "2025"
        if name.endswith("id"):
            return str(uuid.UUID(int=7))
        return "x"

    return re.sub(r"\{([^}:]+)(?::[^}]*)?\}", value, path_format)


@pytest.fixture(scope="module")
def embedded_pair(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from embedded.app import create_embedded_app

    data = Path(tmp_path_factory.mktemp("dispatch"))  # one data directory: the same keys
    with_table = create_embedded_app(data, demo=False)
    without = _without_table(create_embedded_app(data, demo=False))
    assert isinstance(with_table.router.middleware_stack, SegmentDispatch)
    with (
        TestClient(with_table, follow_redirects=False) as a,
        TestClient(without, follow_redirects=False) as b,
    ):
        yield with_table, a, b


def _masked(body: bytes) -> bytes:
    return re.sub(rb'name="csrftoken" value="[^"]*"', b"csrf", body)


def _paths(app: FastAPI) -> list[str]:
    found = {
        _concrete(p)
        for context in iter_route_contexts(app.router.routes)
        if isinstance(p := context.path_format, str)
    }
    found |= {p + "/" for p in found if p != "/"} | {"/nope", "/v1/nope", "/ho-so/x/y/z/w"}
    return sorted(found)


def test_embedded_routes_choose_as_the_full_walk(embedded_pair: Any) -> None:
    app, _, _ = embedded_pair
    dispatch = app.router.middleware_stack
    assert isinstance(dispatch, SegmentDispatch)
    paths = _paths(app)
    assert len(paths) > 150
    for path in paths:
        for method in METHODS:
            shorter = dispatch.router_for(_scope(method, path))
            assert len(shorter.routes) < len(app.router.routes)
            assert _chosen(shorter.routes, method, path) == _chosen(
                app.router.routes, method, path
            ), (method, path)


def test_embedded_answers_as_without_the_table(embedded_pair: Any) -> None:
    """Every route's path, GET/POST/DELETE, no credentials: status, headers and body equal
    (the request id sent, so the problem answers' ``instance`` is the same)."""
    app, a, b = embedded_pair
    seen: set[int] = set()
    for n, path in enumerate(_paths(app)):
        for method in ("GET", "POST", "DELETE"):
            headers = {"X-Request-Id": f"dispatch-{n}-{method}"}
            ra = a.request(method, path, headers=headers)
            rb = b.request(method, path, headers=headers)
            drop = {"date", "set-cookie", "etag"}
            ha = {k: v for k, v in ra.headers.items() if k not in drop}
            hb = {k: v for k, v in rb.headers.items() if k not in drop}
            assert (ra.status_code, ha) == (rb.status_code, hb), (method, path)
            # each client has its own CSRF token (a random cookie): masked
            assert _masked(ra.content) == _masked(rb.content), (method, path)
            seen.add(ra.status_code)
    assert {404, 405, 307}.issubset(seen), seen
