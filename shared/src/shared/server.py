"""Server timeouts for every HTTP process (uvicorn), set in one place.

uvicorn closes an idle keep-alive connection after ``timeout_keep_alive`` but never times out a
connection that opens and sends nothing, or sends half a request head and stops: each such
connection would be held forever. ``GuardedH11Protocol`` arms a header timer when a connection
opens and after each answer, and closes the connection if no complete request head arrives in
``CONGVU_HTTP_HEADER_TIMEOUT_SECONDS``. The body deadline is the edge middleware's
(``shared.edge``, 408). Use it with ``uvicorn --http shared.server:GuardedH11Protocol`` or
``uvicorn.run(app, **uvicorn_options())``.
"""

from __future__ import annotations

import asyncio
import gc
import os
from functools import cache
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

from shared.settings import HttpSettings


@cache
def _settings() -> HttpSettings:
    return HttpSettings()


class GuardedH11Protocol(H11Protocol):
    _header_timer: asyncio.TimerHandle | None = None
    _armed_for: Any = None

    def _arm(self) -> None:
        self._disarm()
        self._armed_for = self.cycle
        self._header_timer = self.loop.call_later(
            _settings().header_timeout_seconds, self._header_timeout
        )

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _header_timeout(self) -> None:
        self._header_timer = None
        if self.cycle is self._armed_for and not self.transport.is_closing():
            self.transport.close()  # no complete request head in time

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self._header_timer is not None and self.cycle is not self._armed_for:
            self._disarm()  # a request head arrived: the body deadline is the app's

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)


def uvicorn_options() -> dict[str, Any]:
    """Keyword arguments for ``uvicorn.run`` / ``uvicorn.Config``."""
    settings = _settings()
    return {
        "http": GuardedH11Protocol,
        "timeout_keep_alive": settings.keep_alive_seconds,
        "h11_max_incomplete_event_size": 16 * 1024,
    }


def settle_heap() -> None:
    """Call once a server has started (its lifespan's startup done): everything loaded by then
    (modules, routes, templates, settings, the application and its pools) lives as long as
    the process. ``gc.freeze()`` moves it out of the collector's generations, so the full
    collections that requests trigger under load walk only what requests allocate. Issue 14:
    a full collection of the pages server walked the whole startup heap and stalled every
    request in flight (≈ 60–600 ms wall under load, ``docs/bench/RESULTS.md``). Nothing is
    collected differently for objects made later. ``CONGVU_GC_FREEZE=off`` skips it."""
    if os.environ.get("CONGVU_GC_FREEZE", "").strip().lower() in ("off", "0", "false", "no"):
        return
    gc.collect()
    gc.freeze()
