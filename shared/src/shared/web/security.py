"""Protection every page shares: CSRF on every form, request-body limits, security headers.

- **CSRF**: asgi-csrf (double-submit signed cookie ``csrftoken``; the form field ``csrftoken``,
  first in the form, or the ``x-csrftoken`` header). The JSON API under ``/v1/`` is not
  cookie-authenticated and is skipped (asgi-csrf also skips ``Authorization: Bearer``);
  the sign-in forms are protected even before any cookie exists. A refused form gets a
  Vietnamese page (403), or problem+json ``request.csrf_failed`` for a client asking JSON.
- **Body limits**: a request whose body exceeds the limit of its path (longest matching
  prefix) gets 413 before the application reads it: problem+json ``request.too_large`` for
  API clients, a Vietnamese page for browsers. A second fence is the proxy's limit.
"""

from __future__ import annotations

import html
import json
import secrets
from collections.abc import Iterable
from http.cookies import SimpleCookie
from typing import Any, Final

from asgi_csrf import asgi_csrf
from itsdangerous import BadSignature, URLSafeSerializer
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.problems import PROBLEM_BASE_URI, PROBLEM_CONTENT_TYPE

CSRF_COOKIE: Final = "csrftoken"
CSRF_FIELD: Final = "csrftoken"
API_PREFIXES: Final = ("/v1/", "/.well-known/", "/openapi.json")


def csp(form_action: Iterable[str] = ()) -> str:
    """The pages' policy: nothing inline, nothing from another host, no eval."""
    actions = " ".join(["'self'", *form_action])
    return "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            "connect-src 'self'",
            "style-src 'self'",
            "img-src 'self'",
            "font-src 'self'",
            "base-uri 'none'",
            f"form-action {actions}",
            "frame-ancestors 'none'",
        ]
    )


def security_headers(form_action: Iterable[str] = ()) -> dict[str, str]:
    return {
        "Content-Security-Policy": csp(form_action),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    }


def _wants_html(scope: Scope) -> bool:
    headers = dict(scope.get("headers") or [])
    accept = headers.get(b"accept", b"").decode("latin-1")
    return "text/html" in accept or b"hx-request" in headers


def _page(title: str, message: str, message_en: str) -> bytes:
    e = html.escape
    return (
        '<!doctype html><html lang="vi"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{e(title)}'
        "</title></head><body><main>"
        f'<h1>{e(title)}</h1><p role="alert">{e(message)}</p><p lang="en">{e(message_en)}</p>'
        '<p><a href="/">Về trang chủ / Home</a></p></main></body></html>'
    ).encode()


async def _send_refusal(
    scope: Scope,
    send: Send,
    status: int,
    code: str,
    title: str,
    message: str,
    message_en: str,
) -> None:
    if _wants_html(scope):
        body = _page(title, message, message_en)
        content_type = b"text/html; charset=utf-8"
        headers = [
            (k.lower().encode(), v.encode())
            for k, v in security_headers().items()
            if k != "Content-Security-Policy"
        ]
        # the refusal page has no script and no style at all
        headers.append((b"content-security-policy", b"default-src 'none'; base-uri 'none'"))
    else:
        body = json.dumps(
            {
                "type": PROBLEM_BASE_URI + code,
                "title": title,
                "title_en": message_en,
                "status": status,
                "code": code,
                "detail": message,
            },
            ensure_ascii=False,
        ).encode()
        content_type = PROBLEM_CONTENT_TYPE.encode()
        headers = []
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode()),
                (b"cache-control", b"no-store"),
                (b"connection", b"close"),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def _csrf_failed(scope: Scope, send: Send, message_id: Any) -> None:
    await _send_refusal(
        scope,
        send,
        403,
        "request.csrf_failed",
        "Không gửi được biểu mẫu",
        "Biểu mẫu thiếu hoặc sai mã bảo vệ (CSRF), có thể do trang đã mở quá lâu. "
        "Hãy tải lại trang rồi gửi lại; không có gì được lưu.",
        "The form's protection token (CSRF) is missing or wrong; reload the page and send it "
        "again. Nothing was stored.",
    )


class _TokenFound(Exception):
    pass


class _FileBeforeToken(Exception):
    pass


