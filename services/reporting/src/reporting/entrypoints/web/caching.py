"""Page data kept while the read models stand still, and HTTP validators for public pages.

- :class:`PageCache`: a bounded LRU of what a page computed from the read models (the board's
  page of rows, the public results), keyed by the request's parameters and kept only while
  the read models' version (:func:`reporting.consumer.positions.read_model_version`, every
  consumer's position) is the one it was computed at. The first request after an event
  clears it. Nothing expires by time; a page that depends on the date puts the date in its
  key.
- :func:`etag_for` / :func:`not_modified`: an ETag from the same version, the process, the
  language, the address and who is looking, so a browser revalidating a public page
  (``If-None-Match``) gets 304 without the page being rendered again.

``CONGVU_PAGE_CACHE=off`` turns both off (every request reads and renders; no ETag), for the
benchmark's baseline and for diagnosis.
"""

from __future__ import annotations

import hashlib
import os
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Final, TypeVar

from fastapi import Request
from fastapi.responses import Response

from reporting.consumer.positions import read_model_version
from shared.sql import Database
from shared.web.pages import Viewer

T = TypeVar("T")
# Pages rendered by another process or another build never match: a deploy changes nothing
# on the board, but it may change the page.
PROCESS: Final = uuid.uuid4().hex


def enabled_by_env() -> bool:
    return os.environ.get("CONGVU_PAGE_CACHE", "on").strip().lower() not in {"off", "0", "false"}


class PageCache:
    def __init__(self, size: int = 512, enabled: bool = True) -> None:
        self.size = size
        self.enabled = enabled and size > 0
        self._lock = threading.Lock()
        self._version: str | None = None
        self._entries: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def version(self, db: Database) -> str:
        with db.transaction() as tx:
            return read_model_version(tx)

    def get(self, version: str, key: tuple[Any, ...], make: Callable[[], T]) -> T:
        """``make()``'s value for ``key`` at ``version`` (computed once per version)."""
        if not self.enabled:
            return make()
        with self._lock:
            if version != self._version:
                self._entries.clear()
                self._version = version
            if key in self._entries:
                self._entries.move_to_end(key)
                self.hits += 1
                return self._entries[key]
            self.misses += 1
        value = make()  # outside the lock: two misses at once both compute, one is kept
        with self._lock:
            if version == self._version:
                self._entries[key] = value
                while len(self._entries) > self.size:
                    self._entries.popitem(last=False)
        return value

    def page(
        self, version: str, request: Request, key: tuple[Any, ...], render: Callable[[], Response]
    ) -> Response:
        """A rendered page, kept as bytes under ``key`` plus everything else the template
        sees: the address, the language, the viewer and the CSRF token of a signed-in page
        (the sign-out form carries it). A page whose session was refreshed while serving it
        is not kept (its answer sets a cookie)."""
        if not self.enabled or getattr(request.state, "session_update", None) is not None:
            return render()
        viewer = getattr(request.state, "viewer", None)
        csrf = request.scope.get("csrftoken")
        token = csrf() if viewer is not None and callable(csrf) else ""
        url = request.url.path + "?" + request.url.query
        lang = request.app.state.portal.language(request)
        full = (*key, url, lang, viewer_key(viewer), token)
        body, status, headers = self.get(version, full, lambda: _frozen(render()))
        return Response(body, status_code=status, headers=headers)


def _frozen(response: Response) -> tuple[bytes, int, dict[str, str]]:
    """A rendered page as bytes, status and headers, to be served again (no cookie)."""
    skip = {"content-length", "set-cookie"}
    keep = {k: v for k, v in response.headers.items() if k not in skip}
    return bytes(response.body), response.status_code, keep


def viewer_key(viewer: Viewer | None) -> str:
    if viewer is None:
        return "-"
    c = viewer.caller
    return f"{viewer.kind}|{c.tenant}|{c.subject}|{c.role}|{c.acting_for}|{viewer.name}"


def etag_for(version: str, lang: str, request: Request, viewer: Viewer | None) -> str:
    """A strong validator of the page as this viewer would get it now."""
    url = request.url.path + "?" + request.url.query
    raw = "\n".join((PROCESS, version, lang, url, viewer_key(viewer)))
    return '"' + hashlib.sha256(raw.encode()).hexdigest()[:32] + '"'


def matches(request: Request, tag: str) -> bool:
    """``If-None-Match`` names ``tag`` (weak comparison, as RFC 9110 asks for GET) or is ``*``."""
    raw = request.headers.get("if-none-match")
    if not raw:
        return False
    tags = {t.strip().removeprefix("W/") for t in raw.split(",")}
    return "*" in tags or tag in tags


def cache_headers(tag: str, viewer: Viewer | None) -> dict[str, str]:
    # no-cache: a browser may keep the page but must ask again (a 304 is cheap); private
    # when signed in (the page names the viewer)
    return {
        "ETag": tag,
        "Cache-Control": "private, no-cache" if viewer is not None else "no-cache",
        "Vary": "Cookie",
    }


def not_modified(headers: dict[str, str]) -> Response:
    return Response(status_code=304, headers=headers)
