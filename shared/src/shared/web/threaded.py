"""Page handlers off the event loop: the async parts of a request, called from a plain ``def``.

A page reads a store (SQLite or PostgreSQL, synchronous drivers) and renders a template: both
block. Written as ``async def``, a page runs that work on the event loop, and one slow board
holds up every other request of the process. Written as plain ``def``, Starlette runs it in
its thread pool (anyio's default limiter, 40 threads) and the loop stays free. What a page
still needs from the loop — the session's viewer (an expiring provider token is refreshed over
HTTP) and the request's form (the body is received on the loop) — it gets through these
helpers, which hand the coroutine back to the loop and wait for it
(:func:`anyio.from_thread.run`). Called from the loop itself they raise ``RuntimeError``, so a
page that is still ``async def`` cannot use them by mistake.
"""

from __future__ import annotations

from typing import Any

import anyio.from_thread
from fastapi import Request
from starlette.datastructures import FormData

from shared.web import signin
from shared.web.pages import Viewer


def current_viewer(request: Request) -> Viewer | None:
    """:func:`shared.web.signin.current_viewer` from a page running in the thread pool."""
    return anyio.from_thread.run(signin.current_viewer, request)


def require_viewer(request: Request) -> Viewer:
    """:func:`shared.web.signin.require_viewer` (raises ``SignInRequired``), from the pool."""
    return anyio.from_thread.run(signin.require_viewer, request)


def form(request: Request, **limits: Any) -> FormData:
    """``await request.form(**limits)`` from the pool (the limits are Starlette's)."""

    async def read() -> FormData:
        return await request.form(**limits)

    return anyio.from_thread.run(read)
