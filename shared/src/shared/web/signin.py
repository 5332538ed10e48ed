"""Sign-in, sign-out and the session's caller, for every service's pages.

- ``GET /dang-nhap``: the sign-in page (provider button; in embedded mode also the development
  sign-in listing the demo users by role).
- ``GET /dang-nhap/oidc`` → the provider (code flow + PKCE) → ``GET /dang-nhap/oidc/callback``.
- ``POST /dang-nhap/thu-nghiem``: development sign-in (embedded mode only; refused in
  production, where it is not even mounted).
- ``POST /dang-xuat``: ends the session here and at the provider.
- ``GET /ngon-ngu?lang=en``: the language of the pages (cookie).

:func:`current_viewer` reads the session, refreshes an expiring provider token, and verifies the
access token with the same verifier as the JSON API's bearer tokens.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Final

from fastapi import FastAPI, Form, Query, Request
from fastapi.responses import Response

from shared.auth import DevIssuer
from shared.identity import Caller
from shared.problems import AppError
from shared.web.i18n import LANG_COOKIE, LANGUAGES
from shared.web.oidc import OidcClient, OidcError, OidcSettings, session_from_token
from shared.web.pages import ASSET_PREFIX, NavItem, Portal, Viewer, WebSettings
from shared.web.security import API_PREFIXES, BodyLimitMiddleware, CsrfMiddleware
from shared.web.session import (
    LOGIN_COOKIE,
    SessionCodec,
    clear_session,
    derive_key,
    is_secure,
    load_or_create_secret,
    read_login_state,
    read_session,
    write_login_state,
)

log = logging.getLogger("congvu.web.signin")

SIGNIN = "/dang-nhap"
SIGNIN_OIDC = "/dang-nhap/oidc"
CALLBACK = "/dang-nhap/oidc/callback"
DEV_SIGNIN = "/dang-nhap/thu-nghiem"
SIGNOUT = "/dang-xuat"
LANGUAGE = "/ngon-ngu"
HOME_SIGNED_IN = "/viec-can-lam"


@dataclass(frozen=True)
class DevUser:
    """A demo user of the development sign-in (the same names as the Keycloak realm)."""

    username: str
    name: str
    tenant: str
    role: str
    unit: str | None = None


class SignInRequired(Exception):
    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


def safe_next(value: str | None, default: str = HOME_SIGNED_IN) -> str:
    """Only a path of this site (no scheme, no ``//host``): never an open redirect."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return default
    return value


def _portal(request: Request) -> Portal:
    portal: Portal = request.app.state.portal
    return portal


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


REFRESH_FIRST: Final = object()  # viewer_unless_refresh: the session must be refreshed first


def _needs_refresh(portal: Portal, data: dict[str, Any]) -> bool:
    return bool(
        data.get("kind") == "oidc"
        and int(data.get("expires_at", 0)) - 30 <= time.time()
        and data.get("refresh_token")
        and portal.oidc is not None
    )


def _viewer_of(request: Request, data: dict[str, Any]) -> Viewer | None:
    verifier = getattr(request.app.state, "verifier", None)
    if verifier is None:
        return None
    try:
        claims = verifier.verify(str(data["access_token"]))
    except AppError:
        return None
    caller = Caller(
        tenant=claims.tenant, subject=claims.subject, role=claims.role, acting_for=claims.unit
    )
    return Viewer(caller=caller, name=str(data.get("name") or claims.subject), kind=data["kind"])


def _session_data(request: Request, portal: Portal) -> dict[str, Any] | None:
    data = getattr(request.state, "session_update", None) or read_session(request, portal.codec)
    return data if data and "access_token" in data else None


def viewer_unless_refresh(request: Request) -> Viewer | object | None:
    """:func:`current_viewer` without the event loop (a page's thread), or ``REFRESH_FIRST``
    when the provider's token must be refreshed first (over HTTP: then call
    :func:`current_viewer` on the loop). Same session, same checks, same answer."""
    portal = _portal(request)
    data = _session_data(request, portal)
    if data is None:
        return None
    if _needs_refresh(portal, data):
        return REFRESH_FIRST
    return _viewer_of(request, data)


async def current_viewer(request: Request) -> Viewer | None:
    portal = _portal(request)
    data = _session_data(request, portal)
    if data is None:
        return None
    if _needs_refresh(portal, data):
        assert portal.oidc is not None
        try:
            token = await portal.oidc.refresh(str(data["refresh_token"]))
        except OidcError as exc:
            log.info("session refresh refused: %s", exc)
            return None
        data = {**session_from_token(token), "name": data.get("name")}
        request.state.session_update = data
    return _viewer_of(request, data)


def sign_in_target(request: Request) -> str:
    """Where the sign-in sends the viewer back: this page, with its query."""
    return request.url.path + (f"?{request.url.query}" if request.url.query else "")


async def require_viewer(request: Request) -> Viewer:
    viewer = await current_viewer(request)
    if viewer is None:
        raise SignInRequired(sign_in_target(request))
    return viewer


def _signin_page(
    request: Request, next_path: str, error: str | None = None, status_code: int = 200
) -> Response:
    portal = _portal(request)
    users = list(portal.dev_users) if portal.dev_signin_enabled else []
    return portal.render(
        request,
        "signin.html",
        {"next": next_path, "dev_users": users, "error": error},
        title="Đăng nhập",
        status_code=status_code,
    )


def include_signin(app: FastAPI) -> None:
    @app.get(SIGNIN, include_in_schema=False)
    async def signin(request: Request, next: Annotated[str | None, Query()] = None) -> Response:
        return _signin_page(request, safe_next(next))

    @app.get(SIGNIN_OIDC, include_in_schema=False)
    async def signin_oidc(
        request: Request,
        next: Annotated[str | None, Query()] = None,
    ) -> Response:
        portal = _portal(request)
        if portal.oidc is None:
            return _signin_page(
                request, safe_next(next), "Chưa cấu hình nhà cung cấp định danh (OIDC).", 404
            )
        redirect_uri = _base(request) + CALLBACK
        try:
            login = await portal.oidc.login_request(redirect_uri)
        except OidcError as exc:
            return _signin_page(request, safe_next(next), str(exc), 503)
        response = portal.redirect(request, login.url, 303)
        write_login_state(
            response,
            request,
            portal.codec,
            {
                "state": login.state,
                "verifier": login.code_verifier,
                "nonce": login.nonce,
                "next": safe_next(next),
                "redirect_uri": redirect_uri,
            },
        )
        return response

    @app.get(CALLBACK, include_in_schema=False)
    async def callback(
        request: Request,
        code: Annotated[str | None, Query(max_length=4096)] = None,
        state: Annotated[str | None, Query(max_length=512)] = None,
        error: Annotated[str | None, Query(max_length=200)] = None,
    ) -> Response:
        portal = _portal(request)
        login = read_login_state(request, portal.codec)
        if portal.oidc is None or login is None or not state or state != login.get("state"):
            return _signin_page(
                request,
                HOME_SIGNED_IN,
                "Phiên đăng nhập đã hết hạn hoặc không khớp; hãy đăng nhập lại.",
                400,
            )
        if error or not code:
            return _signin_page(
                request, login["next"], f"Nhà cung cấp định danh từ chối: {error or 'no code'}", 400
            )
        try:
            token = await portal.oidc.exchange(
                code, login["verifier"], login["redirect_uri"], login["nonce"]
            )
        except OidcError as exc:
            return _signin_page(request, login["next"], str(exc), 400)
        data = {**session_from_token(token), "name": token.get("display_name")}
        request.state.session_update = data
        viewer = await current_viewer(request)
        if viewer is None:
            request.state.session_update = None
            return _signin_page(
                request,
                login["next"],
                "Tài khoản chưa được gán tỉnh và vai trò (tenant, role); hãy liên hệ quản trị.",
                403,
            )
        response = portal.redirect(request, login["next"], 303)
        response.delete_cookie(LOGIN_COOKIE, path="/")
        return response

    @app.post(DEV_SIGNIN, include_in_schema=False)
    async def dev_signin(
        request: Request,
        username: Annotated[str, Form(max_length=100)] = "",
        next: Annotated[str, Form(max_length=500)] = "",
    ) -> Response:
        portal = _portal(request)
        if not portal.dev_signin_enabled:
            return _signin_page(
                request, HOME_SIGNED_IN, "Đăng nhập thử nghiệm không dùng được ở chế độ này.", 403
            )
        user = None
        for candidate in portal.dev_users:
            if candidate.username == username:
                user = candidate
        if user is None:
            return _signin_page(
                request, safe_next(next), "Hãy chọn một người dùng mẫu trong danh sách.", 422
            )
        issuer: DevIssuer = portal.dev_issuer
        token = issuer.mint(
            subject=user.username, tenant=user.tenant, role=user.role, unit=user.unit, ttl=8 * 3600
        )
        now = int(time.time())
        data = {"kind": "dev", "access_token": token, "expires_at": now + 8 * 3600}
        data["name"] = user.name
        request.state.session_update = data
        return portal.redirect(request, safe_next(next), 303)

    @app.post(SIGNOUT, include_in_schema=False)
    async def signout(request: Request) -> Response:
        portal = _portal(request)
        data = read_session(request, portal.codec) or {}
        target = "/"
        if data.get("kind") == "oidc" and portal.oidc is not None:
            try:
                url = await portal.oidc.logout_url(data.get("id_token"), _base(request) + "/")
            except OidcError:
                url = None
            target = url or "/"
        response = portal.redirect(request, target, 303)
        clear_session(response, request)
        return response

    @app.get(LANGUAGE, include_in_schema=False)
    async def language(
        request: Request,
        lang: Annotated[str, Query(max_length=5)] = "vi",
        next: Annotated[str | None, Query()] = None,
    ) -> Response:
        portal = _portal(request)
        response = portal.redirect(request, safe_next(next, "/"), 303)
        if lang in LANGUAGES:
            response.set_cookie(
                LANG_COOKIE,
                lang,
                max_age=365 * 86400,
                path="/",
                samesite="lax",
                secure=is_secure(request),
                httponly=True,
            )
        return response


def build_portal(
    settings: WebSettings | None = None,
    *,
    secret_file: Path | None = None,
    dev_issuer: DevIssuer | None = None,
    dev_users: Sequence[DevUser] = (),
    oidc_settings: OidcSettings | None = None,
) -> Portal:
    """The portal of one process. Production needs ``CONGVU_WEB_SESSION_KEY`` and refuses the
    development issuer; embedded mode keeps a generated key in ``secret_file``."""
    settings = settings or WebSettings()
    oidc_settings = oidc_settings or OidcSettings()
    if settings.session_key is not None:
        secret = settings.session_key.get_secret_value().encode()
    elif settings.mode == "production":
        raise ValueError("CONGVU_WEB_SESSION_KEY is required in production mode")
    elif secret_file is not None:
        secret = load_or_create_secret(secret_file)
    else:
        raise ValueError("give CONGVU_WEB_SESSION_KEY or a secret file")
    if settings.mode == "production" and dev_issuer is not None:
        raise ValueError("production mode refuses the development issuer and its sign-in")
    oidc = OidcClient(oidc_settings) if oidc_settings.issuer_url else None
    portal = Portal(
        settings=settings,
        codec=SessionCodec(secret),
        secret=secret,
        oidc=oidc,
        dev_issuer=dev_issuer,
        dev_users=tuple(dev_users),
        form_action=(oidc.browser_origin,) if oidc else (),
    )
    portal.add_nav(NavItem("/", "Kết quả công khai", "Published results", None))
    portal.add_nav(NavItem(HOME_SIGNED_IN, "Việc cần làm", "To do", frozenset()))
    return portal


def install_portal(app: FastAPI, portal: Portal) -> None:
    """Mount the shared parts of the pages on ``app``: assets, sign-in, CSRF, body limits."""
    app.state.portal = portal

    @app.get(f"{ASSET_PREFIX}/{{name}}", include_in_schema=False)
    def portal_asset(name: str) -> Response:
        return portal.asset(name)

    include_signin(app)

    @app.exception_handler(SignInRequired)
    async def _signin_required(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, SignInRequired)
        from urllib.parse import quote

        return portal.redirect(request, f"{SIGNIN}?next={quote(exc.next_path, safe='/')}", 303)

    app.add_middleware(
        CsrfMiddleware,
        secret=derive_key(portal.secret, "csrf").hex(),
        protect=(DEV_SIGNIN, SIGNOUT),
        secure=portal.settings.mode == "production",
    )
    for prefix in API_PREFIXES:  # the JSON API keeps its own limits
        portal.body_limits.setdefault(prefix, None)
    app.add_middleware(
        BodyLimitMiddleware, limits=portal.body_limits, default=portal.settings.form_max_bytes
    )
