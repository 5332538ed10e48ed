"""The HTTP edge as plain ASGI middleware, in front of every service's routes.

- a request id for every request (``x-request-id`` in, or a new one), set for the logs and
  returned in the ``x-request-id`` header of every answer;
- API request bodies (``/v1/…``) bounded in size (``413``, per path prefix) and in time
  (``408`` when a client stops sending half-way); pages have ``shared.web``'s limits;
- JSON bodies with a duplicated object key refused (``422 request.invalid``, error type
  ``duplicate_key``): two
  parsers that keep different copies of a key must never see different requests;
- the last resort: an exception nobody translated becomes a ``500 internal`` problem that
  carries the request id in its body, its header and the log line, never a bare 500.

Pure ASGI (no ``BaseHTTPMiddleware``) so that streaming answers and the request context
behave as without it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from shared.logging import request_id_var
from shared.problems import PROBLEM_CONTENT_TYPE, AppError

log = logging.getLogger("congvu.http")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
API_PREFIXES = ("/v1/",)
"""The JSON APIs, whose bodies this guard bounds; portal pages (forms, evidence uploads) are
bounded by ``shared.web``'s own limits."""


def internal_error(request_id: str | None) -> AppError:
    rid = request_id or "?"
    return AppError(
        code="internal",
        title="Lỗi hệ thống",
        title_en="Internal error",
        status=500,
        detail=(
            f"Đã ghi nhận lỗi; hãy báo mã yêu cầu {rid} cho quản trị viên "
            f"/ quote request id {rid} to the administrator."
        ),
        extra={"request_id": rid},
    )


def _too_large(limit: int) -> AppError:
    return AppError(
        code="request.too_large",
        title="Dữ liệu gửi lên quá lớn",
        title_en="Payload too large",
        status=413,
        detail=f"nội dung yêu cầu vượt quá {limit} byte / request body over {limit} bytes",
        extra={"max_bytes": limit},
    )


def _body_timeout(seconds: float) -> AppError:
    return AppError(
        code="request.timeout",
        title="Gửi dữ liệu quá chậm",
        title_en="Request body timeout",
        status=408,
        detail=f"không nhận đủ nội dung yêu cầu trong {seconds:g} giây",
        headers={"Connection": "close"},
    )


def _duplicate_key(key: str) -> AppError:
    return AppError(
        code="request.invalid",
        title="Khóa JSON bị lặp",
        title_en="Duplicate JSON key",
        status=422,
        detail=f"khóa '{key[:100]}' xuất hiện hai lần trong cùng một đối tượng JSON",
        extra={
            "errors": [
                {"loc": ["body", key[:100]], "msg": "duplicate key", "type": "duplicate_key"}
            ]
        },
    )


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


def duplicate_json_key(body: bytes) -> str | None:
    """The first key that appears twice in one JSON object of ``body`` (None if none, or if
    the body is not JSON at all: the route's own validation answers that)."""
    try:
        json.loads(body, object_pairs_hook=_no_duplicates)
    except _DuplicateKey as dup:
        return dup.key
    except (ValueError, RecursionError):
        return None
    return None


class _Abort(Exception):
    def __init__(self, problem: AppError) -> None:
        super().__init__(problem.code)
        self.problem = problem


def _request_id(scope: Scope) -> str:
    for name, value in scope.get("headers") or ():
        if name == b"x-request-id":
            rid = value.decode("latin-1")
            if 0 < len(rid) <= 100 and rid.replace("-", "").isalnum():
                return rid
            break
    return uuid.uuid4().hex


def _header(scope: Scope, wanted: bytes) -> str | None:
    for name, value in scope.get("headers") or ():
        if name == wanted:
            return str(value.decode("latin-1"))
    return None


class EdgeGuard:
    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int = 1_048_576,
        body_timeout: float = 15.0,
        route_limits: dict[str, int] | None = None,
        api_prefixes: tuple[str, ...] = API_PREFIXES,
    ) -> None:
        self.app = app
        self.api_prefixes = api_prefixes
        self.max_body_bytes = max_body_bytes
        self.body_timeout = body_timeout
        # longest prefix first
        self.route_limits = sorted((route_limits or {}).items(), key=lambda kv: -len(kv[0]))

    def limit_for(self, path: str) -> int:
        for prefix, limit in self.route_limits:
            if path.startswith(prefix):
                return limit
        return self.max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = _request_id(scope)
        token = request_id_var.set(rid)
        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = [(k, v) for k, v in message.get("headers", []) if k != b"x-request-id"]
                headers.append((b"x-request-id", rid.encode()))
                message["headers"] = headers
            await send(message)

        try:
            guarded = await self._guard_body(scope, receive)
            await self.app(scope, guarded, send_with_id)
        except _Abort as abort:
            if started:
                raise
            await self._problem(send_with_id, abort.problem, rid)
        except Exception:
            log.exception(
                "unhandled error on %s %s (request id %s)",
                scope.get("method"),
                scope.get("path"),
                rid,
            )
            if started:
                raise
            await self._problem(send_with_id, internal_error(rid), rid)
        finally:
            request_id_var.reset(token)

    async def _guard_body(self, scope: Scope, receive: Receive) -> Receive:
        """Read a request body whole, within its size and time limits, before the app runs
        (so a refusal is always our problem+json, never a framework's parse error), refuse
        duplicated JSON keys, and replay the body to the app."""
        path = str(scope.get("path", ""))
        if scope.get("method") not in _BODY_METHODS or not path.startswith(self.api_prefixes):
            return receive  # pages (forms, uploads) have the portal's own limits
        limit = self.limit_for(path)
        declared = _header(scope, b"content-length")
        if declared is not None and declared.strip().isdigit() and int(declared) > limit:
            raise _Abort(_too_large(limit))
        chunks: list[bytes] = []
        received = 0
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.body_timeout
        while True:
            try:
                message = await asyncio.wait_for(receive(), max(deadline - loop.time(), 0.001))
            except TimeoutError:
                raise _Abort(_body_timeout(self.body_timeout)) from None
            if message["type"] != "http.request":
                break  # client went away: the app sees an empty body, then the disconnect
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > limit:
                raise _Abort(_too_large(limit))
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        content_type = (_header(scope, b"content-type") or "").split(";")[0].strip().lower()
        if body and (content_type == "application/json" or content_type.endswith("+json")):
            dup = duplicate_json_key(body)
            if dup is not None:
                raise _Abort(_duplicate_key(dup))
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return replay

    @staticmethod
    async def _problem(send: Send, problem: AppError, rid: str) -> None:
        body = json.dumps(
            problem.to_problem(instance=f"urn:request:{rid}"), ensure_ascii=False
        ).encode()
        headers = [
            (b"content-type", PROBLEM_CONTENT_TYPE.encode()),
            (b"content-length", str(len(body)).encode()),
        ]
        headers += [(k.lower().encode(), v.encode()) for k, v in problem.headers.items()]
        await send({"type": "http.response.start", "status": problem.status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
