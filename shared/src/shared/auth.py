"""Bearer-token authentication: OIDC access tokens (JWT) verified against a JWKS.

Verification goes through PyJWT: signature against the issuer's JWKS (fetched from
``CONGVU_AUTH_JWKS_URL`` and cached, or the built-in development issuer's key set), an
explicit algorithm allow-list (``alg: none`` and HMAC are refused), issuer, audience, expiry and
not-before with a small clock-skew leeway. Claims used: ``sub``, ``tenant``, ``role``, ``unit``
(the unit acted for, optional). Keycloak maps user attributes to these claims (see
``deploy/keycloak/realm-congvu.json``).

Verified tokens are remembered (bounded LRU keyed by the raw token) until their ``exp`` and at
most ``cache_seconds``: a repeated bearer token costs a dictionary look-up instead of a
signature check. A refusal is never remembered; after ``exp`` the token is checked again (and
refused); a signing key withdrawn from the JWKS stops working for a token once its entry
expires (at most ``cache_seconds``, the JWKS client's own key lifespan).
"""

from __future__ import annotations

import json
import os
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from jwt.algorithms import ECAlgorithm
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.problems import AppError

ALLOWED_ALGORITHMS = ["RS256", "PS256", "ES256", "EdDSA"]

KNOWN_ROLES = frozenset(
    {
        # assessment (the permission matrix's columns)
        "unit_officer",
        "unit_head",
        "sector_reviewer",
        "pc_member",
        "home_affairs",
        "party_caucus",
        "chairman",
        "inspector",
        "auditor",
        "personnel",
        "official",
        # ballot
        "ballot_organiser",
        "trustee",
        "credential_authority",
        # published pages only
        "public",
    }
)
"""Every role of the system (ARCHITECTURE §7). A token naming any other role is refused on
every route of every service (403 ``auth.unknown_role``), before any permission check."""
DEV_ISSUER = "urn:congvu:dev-issuer"
DEFAULT_AUDIENCE = "congvu"


class AuthSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CONGVU_AUTH_", extra="ignore", frozen=True)

    jwks_url: str | None = None
    issuer: str = DEV_ISSUER
    audience: str = DEFAULT_AUDIENCE
    leeway_seconds: int = 30
    dev_key_file: Path | None = None
    allow_dev_issuer: bool = False  # production with the dev issuer: benchmarks only
    # verified tokens remembered (0: none), each until its exp and at most cache_seconds
    cache_size: int = Field(default=10_000, ge=0, le=1_000_000)
    cache_seconds: float = Field(default=300.0, ge=0, le=3600)
    # the claim naming the caller (the account an official's staff record names): "sub" for
    # the development issuer; Keycloak's "sub" is its internal user id, so the realm's unique,
    # not user-editable username ("preferred_username") is used there (docker-compose.yml)
    subject_claim: Literal["sub", "preferred_username"] = "sub"


@dataclass(frozen=True)
class Claims:
    subject: str
    tenant: str
    role: str
    unit: str | None


def _unauthorized(code: str, detail: str) -> AppError:
    return AppError(
        code=code,
        title="Chưa xác thực hoặc mã thông báo không hợp lệ",
        title_en="Unauthenticated",
        status=401,
        detail=detail,
        headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
    )


_ALGORITHMS_BY_KTY = {"RSA": {"RS256", "PS256"}, "EC": {"ES256"}, "OKP": {"EdDSA"}}


def _key_allows(jwk: jwt.PyJWK, alg: str) -> bool:
    """A key published with an ``alg`` serves only that algorithm; otherwise its type decides
    (an RSA key never verifies an HMAC or EC signature, and so on)."""
    declared = jwk._jwk_data.get("alg")
    if declared:
        return bool(declared == alg)
    return alg in _ALGORITHMS_BY_KTY.get(str(jwk._jwk_data.get("kty")), set())


