"""FastAPI plumbing shared by every service: problem+json handlers, request ids, NFC text.

The edge itself (request ids, body limits and timeouts, duplicate JSON keys, the last-resort
500) is the ASGI middleware in ``shared.edge``."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Awaitable, Callable
from typing import Any

import psycopg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from shared.edge import EdgeGuard, internal_error
from shared.logging import request_id_var
from shared.problems import PROBLEM_BASE_URI, PROBLEM_CONTENT_TYPE, AppError
from shared.settings import HttpSettings

log = logging.getLogger("congvu.http")

ErrorTranslator = Callable[[Exception], AppError | None]


class ProblemResponse(JSONResponse):
    media_type = PROBLEM_CONTENT_TYPE


def problem_response(error: AppError, request: Request | None = None) -> ProblemResponse:
    instance = request_id_var.get()
    return ProblemResponse(
        status_code=error.status,
        content=error.to_problem(instance=f"urn:request:{instance}" if instance else None),
        headers=error.headers or None,
    )


_HTTP_TITLES = {
    400: ("Yêu cầu không hợp lệ", "Bad request"),
    401: ("Chưa xác thực", "Unauthenticated"),
    403: ("Không có quyền", "Forbidden"),
    404: ("Không tìm thấy", "Not found"),
    405: ("Phương thức không được hỗ trợ", "Method not allowed"),
    409: ("Xung đột", "Conflict"),
    413: ("Dữ liệu gửi lên quá lớn", "Payload too large"),
    415: ("Kiểu dữ liệu không được hỗ trợ", "Unsupported media type"),
}


DATABASE_ERRORS: tuple[type[Exception], ...] = (
    psycopg.OperationalError,
    psycopg.InterfaceError,
    sqlite3.OperationalError,
)
"""A database that cannot be reached (or is locked): 503, never a 500 (``PoolTimeout`` is an
``OperationalError``)."""


def database_unavailable(exc: Exception) -> AppError | None:
    if not isinstance(exc, DATABASE_ERRORS):
        return None
    log.warning("database unavailable: %s", str(exc).splitlines()[0][:200] if str(exc) else exc)
    return AppError(
        code="service.unavailable",
        title="Cơ sở dữ liệu tạm thời không sẵn sàng",
        title_en="Database unavailable",
        status=503,
        detail="thử lại sau ít giây; không có gì được ghi / retry in a few seconds",
        headers={"Retry-After": "5"},
    )


def install_problem_handlers(
    app: FastAPI,
    translators: dict[type[Exception], ErrorTranslator] | None = None,
    *,
    body_limits: dict[str, int] | None = None,
    settings: HttpSettings | None = None,
) -> None:
    """Every error leaves as application/problem+json with a stable ``code``.

    ``translators`` maps expected exception types (domain errors, database outages) to
    problems; anything else is a logged 500 ``internal`` carrying the request id (body,
    ``x-request-id`` header, log line). ``body_limits`` maps a path prefix to its own request
    body limit in bytes (the longest prefix wins; default ``CONGVU_HTTP_MAX_BODY_BYTES``).
    """
    translators = {**dict.fromkeys(DATABASE_ERRORS, database_unavailable), **(translators or {})}
    limits = settings or HttpSettings()

    def _make(translate: ErrorTranslator) -> Callable[[Request, Exception], Awaitable[Response]]:
        async def handler(request: Request, exc: Exception) -> Response:
            problem = translate(exc)
            if problem is None:
                log.exception("untranslated %s", type(exc).__name__, exc_info=exc)
                problem = _internal()
            return problem_response(problem, request)

        return handler

    for exc_type, translate in translators.items():
        app.add_exception_handler(exc_type, _make(translate))

    app.add_middleware(
        EdgeGuard,
        max_body_bytes=limits.max_body_bytes,
        body_timeout=limits.body_timeout_seconds,
        route_limits=dict(body_limits or {}),
    )

    @app.exception_handler(AppError)
    async def _app_error(request: Request, exc: AppError) -> Response:
        return problem_response(exc, request)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        errors: list[dict[str, Any]] = []
        for err in exc.errors():
            errors.append(
                {
                    "loc": [str(p) for p in err.get("loc", ())],
                    "msg": str(err.get("msg", "")),
                    "type": str(err.get("type", "")),
                }
            )
        return problem_response(
            AppError(
                code="request.invalid",
                title="Dữ liệu không hợp lệ",
                title_en="Invalid request",
                status=422,
                detail="; ".join(f"{'.'.join(e['loc'])}: {e['msg']}" for e in errors)[:2000],
                extra={"errors": errors},
            ),
            request,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        vi, en = _HTTP_TITLES.get(exc.status_code, ("Lỗi", "Error"))
        return problem_response(
            AppError(
                code=f"http.{exc.status_code}",
                title=vi,
                title_en=en,
                status=exc.status_code,
                detail=str(exc.detail) if exc.detail else None,
                headers=dict(exc.headers or {}),
            ),
            request,
        )


def _internal() -> AppError:
    return internal_error(request_id_var.get())


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {
        "description": f"{en} (application/problem+json)",
        "content": {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    for status, en in (
        (400, "Bad request"),
        (401, "Unauthenticated"),
        (403, "Forbidden"),
        (404, "Not found"),
        (409, "Conflict"),
        (413, "Payload too large"),
        (422, "Invalid request"),
        (500, "Internal error (with the request id)"),
        (503, "Unavailable"),
    )
}


def add_problem_schema(app: FastAPI) -> None:
    """Publish the Problem schema in the OpenAPI document."""
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = original()
        schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = {
            "type": "object",
            "required": ["type", "title", "status", "code"],
            "properties": {
                "type": {"type": "string", "example": PROBLEM_BASE_URI + "assessment.step_closed"},
                "title": {"type": "string"},
                "title_en": {"type": "string"},
                "status": {"type": "integer"},
                "code": {"type": "string"},
                "detail": {"type": "string"},
                "instance": {"type": "string"},
                "errors": {"type": "array", "items": {"type": "object"}},
            },
        }
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
