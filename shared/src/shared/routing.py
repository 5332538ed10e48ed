"""Routes looked up by the request's first path segment before FastAPI walks its route list.

FastAPI (Starlette) finds a request's route by trying every route in order until one matches:
each try is a regular expression and, for an included router, a walk of that router's own
routes with FastAPI's scope bookkeeping around each. The portal's pages are registered after the
≈200 JSON API routes, so every page request tried all of them first (≈30 % of the pages
server's time under load, ``docs/bench/RESULTS.md``).

:func:`install_segment_dispatch` puts a table in front of that walk: for each first path segment
(``v1``, ``bang-theo-doi``, ``ho-so`` …) the top-level routes that *could* match a path starting
with it, in their registration order. A route whose path template starts with a literal segment
can only match paths whose first segment is that literal (Starlette's path expressions are
anchored, their literal parts escaped); a route whose first segment holds a parameter, a mount at
the root, a host route or anything this module does not know is kept in every list. The same
FastAPI router code then runs on the shorter list, so the route chosen, the 405 of a path known
with another method (the first partial match), the trailing-slash redirect (it keeps the first
segment), the 404 and every middleware and exception handler around the router are what they
were: only routes that could not have matched are skipped.

The table is built at the first request and rebuilt when the app's own route list changes
(its routes version and length: ``app.get``, ``include_router``, ``app.routes.append`` after a
request). Not seen: routes added to an ``APIRouter`` *after* it was included and *after* the
first request (FastAPI's full version check walks every router, ≈40 µs a request; the project
builds every router before including it). Anything the table cannot vouch for goes to the
full router: a
path not starting with ``/`` (after ``root_path``), a router with low-priority (frontend)
routes, a FastAPI without the internals read here, a router with its own middleware.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute, APIRouter, APIWebSocketRoute
from starlette.routing import BaseRoute, Mount, Route, WebSocketRoute, get_route_path
from starlette.types import Receive, Scope, Send

_LEAVES = (APIRoute, APIWebSocketRoute, Route, WebSocketRoute, Mount)


def first_segment(template: object) -> str | None:
    """The literal first segment of a route's path template (``/v1/units/{id}`` → ``v1``,
    ``/`` → ``""``), or ``None`` if it could match any first segment."""
    if not isinstance(template, str) or not template.startswith("/"):
        return None
    segment = template[1:].partition("/")[0]
    return None if "{" in segment or "}" in segment else segment


def _leaf_segments(route: object) -> Iterable[str | None]:
    """First segments a top-level route can match (``None``: any)."""
    effective = getattr(route, "effective_route_contexts", None)
    if effective is not None:  # FastAPI's included router: its routes with their prefixes
        for context in effective():
            original = getattr(context, "original_route", None)
            starlette_route = getattr(context, "starlette_route", None)
            if isinstance(original, APIRoute):
                yield first_segment(getattr(context, "path_format", None))
            elif isinstance(original, _LEAVES) and isinstance(starlette_route, _LEAVES):
                yield _own_segment(starlette_route)
            else:
                yield None
        return
    yield _own_segment(route) if isinstance(route, _LEAVES) else None


def _own_segment(route: BaseRoute) -> str | None:
    if isinstance(route, Mount):  # "/x" matches "/x" and "/x/…"; a root mount matches all
        path = getattr(route, "path", "")
        return first_segment(path) if isinstance(path, str) and path.strip("/") else None
    return first_segment(getattr(route, "path_format", None))


class SegmentDispatch:
    """The router's request handler with a first-segment table in front (see the module)."""

    def __init__(self, router: APIRouter) -> None:
        self.router = router
        self._key: tuple[int, int] | None = None
        self._tables: tuple[dict[str, APIRouter], APIRouter] | None = None

    def _routes_key(self) -> tuple[int, int]:
        return (self.router._routes_version, len(self.router.routes))

    def _shadow(self, routes: list[BaseRoute]) -> APIRouter:
        """The same router (settings, default, redirect rule) over a shorter route list."""
        shadow = copy.copy(self.router)
        shadow.routes = routes
        return shadow

    def _build(self) -> tuple[dict[str, APIRouter], APIRouter] | None:
        if any(True for _ in self.router._iter_low_priority_routes()):
            return None  # frontend fallbacks are matched over every router: not narrowed
        per_route = [(route, set(_leaf_segments(route))) for route in self.router.routes]
        segments = {s for _, found in per_route for s in found if s is not None}
        anywhere = [route for route, found in per_route if None in found]
        by_segment = {
            segment: self._shadow(
                [route for route, found in per_route if segment in found or None in found]
            )
            for segment in segments
        }
        return by_segment, self._shadow(anywhere)

    def tables(self) -> tuple[dict[str, APIRouter], APIRouter] | None:
        key = self._routes_key()
        if key != self._key:
            self._tables, self._key = self._build(), key
        return self._tables

    def router_for(self, scope: Scope) -> APIRouter:
        """The (possibly shorter) router that handles ``scope``."""
        if scope["type"] not in ("http", "websocket"):
            return self.router
        tables = self.tables()
        path = get_route_path(scope)
        if tables is None or not path.startswith("/"):
            return self.router
        by_segment, anywhere = tables
        return by_segment.get(path[1:].partition("/")[0], anywhere)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        router = self.router_for(scope)
        if router is not self.router and "router" not in scope:
            scope["router"] = self.router  # url_for and friends see the whole app
        await router.app(scope, receive, send)


def install_segment_dispatch(app: FastAPI) -> bool:
    """Route ``app``'s requests through a :class:`SegmentDispatch`; False (nothing changed) if
    this FastAPI lacks what it reads or the router carries its own middleware."""
    router: Any = app.router
    needed = ("_routes_version", "_iter_low_priority_routes", "app", "routes")
    if not isinstance(router, APIRouter) or not all(hasattr(router, n) for n in needed):
        return False
    if router.middleware_stack != router.app:  # router-level middleware: leave it alone
        return False
    router.middleware_stack = SegmentDispatch(router)
    return True
