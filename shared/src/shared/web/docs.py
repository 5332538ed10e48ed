"""API documentation that works offline: Swagger UI and Redoc from local files, bearer security.

The assets come from the pinned ``fastapi-offline`` package (Swagger UI bundle and CSS, Redoc
standalone); the pages load nothing from another host. Every operation that depends on
:func:`shared.identity.current_caller` is declared as needing a bearer token (so Swagger's
"Authorize" button sends it) and documents its 401 and 403 problems.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterator
from importlib.resources import files
from typing import Any, Final

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, Response

from shared.problems import PROBLEM_CONTENT_TYPE
from shared.web.pages import STATIC

DOCS_ASSETS: Final = "/tai-lieu-api"
_VENDOR: Final = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "redoc.standalone.js": "text/javascript; charset=utf-8",
}
_DOC_PATHS: Final = {"/docs", "/docs/oauth2-redirect", "/redoc"}
DOCS_CSP: Final = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",  # Swagger UI and Redoc set element styles
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self' blob:",  # Redoc's search worker
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
BEARER: Final = "bearerAuth"


def _is_authorization(param: dict[str, Any]) -> bool:
    return param.get("in") == "header" and str(param.get("name", "")).lower() == "authorization"


def protected_operations(schema: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Operations that read the ``Authorization`` header, i.e. depend on ``current_caller``
    (its ``Header()`` parameter is how FastAPI shows the dependency in the document)."""
    for path, item in schema.get("paths", {}).items():
        for method, op in item.items():
            if isinstance(op, dict) and any(_is_authorization(p) for p in op.get("parameters", [])):
                yield path, method, op


def _problem(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def add_bearer_security(app: FastAPI) -> None:
    """Declare the bearer scheme and, on each protected operation, its security, 401 and 403."""
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema and app.openapi_schema.get("x-congvu-bearer"):
            return app.openapi_schema
        schema = original()
        components = schema.setdefault("components", {})
        components.setdefault("securitySchemes", {})[BEARER] = {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "Mã thông báo OIDC (Keycloak; embedded: `congvu token --role …`) / "
            "OIDC access token",
        }
        components.setdefault("schemas", {}).setdefault(
            "Problem", {"type": "object", "required": ["type", "title", "status", "code"]}
        )
        for _path, _method, op in protected_operations(schema):
            # Swagger's "Authorize" sends the header; a free-text field for it would confuse
            op["parameters"] = [p for p in op["parameters"] if not _is_authorization(p)]
            op["security"] = [{BEARER: []}]
            responses = op.setdefault("responses", {})
            responses.setdefault(
                "401", _problem("Chưa xác thực / Unauthenticated (auth.missing_token, …)")
            )
            responses.setdefault("403", _problem("Không có quyền / Forbidden (auth.forbidden, …)"))
        schema["x-congvu-bearer"] = True
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _docs_page(title: str, body: str, scripts: list[str], css: list[str]) -> HTMLResponse:
    head = "".join(f'<link rel="stylesheet" href="{href}">' for href in css)
    tail = "".join(f'<script src="{src}"></script>' for src in scripts)
    page = (
        f'<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{html.escape(title)}'
        f'</title><meta name="viewport" content="width=device-width, initial-scale=1">{head}'
        f"</head><body>{body}{tail}</body></html>"
    )
    return HTMLResponse(
        page,
        headers={
            "Content-Security-Policy": DOCS_CSP,
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "no-store",
        },
    )


def install_api_docs(app: FastAPI) -> None:
    """Replace FastAPI's CDN-based ``/docs`` and ``/redoc`` with local ones; add bearer security."""
    app.router.routes = [r for r in app.router.routes if getattr(r, "path", None) not in _DOC_PATHS]
    add_bearer_security(app)
    vendor = files("fastapi_offline") / "static"
    openapi_url = app.openapi_url or "/openapi.json"
    title = app.title

    @app.get(f"{DOCS_ASSETS}/{{name}}", include_in_schema=False)
    def docs_asset(name: str) -> Response:
        if name in _VENDOR:
            return Response(
                (vendor / name).read_bytes(),
                media_type=_VENDOR[name],
                headers={
                    "Cache-Control": "public, max-age=86400",
                    "X-Content-Type-Options": "nosniff",
                },
            )
        if name in ("swagger-init.js", "redoc-init.js"):
            return Response(
                (STATIC.parent / "docs" / name).read_bytes(),
                media_type="text/javascript; charset=utf-8",
                headers={"X-Content-Type-Options": "nosniff"},
            )
        return Response("Không tìm thấy / Not found", status_code=404)

    config = html.escape(json.dumps({"url": openapi_url}), quote=True)

    @app.get("/docs", include_in_schema=False)
    def swagger() -> HTMLResponse:
        return _docs_page(
            f"{title} — Swagger UI",
            f'<div id="swagger-ui" data-config="{config}"></div>',
            [f"{DOCS_ASSETS}/swagger-ui-bundle.js", f"{DOCS_ASSETS}/swagger-init.js"],
            [f"{DOCS_ASSETS}/swagger-ui.css"],
        )

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return _docs_page(
            f"{title} — Redoc",
            f'<div id="redoc" data-config="{config}"></div>',
            [f"{DOCS_ASSETS}/redoc.standalone.js", f"{DOCS_ASSETS}/redoc-init.js"],
            [],
        )
