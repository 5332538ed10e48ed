"""Page handlers off the event loop: the async parts of a request, called from a plain ``def``.

A page reads a store (SQLite or PostgreSQL, synchronous drivers) and renders a template: both
block. Written as ``async def``, a page runs that work on the event loop, and one slow board
holds up every other request of the process. Written as plain ``def`` under :func:`page`, it
runs in a worker thread of the pages' own limiter (``CONGVU_PAGE_THREADS``, 4) and the loop
stays free. What a page
still needs from the loop — the session's viewer (an expiring provider token is refreshed over
HTTP) and the request's form (the body is received on the loop) — it gets through these
helpers, which hand the coroutine back to the loop and wait for it
(:func:`anyio.from_thread.run`). Called from the loop itself they raise ``RuntimeError``, so a
page that is still ``async def`` cannot use them by mistake.
"""

from __future__ import annotations

import asyncio
import functools
import os
from collections.abc import Callable, Coroutine
from typing import Any, Final, TypeVar

import anyio.from_thread
import anyio.to_thread
from anyio import CapacityLimiter
from anyio.lowlevel import RunVar
from fastapi import Request
from starlette.datastructures import FormData

from shared.web import signin
from shared.web.pages import Viewer

T = TypeVar("T")
DEFAULT_THREADS: Final = 4
_LIMITER: RunVar[CapacityLimiter] = RunVar("congvu_page_limiter")


def page_threads() -> int:
    """``CONGVU_PAGE_THREADS`` (default 4): how many pages run at once."""
    raw = os.environ.get("CONGVU_PAGE_THREADS", "").strip()
    return max(1, int(raw)) if raw.isdigit() else DEFAULT_THREADS


def _limiter() -> CapacityLimiter:
    try:  # one per event loop, as anyio keeps its own default limiter
        return _LIMITER.get()
    except LookupError:
        limiter = CapacityLimiter(page_threads())
        _LIMITER.set(limiter)
        return limiter


def page(handler: Callable[..., Any]) -> Callable[..., Any]:
    """Run a plain-``def`` page in the pages' own thread limiter, not FastAPI's default one.

    Measured (``bench/pages_load.py``, 50 users, 2 cores): with anyio's default 40 threads,
    40 pages at once share the GIL and the read-model lock, each finishes late, and the loop
    thread waits behind them for the GIL: slower than the pages on the loop. A few threads
    keep the loop free and serve pages in order; the other requests wait on the loop, costing
    nothing, and never hold a token of the default limiter the JSON API's handlers need.
    FastAPI reads the handler's signature through ``functools.wraps``."""

    @functools.wraps(handler)
    async def run(*args: Any, **kwargs: Any) -> Any:
        call = functools.partial(handler, *args, **kwargs)
        return await anyio.to_thread.run_sync(call, limiter=_limiter())

    return run


def _off_the_loop(what: str) -> None:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return
    raise RuntimeError(f"threaded.{what} called on the event loop: await signin.{what}")


def current_viewer(request: Request) -> Viewer | None:
    """:func:`shared.web.signin.current_viewer` from a page running in the thread pool: the
    session is read and its token checked here, in the page's thread; only a session whose
    provider token must be refreshed (HTTP to the provider) goes back to the loop. (Issue 14:
    the hop to the loop and back was ≈ 8 % of the pages server under load.)"""
    _off_the_loop("current_viewer")
    viewer = signin.viewer_unless_refresh(request)
    if viewer is signin.REFRESH_FIRST:
        return anyio.from_thread.run(signin.current_viewer, request)
    assert viewer is None or isinstance(viewer, Viewer)
    return viewer


def require_viewer(request: Request) -> Viewer:
    """:func:`shared.web.signin.require_viewer` (raises ``SignInRequired``), from the pool."""
    _off_the_loop("require_viewer")
    viewer = current_viewer(request)
    if viewer is None:
        raise signin.SignInRequired(signin.sign_in_target(request))
    return viewer


def wait(function: Callable[..., Coroutine[Any, Any, T]], *args: Any) -> T:
    """``await function(*args)`` on the loop, from the pool (an upload's ``read()``, say)."""
    return anyio.from_thread.run(function, *args)


def form(request: Request, **limits: Any) -> FormData:
    """``await request.form(**limits)`` from the pool (the limits are Starlette's)."""

    async def read() -> FormData:
        return await request.form(**limits)

    return anyio.from_thread.run(read)
