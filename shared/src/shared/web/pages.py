"""Rendering portal pages: one Jinja2 layout, navigation by role, assets, security headers.

A service builds one :class:`Portal` (``build_portal``) and mounts it with
``install_portal(app, portal)`` (assets, sign-in, CSRF, body limits); its page routes then call
``portal.render(request, "template.html", {...}, viewer=viewer)``. Templates of a service live
beside its ``entrypoints/web`` package and extend ``layout.html`` from here.
"""

from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape
from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from shared.auth import KNOWN_ROLES
from shared.identity import PUBLIC_ROLE, Caller
from shared.web import formats, terms
from shared.web.i18n import LANG_COOKIE, choose_language, translations
from shared.web.security import security_headers
from shared.web.session import SessionCodec, write_session

WEB_DIR: Final = Path(__file__).resolve().parent
TEMPLATES: Final = WEB_DIR / "templates"
STATIC: Final = WEB_DIR / "static"
ASSET_PREFIX: Final = "/tai-nguyen"


class WebSettings(BaseSettings):
    """``CONGVU_WEB_*``: the portal pages of every service."""

    model_config = SettingsConfigDict(env_prefix="CONGVU_WEB_", extra="ignore", frozen=True)

    mode: Literal["embedded", "production"] = "embedded"
    session_key: SecretStr | None = None
    form_max_bytes: int = 1_000_000
    upload_max_bytes: int = 20_000_000


@dataclass(frozen=True)
class NavGroup:
    """A heading of the navigation: the links of one task, shown as a disclosure."""

    code: str
    vi: str
    en: str


NAV_GROUPS: Final = (
    NavGroup("tap-the", "Đánh giá tập thể", "Collective assessment"),
    NavGroup("ca-nhan", "Xếp loại cá nhân", "Individual rating"),
    NavGroup("cchc", "Cải cách hành chính", "Administrative reform"),
    NavGroup("kiem-tra", "Kiểm tra & khắc phục", "Inspection & remediation"),
    NavGroup("bao-cao", "Báo cáo", "Reports"),
    NavGroup("kiem-toan", "Kiểm toán", "Audit"),
)
"""The groups in the order the navigation shows them; a link without a group stands alone."""
GROUPS_BY_CODE: Final = {g.code: g for g in NAV_GROUPS}


@dataclass(frozen=True)
class NavItem:
    href: str
    vi: str
    en: str
    roles: frozenset[str] | None = None
    """None: everyone, signed in or not; an empty set: anyone signed in with a known role."""
    group: str = ""
    """A code of :data:`NAV_GROUPS`; empty: a link of its own (published results, to do)."""


@dataclass(frozen=True)
class NavEntry:
    """One entry of the navigation as a viewer sees it: a lone link, or a group of links;
    ``current`` is the link of the page shown (``aria-current``), if it is in this entry."""

    group: NavGroup | None
    items: tuple[NavItem, ...]
    current: str | None = None


@dataclass(frozen=True)
class Viewer:
    """Who looks at a page: the verified caller of the session, with a display name."""

    caller: Caller
    name: str
    kind: str

    @property
    def role(self) -> str:
        return self.caller.role


@dataclass(frozen=True)
class Asset:
    body: bytes
    media_type: str
    name: str

    @classmethod
    def load(cls, path: Path) -> Asset:
        body = path.read_bytes()
        digest = hashlib.sha256(body).hexdigest()[:12]
        media = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if media.startswith("text/") or media.endswith("javascript"):
            media += "; charset=utf-8"
        return cls(body, media, f"{path.stem}.{digest}{path.suffix}")