class TokenVerifier:
    def __init__(
        self,
        *,
        issuer: str,
        audience: str,
        leeway: int = 30,
        jwks_url: str | None = None,
        jwks: dict[str, Any] | None = None,
        cache_size: int = 10_000,
        cache_seconds: float = 300.0,
        clock: Callable[[], float] = time.time,
        subject_claim: str = "sub",
    ) -> None:
        if (jwks_url is None) == (jwks is None):
            raise ValueError("give exactly one of jwks_url or jwks")
        self.subject_claim = subject_claim
        self.issuer = issuer
        self.audience = audience
        self.leeway = leeway
        self.cache_size = cache_size
        self.cache_seconds = cache_seconds
        self._clock = clock
        self._cache: OrderedDict[str, tuple[Claims, float]] = OrderedDict()
        self._cache_lock = threading.Lock()
        self._client = (
            jwt.PyJWKClient(jwks_url, cache_keys=True, lifespan=300) if jwks_url else None
        )
        self._keys = jwt.PyJWKSet.from_dict(jwks) if jwks else None

    def _key_for(self, token: str) -> tuple[jwt.PyJWK, str]:
        """The issuer's key named by the token's header, whose algorithm is the header's.

        Every malformed or hostile header (unknown or mismatched algorithm, a key id that is
        not a string, an RS256/PS256 header against an EC key…) is a 401, never an exception.
        """
        try:
            header = jwt.get_unverified_header(token)
        except (jwt.PyJWTError, ValueError, TypeError):
            raise _unauthorized("auth.invalid_token", "mã thông báo không đọc được") from None
        alg = header.get("alg")
        if not isinstance(alg, str) or alg not in ALLOWED_ALGORITHMS:
            raise _unauthorized(
                "auth.invalid_token", f"thuật toán '{str(alg)[:20]}' không được chấp nhận"
            )
        kid = header.get("kid")
        if kid is not None and not isinstance(kid, str):
            raise _unauthorized("auth.invalid_token", "mã khóa (kid) không hợp lệ")
        try:
            if self._client is not None:
                if kid is None:
                    raise _unauthorized("auth.invalid_token", "mã thông báo thiếu kid")
                found: jwt.PyJWK | None = self._client.get_signing_key(kid)
            else:
                assert self._keys is not None
                found = next((k for k in self._keys.keys if kid is None or k.key_id == kid), None)
        except jwt.PyJWKClientConnectionError as exc:
            raise AppError(
                code="auth.jwks_unavailable",
                title="Không lấy được khóa xác thực",
                title_en="Identity provider unavailable",
                status=503,
                detail=str(exc)[:200],
                headers={"Retry-After": "10"},
            ) from None
        except jwt.PyJWKClientError:
            found = None
        if found is None:
            raise _unauthorized("auth.invalid_token", "không biết khóa ký (kid) của mã thông báo")
        if not _key_allows(found, alg):
            raise _unauthorized(
                "auth.invalid_token", f"thuật toán '{alg}' không khớp khóa của bên cấp"
            )
        return found, alg

    def cached(self, token: str) -> Claims | None:
        """The claims of ``token`` if it was verified before and its entry has not expired
        (``exp`` passed or ``cache_seconds`` since the check); None otherwise."""
        with self._cache_lock:
            hit = self._cache.get(token)
            if hit is None:
                return None
            claims, until = hit
            if self._clock() >= until:
                del self._cache[token]
                return None
            self._cache.move_to_end(token)
            return claims

    def verify(self, token: str) -> Claims:
        """The token's claims, from the cache or from a full check (which raises the 401/403
        problems; a refusal is never cached)."""
        claims = self.cached(token) if isinstance(token, str) else None
        if claims is not None:
            return claims
        claims, exp = self._verify(token)
        if self.cache_size > 0:
            until = min(exp, self._clock() + self.cache_seconds)
            with self._cache_lock:
                self._cache[token] = (claims, until)
                self._cache.move_to_end(token)
                while len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
        return claims

    def _verify(self, token: str) -> tuple[Claims, float]:
        if not isinstance(token, str) or len(token) > 16_384:
            raise _unauthorized("auth.invalid_token", "mã thông báo không hợp lệ")
        jwk, alg = self._key_for(token)
        try:
            claims = jwt.decode(
                token,
                jwk.key,
                algorithms=[alg],
                audience=self.audience,
                issuer=self.issuer,
                leeway=self.leeway,
                options={"require": ["exp", "iat", "sub", "iss", "aud"]},
            )
        except jwt.ExpiredSignatureError:
            raise _unauthorized("auth.token_expired", "mã thông báo đã hết hạn") from None
        except jwt.ImmatureSignatureError:
            raise _unauthorized(
                "auth.token_not_yet_valid", "mã thông báo chưa có hiệu lực"
            ) from None
        except jwt.InvalidAudienceError:
            raise _unauthorized(
                "auth.wrong_audience", "mã thông báo không dành cho dịch vụ này"
            ) from None
        except jwt.InvalidIssuerError:
            raise _unauthorized("auth.wrong_issuer", "bên cấp mã thông báo không đúng") from None
        except jwt.PyJWTError as exc:
            raise _unauthorized(
                "auth.invalid_token", f"mã thông báo không hợp lệ: {str(exc)[:200]}"
            ) from None
        except (TypeError, ValueError, KeyError, AttributeError):
            # a key/algorithm mismatch inside the JOSE library: still only a bad token
            raise _unauthorized("auth.invalid_token", "mã thông báo không hợp lệ") from None
        tenant, role = claims.get("tenant"), claims.get("role")
        if not isinstance(tenant, str) or not tenant or not isinstance(role, str) or not role:
            raise _unauthorized("auth.missing_claims", "mã thông báo thiếu 'tenant' hoặc 'role'")
        if role not in KNOWN_ROLES:
            raise AppError(
                code="auth.unknown_role",
                title="Vai trò không được hệ thống công nhận",
                title_en="Unknown role",
                status=403,
                detail=f"vai trò '{role[:50]}' không có trong danh sách vai trò",
            )
        unit = claims.get("unit")
        subject = claims.get(self.subject_claim)
        if not isinstance(subject, str) or not subject:
            raise _unauthorized("auth.missing_claims", f"mã thông báo thiếu '{self.subject_claim}'")
        verified = Claims(
            subject=subject, tenant=tenant, role=role, unit=str(unit) if unit else None
        )
        exp = claims["exp"]  # required above; PyJWT checked it is a number
        return verified, float(exp)