async def _multipart_token(boundary: bytes, receive: Receive) -> tuple[str | None, Receive]:
    """The ``csrftoken`` field of a multipart body, read before any file part (which must come
    after it), and a ``receive`` that replays what was read. asgi-csrf 0.11 does this with a
    python-multipart API that later versions removed, so the portal does it here."""
    messages: list[Message] = []
    state: dict[str, Any] = {"field": b"", "value": b"", "disposition": b"", "data": b""}

    def on_header_field(data: bytes, start: int, end: int) -> None:
        state["field"] += data[start:end]

    def on_header_value(data: bytes, start: int, end: int) -> None:
        state["value"] += data[start:end]

    def on_header_end() -> None:
        if state["field"].lower() == b"content-disposition":
            state["disposition"] = state["value"]
        state["field"], state["value"] = b"", b""

    def on_headers_finished() -> None:
        _, options = parse_options_header(state["disposition"])
        if b"filename" in options:
            raise _FileBeforeToken
        state["name"] = options.get(b"name", b"")
        state["data"] = b""

    def on_part_data(data: bytes, start: int, end: int) -> None:
        if state.get("name") == CSRF_FIELD.encode():
            state["data"] += data[start:end]

    def on_part_end() -> None:
        if state.get("name") == CSRF_FIELD.encode():
            raise _TokenFound(state["data"].decode("utf-8", "replace"))
        state["disposition"] = b""

    parser = MultipartParser(
        boundary,
        {
            "on_header_field": on_header_field,
            "on_header_value": on_header_value,
            "on_header_end": on_header_end,
            "on_headers_finished": on_headers_finished,
            "on_part_data": on_part_data,
            "on_part_end": on_part_end,
        },
    )

    async def replay() -> Message:
        if messages:
            return messages.pop(0)
        return await receive()

    token: str | None = None
    try:
        more = True
        while more:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            parser.write(message.get("body", b""))
            more = bool(message.get("more_body", False))
    except _TokenFound as found:
        token = str(found.args[0])
    except _FileBeforeToken:
        token = None
    return token, replay


class CsrfMiddleware:
    """asgi-csrf around an app, with the portal's rules (see the module docstring)."""

    def __init__(
        self, app: ASGIApp, *, secret: str, protect: Iterable[str] = (), secure: bool = False
    ) -> None:
        self.raw = app
        self.protect = set(protect)
        self.signer = URLSafeSerializer(secret)
        self.app = asgi_csrf(
            app,
            signing_secret=secret,
            always_protect=set(protect),
            skip_if_scope=lambda scope: str(scope.get("path", "")).startswith(API_PREFIXES),
            cookie_secure=secure,
            cookie_samesite="Lax",
            send_csrf_failed=_csrf_failed,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in ("GET", "HEAD", "OPTIONS", "TRACE"):
            headers = dict(scope.get("headers") or [])
            content_type = headers.get(b"content-type", b"")
            path = str(scope.get("path", ""))
            if (
                content_type.split(b";", 1)[0].strip() == b"multipart/form-data"
                and not path.startswith(API_PREFIXES)
                and not headers.get(b"authorization", b"").startswith(b"Bearer ")
                and not headers.get(b"x-csrftoken")
                and (headers.get(b"cookie") or path in self.protect)
            ):
                await self._multipart(scope, receive, send, content_type)
                return
        await self.app(scope, receive, send)

    async def _multipart(self, scope: Scope, receive: Receive, send: Send, ctype: bytes) -> None:
        cookie = _cookie(scope, CSRF_COOKIE)
        try:
            self.signer.loads(cookie or "", "csrftoken")
        except BadSignature:
            cookie = None
        _, options = parse_options_header(ctype)
        boundary = options.get(b"boundary")
        token, replay = (
            (None, receive) if not boundary else await _multipart_token(boundary, receive)
        )
        if cookie is None or token is None or not secrets.compare_digest(token, cookie):
            await _csrf_failed(scope, send, None)
            return
        await self.raw({**scope, "csrftoken": lambda: cookie}, replay, send)


def _cookie(scope: Scope, name: str) -> str | None:
    for key, value in scope.get("headers") or []:
        if key == b"cookie":
            jar: SimpleCookie = SimpleCookie()
            jar.load(value.decode("latin-1"))
            if name in jar:
                return jar[name].value
    return None


class _TooLarge(Exception):
    pass


class BodyLimitMiddleware:
    """413 for a body over the limit of its path; ``limits`` maps path prefixes to bytes."""

    def __init__(self, app: ASGIApp, *, limits: dict[str, int | None], default: int) -> None:
        self.app = app
        self.limits = limits  # read on each request: routes may add theirs before start
        self.default = default

    def limit_for(self, path: str) -> int | None:
        """The limit of the longest matching prefix; None: not limited here."""
        best: int = -1
        limit: int | None = self.default
        for prefix, value in self.limits.items():
            if path.startswith(prefix) and len(prefix) > best:
                best, limit = len(prefix), value
        return limit

    async def _refuse(self, scope: Scope, send: Send, limit: int) -> None:
        mb = f"{limit / 1_000_000:.1f}".replace(".", ",")
        await _send_refusal(
            scope,
            send,
            413,
            "request.too_large",
            "Dữ liệu gửi lên quá lớn",
            f"Tệp hoặc biểu mẫu vượt giới hạn {mb} MB của trang này; không có gì được lưu.",
            f"The upload exceeds this page's limit of {limit} bytes; nothing was stored.",
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        if limit is None:
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._refuse(scope, send, limit)
            return
        seen = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise _TooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _TooLarge:
            if started:
                raise
            await self._refuse(scope, send, limit)
        except BaseExceptionGroup as group:  # anyio task groups wrap it
            if started or not group.subgroup(_TooLarge):
                raise
            await self._refuse(scope, send, limit)