@dataclass
class Portal:
    settings: WebSettings
    codec: SessionCodec
    secret: bytes
    template_dirs: list[Path] = field(default_factory=list)
    oidc: Any = None
    dev_issuer: Any = None
    dev_users: Sequence[Any] = ()
    nav: list[NavItem] = field(default_factory=list)
    form_action: tuple[str, ...] = ()
    body_limits: dict[str, int | None] = field(default_factory=dict)
    """Request-body limits by path prefix (upload routes add theirs); others: form_max_bytes."""

    def __post_init__(self) -> None:
        self.assets: dict[str, Asset] = {}
        self.asset_names: dict[str, str] = {}
        for path in sorted(STATIC.iterdir()):
            if path.is_file():
                asset = Asset.load(path)
                self.assets[asset.name] = asset
                self.asset_names[path.name] = asset.name
        self._envs: dict[str, Environment] = {}

    @property
    def dev_signin_enabled(self) -> bool:
        return self.settings.mode == "embedded" and self.dev_issuer is not None

    def add_templates(self, directory: Path) -> None:
        if directory not in self.template_dirs:
            self.template_dirs.insert(0, directory)
            self._envs.clear()

    def add_nav(self, *items: NavItem) -> None:
        for item in items:
            if item.group and item.group not in GROUPS_BY_CODE:
                raise ValueError(f"unknown navigation group {item.group!r} of {item.href}")
        known = {i.href for i in self.nav}
        self.nav.extend(i for i in items if i.href not in known)

    def static_url(self, name: str) -> str:
        return f"{ASSET_PREFIX}/{self.asset_names[name]}"

    def env(self, lang: str) -> Environment:
        if lang not in self._envs:
            env = Environment(
                loader=ChoiceLoader([FileSystemLoader([*self.template_dirs, TEMPLATES])]),
                autoescape=select_autoescape(["html"]),
                extensions=["jinja2.ext.i18n"],
                undefined=StrictUndefined,
                trim_blocks=True,
                lstrip_blocks=True,
            )
            env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
            env.globals.update(
                terms=terms,
                level=lambda code: terms.level(code, lang),
                step=lambda code, short=False: terms.step(code, lang, short),
                status=lambda s, code: terms.status(s, code, lang),
                role_name=lambda code: terms.role(code, lang),
                block_name=lambda code: terms.block(code, lang),
                vn_date=lambda v: formats.vn_date(v, lang),
                vn_datetime=lambda v: formats.vn_datetime(v, lang),
                vn_number=formats.vn_number,
                static=self.static_url,
                lang=lang,
            )
            self._envs[lang] = env
        return self._envs[lang]

    def language(self, request: Request) -> str:
        return choose_language(request.cookies.get(LANG_COOKIE), request.query_params.get("lang"))

    def nav_for(self, viewer: Viewer | None) -> list[NavItem]:
        """The links a viewer may follow. A viewer whose role the system does not know sees
        none (only sign-out); the public role only what everyone sees."""
        if viewer is not None and viewer.role not in KNOWN_ROLES:
            return []
        signed_in = viewer is not None and viewer.role != PUBLIC_ROLE

        def visible(item: NavItem) -> bool:
            if item.roles is None:
                return True
            return signed_in and (
                not item.roles or (viewer is not None and viewer.role in item.roles)
            )

        return [item for item in self.nav if visible(item)]

    def menu_for(self, viewer: Viewer | None, path: str) -> list[NavEntry]:
        """The navigation grouped by task: lone links where they were added, then each group
        with a visible link, in :data:`NAV_GROUPS` order. The current link is the longest
        ``href`` that is the path or a parent of it (``/ke-hoach`` for ``/ke-hoach/2026``)."""
        items = self.nav_for(viewer)
        current = max(
            (
                i.href
                for i in items
                if path == i.href or (i.href != "/" and path.startswith(i.href.rstrip("/") + "/"))
            ),
            key=len,
            default=None,
        )

        def entry(group: NavGroup | None, links: tuple[NavItem, ...]) -> NavEntry:
            here = next((i.href for i in links if i.href == current), None)
            return NavEntry(group, links, here)

        menu = [entry(None, (i,)) for i in items if not i.group]
        for group in NAV_GROUPS:
            links = tuple(i for i in items if i.group == group.code)
            if links:
                menu.append(entry(group, links))
        return menu

    def headers(self) -> dict[str, str]:
        return {**security_headers(self.form_action), "Cache-Control": "no-store"}

    def render(
        self,
        request: Request,
        template: str,
        context: dict[str, Any] | None = None,
        *,
        viewer: Viewer | None = None,
        status_code: int = 200,
        title: str = "",
    ) -> HTMLResponse:
        lang = self.language(request)
        csrf = request.scope.get("csrftoken")
        ctx = {
            "request": request,
            "viewer": viewer,
            "nav": self.nav_for(viewer),
            "menu": self.menu_for(viewer, request.url.path),
            "path": request.url.path,
            "csrf_token": csrf() if callable(csrf) else "",
            "title": title,
            "dev_signin": self.dev_signin_enabled,
            "oidc_signin": self.oidc is not None,
            **(context or {}),
        }
        body = self.env(lang).get_template(template).render(ctx)
        response = HTMLResponse(body, status_code=status_code, headers=self.headers())
        response.headers["Content-Language"] = lang
        response.headers["Vary"] = "Cookie"
        self.commit_session(request, response)
        return response

    def redirect(self, request: Request, url: str, status_code: int = 303) -> Response:
        response = RedirectResponse(url, status_code=status_code, headers=self.headers())
        self.commit_session(request, response)
        return response

    def commit_session(self, request: Request, response: Response) -> None:
        """A session refreshed while serving this request is written back with the response."""
        updated = getattr(request.state, "session_update", None)
        if updated is not None:
            write_session(response, request, self.codec, updated)
            request.state.session_update = None

    def asset(self, name: str) -> Response:
        asset = self.assets.get(name)
        if asset is None:
            return Response(
                "Không tìm thấy / Not found",
                status_code=404,
                media_type="text/plain; charset=utf-8",
                headers=security_headers(),
            )
        return Response(
            asset.body,
            media_type=asset.media_type,
            headers={
                **security_headers(),
                "Cache-Control": "public, max-age=31536000, immutable",
            },
        )
