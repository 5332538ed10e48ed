"""One thread-pool hop for blocking work of a request, without anyio's per-call machinery.

A plain ``def`` endpoint (or ``run_in_threadpool``) goes through anyio's ``to_thread``: a
capacity limiter, a cancel scope and a run-variable look-up per call, then a queue hand-off to
a worker. Issue 14's profile of a command over HTTP put that at ~5 % of the server. The command
and cast endpoints are ``async`` and hand their synchronous store work here instead: the
event loop's ``run_in_executor`` on one bounded pool per process, with the caller's context
variables (the request id of the logs) copied into the worker as anyio does.

The work is never abandoned half-way: a cancelled caller stops waiting, the worker finishes
the command (its commit included), as with anyio's default.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

MAX_THREADS = 40
"""As anyio's default thread limiter: requests waiting on the group commit hold a thread."""

_pool: ThreadPoolExecutor | None = None
_lock = threading.Lock()


def _executor() -> ThreadPoolExecutor:
    global _pool
    if _pool is None:
        with _lock:
            if _pool is None:
                _pool = ThreadPoolExecutor(MAX_THREADS, thread_name_prefix="congvu-request")
    return _pool


async def in_thread(fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """``fn(*args, **kwargs)`` in a worker thread, awaited on the running loop."""
    ctx = contextvars.copy_context()
    call = functools.partial(ctx.run, fn, *args, **kwargs)
    return await asyncio.get_running_loop().run_in_executor(_executor(), call)
