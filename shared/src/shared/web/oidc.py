"""OIDC authorization code flow with PKCE (S256) against the provider (Keycloak), via Authlib.

Authlib builds the authorization URL with the PKCE challenge, exchanges the code and refreshes
tokens; the ID token's signature, issuer, audience and nonce are checked with PyJWT against the
provider's JWKS. The access token is what the pages act with: it is verified like any bearer
token of the JSON API (``app.state.verifier``), so pages and API see the same caller.

Settings (``CONGVU_OIDC_*``): ``ISSUER_URL`` (e.g. ``http://127.0.0.1:18080/realms/congvu``;
unset = no provider sign-in), ``CLIENT_ID`` (``congvu-portal``), ``CLIENT_SECRET`` (only for a
confidential client), ``INTERNAL_URL`` (where the server reaches the provider when that differs
from the browser's address, as inside docker compose).
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
import jwt
from authlib.integrations.httpx_client import AsyncOAuth2Client
from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.auth import ALLOWED_ALGORITHMS


class OidcSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CONGVU_OIDC_", extra="ignore", frozen=True)

    issuer_url: str | None = None
    client_id: str = "congvu-portal"
    client_secret: SecretStr | None = None
    internal_url: str | None = None
    scope: str = "openid"
    timeout_seconds: float = 10.0


class OidcError(Exception):
    """The provider refused or could not be reached; the message is shown in Vietnamese."""


@dataclass(frozen=True)
class LoginRequest:
    url: str
    state: str
    code_verifier: str
    nonce: str


class OidcClient:
    def __init__(self, settings: OidcSettings) -> None:
        if not settings.issuer_url:
            raise ValueError("CONGVU_OIDC_ISSUER_URL is not set")
        self.settings = settings
        self.issuer = settings.issuer_url.rstrip("/")
        self._internal = (settings.internal_url or self.issuer).rstrip("/")
        self._metadata: dict[str, Any] | None = None
        self._jwks: jwt.PyJWKClient | None = None

    @property
    def browser_origin(self) -> str:
        """The provider's origin as the browser sees it (for the pages' CSP form-action)."""
        scheme, _, rest = self.issuer.partition("://")
        return f"{scheme}://{rest.split('/', 1)[0]}"

    def _server_url(self, url: str) -> str:
        """The provider's advertised URL rewritten to the address the server reaches."""
        if url.startswith(self.issuer):
            return self._internal + url[len(self.issuer) :]
        return url

    def _client(self, redirect_uri: str | None = None) -> AsyncOAuth2Client:
        secret = self.settings.client_secret
        return AsyncOAuth2Client(
            client_id=self.settings.client_id,
            client_secret=secret.get_secret_value() if secret else None,
            token_endpoint_auth_method="client_secret_basic" if secret else "none",
            scope=self.settings.scope,
            redirect_uri=redirect_uri,
            code_challenge_method="S256",
            timeout=self.settings.timeout_seconds,
        )

    async def metadata(self) -> dict[str, Any]:
        if self._metadata is None:
            url = f"{self._internal}/.well-known/openid-configuration"
            try:
                async with httpx.AsyncClient(timeout=self.settings.timeout_seconds) as http:
                    resp = await http.get(url)
                    resp.raise_for_status()
            except httpx.HTTPError as exc:
                raise OidcError(f"không kết nối được nhà cung cấp định danh: {exc}") from None
            self._metadata = resp.json()
        return self._metadata

    async def login_request(self, redirect_uri: str) -> LoginRequest:
        meta = await self.metadata()
        verifier = secrets.token_urlsafe(48)
        nonce = secrets.token_urlsafe(24)
        state = secrets.token_urlsafe(24)
        async with self._client(redirect_uri) as client:
            url, _ = client.create_authorization_url(
                meta["authorization_endpoint"], state=state, code_verifier=verifier, nonce=nonce
            )
        return LoginRequest(url=url, state=state, code_verifier=verifier, nonce=nonce)

    async def exchange(
        self, code: str, code_verifier: str, redirect_uri: str, nonce: str
    ) -> dict[str, Any]:
        meta = await self.metadata()
        async with self._client(redirect_uri) as client:
            try:
                token = await client.fetch_token(
                    self._server_url(meta["token_endpoint"]),
                    code=code,
                    code_verifier=code_verifier,
                )
            except Exception as exc:  # Authlib raises OAuthError and httpx errors
                raise OidcError(f"nhà cung cấp định danh từ chối mã đăng nhập: {exc}") from None
        claims = await self._check_id_token(str(token.get("id_token", "")), nonce)
        out = dict(token)
        out["display_name"] = str(
            claims.get("name") or claims.get("preferred_username") or claims["sub"]
        )
        return out

    async def refresh(self, refresh_token: str) -> dict[str, Any]:
        meta = await self.metadata()
        async with self._client() as client:
            try:
                token = await client.refresh_token(
                    self._server_url(meta["token_endpoint"]), refresh_token=refresh_token
                )
            except Exception as exc:
                raise OidcError(f"không gia hạn được phiên đăng nhập: {exc}") from None
        return dict(token)

    async def _check_id_token(self, id_token: str, nonce: str) -> dict[str, Any]:
        if not id_token:
            raise OidcError("nhà cung cấp không trả về ID token")
        meta = await self.metadata()
        if self._jwks is None:
            self._jwks = jwt.PyJWKClient(self._server_url(meta["jwks_uri"]), lifespan=300)
        try:
            key = self._jwks.get_signing_key_from_jwt(id_token).key
            claims = jwt.decode(
                id_token,
                key,
                algorithms=ALLOWED_ALGORITHMS,
                audience=self.settings.client_id,
                issuer=meta.get("issuer", self.issuer),
                leeway=30,
                options={"require": ["exp", "iat", "sub", "iss", "aud"]},
            )
        except jwt.PyJWTError as exc:
            raise OidcError(f"ID token không hợp lệ: {exc}") from None
        if not secrets.compare_digest(str(claims.get("nonce", "")), nonce):
            raise OidcError("ID token không khớp yêu cầu đăng nhập (nonce)")
        return dict(claims)

    async def logout_url(self, id_token: str | None, post_logout_redirect_uri: str) -> str | None:
        meta = await self.metadata()
        endpoint = meta.get("end_session_endpoint")
        if not endpoint:
            return None
        params = {
            "client_id": self.settings.client_id,
            "post_logout_redirect_uri": post_logout_redirect_uri,
        }
        if id_token:
            params["id_token_hint"] = id_token
        return f"{endpoint}?{urlencode(params)}"


def session_from_token(token: dict[str, Any], kind: str = "oidc") -> dict[str, Any]:
    """What the session cookie keeps of a token response."""
    now = int(time.time())
    return {
        "kind": kind,
        "access_token": token["access_token"],
        "refresh_token": token.get("refresh_token"),
        "id_token": token.get("id_token"),
        "expires_at": int(token.get("expires_at") or now + int(token.get("expires_in", 300))),
        "refresh_expires_at": now + int(token.get("refresh_expires_in", 1800)),
    }