class DevIssuer:
    """The built-in development identity provider (embedded mode and tests): one EC P-256 key,
    a JWKS, and tokens for the demo roles. Never used when ``CONGVU_AUTH_JWKS_URL`` is set."""

    def __init__(
        self,
        private_key: ec.EllipticCurvePrivateKey,
        issuer: str = DEV_ISSUER,
        audience: str = DEFAULT_AUDIENCE,
    ) -> None:
        self._key = private_key
        self.issuer = issuer
        self.audience = audience
        jwk = json.loads(ECAlgorithm.to_jwk(private_key.public_key()))
        self.kid = uuid.uuid5(uuid.NAMESPACE_URL, json.dumps(jwk, sort_keys=True)).hex[:16]
        jwk.update({"kid": self.kid, "use": "sig", "alg": "ES256"})
        self.jwks = {"keys": [jwk]}

    @classmethod
    def generate(cls) -> DevIssuer:
        return cls(ec.generate_private_key(ec.SECP256R1()))

    @classmethod
    def from_file(cls, path: Path, *, create: bool = True) -> DevIssuer:
        if not path.exists():
            if not create:
                raise FileNotFoundError(path)
            path.parent.mkdir(parents=True, exist_ok=True)
            key = ec.generate_private_key(ec.SECP256R1())
            path.touch(mode=0o600)
            path.write_bytes(
                key.private_bytes(
                    serialization.Encoding.PEM,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                )
            )
        loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(loaded, ec.EllipticCurvePrivateKey):
            raise ValueError("the development issuer key must be EC P-256")
        return cls(loaded)

    def verifier(self, leeway: int = 30) -> TokenVerifier:
        return TokenVerifier(
            issuer=self.issuer, audience=self.audience, leeway=leeway, jwks=self.jwks
        )

    def mint(
        self,
        *,
        subject: str,
        tenant: str,
        role: str,
        unit: str | None = None,
        ttl: int = 3600,
        now: float | None = None,
        **extra: Any,
    ) -> str:
        issued = int(now if now is not None else time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": subject,
            "tenant": tenant,
            "role": role,
            "iat": issued,
            "nbf": issued,
            "exp": issued + ttl,
            "jti": uuid.uuid4().hex,
        }
        if unit:
            claims["unit"] = unit
        claims.update(extra)
        return jwt.encode(claims, self._key, algorithm="ES256", headers={"kid": self.kid})


def _production_mode() -> bool:
    """Any service of this process started in production mode (the service settings)."""
    return any(
        os.environ.get(f"{prefix}_MODE", "").strip().lower() == "production"
        for prefix in ("ASSESSMENT", "REPORTING", "BALLOT", "CONGVU")
    )


def build_verifier(
    settings: AuthSettings | None = None,
    dev_issuer: DevIssuer | None = None,
    *,
    production: bool | None = None,
) -> TokenVerifier:
    """The token verifier from settings.

    Production (``*_MODE=production``) needs an OIDC provider: the development issuer (its
    issuer name or a dev key file) is refused unless ``CONGVU_AUTH_ALLOW_DEV_ISSUER=true`` says
    so explicitly (benchmarks only). A dev key file that does not exist is an error: a new key
    is never made silently (tokens minted with the intended key would all be refused).
    """
    settings = settings or AuthSettings()
    production = _production_mode() if production is None else production
    if production and not settings.allow_dev_issuer:
        if not settings.jwks_url:
            raise ValueError(
                "production mode needs CONGVU_AUTH_JWKS_URL (OIDC provider); the development "
                "issuer is refused"
            )
        if settings.issuer == DEV_ISSUER:
            raise ValueError(f"production mode refuses the development issuer {DEV_ISSUER}")
    if settings.jwks_url:
        return TokenVerifier(
            issuer=settings.issuer,
            audience=settings.audience,
            leeway=settings.leeway_seconds,
            jwks_url=settings.jwks_url,
            cache_size=settings.cache_size,
            cache_seconds=settings.cache_seconds,
            subject_claim=settings.subject_claim,
        )
    if dev_issuer is None:
        if settings.dev_key_file is None:
            raise ValueError("set CONGVU_AUTH_JWKS_URL (OIDC) or CONGVU_AUTH_DEV_KEY_FILE")
        if not settings.dev_key_file.is_file():
            raise FileNotFoundError(
                f"CONGVU_AUTH_DEV_KEY_FILE {settings.dev_key_file} does not exist "
                "(no new key is made)"
            )
        dev_issuer = DevIssuer.from_file(settings.dev_key_file, create=False)
    verifier = dev_issuer.verifier(settings.leeway_seconds)
    verifier.cache_size, verifier.cache_seconds = settings.cache_size, settings.cache_seconds
    return verifier
