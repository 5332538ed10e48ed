"""Server timeouts for every HTTP process (uvicorn), set in one place.

uvicorn closes an idle keep-alive connection after ``timeout_keep_alive`` but never times out a
connection that opens and sends nothing, or sends half a request head and stops: each such
connection would be held forever. The guarded protocols arm a header timer when a connection
opens and after each answer, and close the connection if no complete request head arrives in
``CONGVU_HTTP_HEADER_TIMEOUT_SECONDS``. The body deadline is the edge middleware's
(``shared.edge``, 408).

Two parsers, the same guard:

- ``GuardedH11Protocol``: h11 (pure Python), whose own limit refuses a head over 16 KiB;
- ``GuardedHttpToolsProtocol``: httptools (llhttp, C), which has no head limit of its own: the
  guard counts the bytes of a head and closes the connection past the same 16 KiB.

Use ``uvicorn --http shared.server:GuardedHttpToolsProtocol --loop uvloop`` (the service's
command lines) or ``uvicorn.run(app, **uvicorn_options())``; ``CONGVU_HTTP_PARSER`` chooses.
"""

from __future__ import annotations

import asyncio
import importlib.util
from functools import cache
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

from shared.settings import HttpSettings

MAX_HEAD_BYTES = 16 * 1024
"""The largest request head (request line and headers) a connection may send."""


@cache
def _settings() -> HttpSettings:
    return HttpSettings()


class _HeadDeadline:
    """The guard, for a uvicorn HTTP protocol with ``cycle``, ``loop`` and ``transport``."""

    _header_timer: asyncio.TimerHandle | None = None
    _armed_for: Any = None
    _head_bytes = 0
    cycle: Any
    loop: asyncio.AbstractEventLoop
    transport: asyncio.Transport

    def _arm(self) -> None:
        self._disarm()
        self._armed_for = self.cycle
        self._head_bytes = 0
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

    def _head_received(self) -> None:
        if self._header_timer is not None and self.cycle is not self._armed_for:
            self._disarm()  # a request head arrived: the body deadline is the app's

    # the connection's hooks, before the parser's protocol in the method order
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)  # type: ignore[misc]
        self._arm()

    def on_response_complete(self) -> None:
        super().on_response_complete()  # type: ignore[misc]
        if not self.transport.is_closing():
            self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)  # type: ignore[misc]


class GuardedH11Protocol(_HeadDeadline, H11Protocol):
    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self._head_received()


def _httptools_protocol() -> type[Any]:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    class GuardedHttpTools(_HeadDeadline, HttpToolsProtocol):
        def data_received(self, data: bytes) -> None:
            waiting = self._header_timer is not None  # for a whole head
            super().data_received(data)
            self._head_received()
            if waiting and self._header_timer is not None:  # still no whole head
                self._head_bytes += len(data)
                if self._head_bytes > MAX_HEAD_BYTES and not self.transport.is_closing():
                    self._disarm()
                    self.send_400_response("Request head too large.")

    GuardedHttpTools.__name__ = GuardedHttpTools.__qualname__ = "GuardedHttpToolsProtocol"
    return GuardedHttpTools


def __getattr__(name: str) -> Any:
    # built on first use: httptools is imported only by a server that asks for it
    if name == "GuardedHttpToolsProtocol":
        protocol = _httptools_protocol()
        globals()[name] = protocol
        return protocol
    raise AttributeError(name)


def uvicorn_options() -> dict[str, Any]:
    """Keyword arguments for ``uvicorn.run`` / ``uvicorn.Config``."""
    settings = _settings()
    options: dict[str, Any] = {
        "timeout_keep_alive": settings.keep_alive_seconds,
        "h11_max_incomplete_event_size": MAX_HEAD_BYTES,
    }
    if settings.parser == "httptools":
        options["http"] = __getattr__("GuardedHttpToolsProtocol")
        if importlib.util.find_spec("uvloop") is not None:
            options["loop"] = "uvloop"
    else:
        options["http"] = GuardedH11Protocol
    return options
