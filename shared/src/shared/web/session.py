"""The portal's session: an encrypted, authenticated cookie (Fernet: AES-128-CBC + HMAC-SHA256).

No server-side store, so every service behind the proxy reads the same session with the same
key (``CONGVU_WEB_SESSION_KEY``; embedded mode keeps a generated key in its data directory).
The payload (tokens from the provider) is compressed, encrypted and, when longer than one
cookie may be, split over numbered cookies. Cookies are ``HttpOnly``, ``SameSite=Lax``, and
``Secure`` when the request came over TLS (directly or as told by the proxy).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import zlib
from pathlib import Path
from typing import Any, Final

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from starlette.requests import Request
from starlette.responses import Response

SESSION_COOKIE: Final = "congvu_s"
LOGIN_COOKIE: Final = "congvu_login"
CHUNK: Final = 3800
MAX_CHUNKS: Final = 4
SESSION_MAX_AGE: Final = 12 * 3600


def derive_key(secret: bytes, purpose: str) -> bytes:
    """A 32-byte key for one purpose (session cookie, CSRF signing) from the one secret."""
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"congvu-web", info=purpose.encode()
    ).derive(secret)


def load_or_create_secret(path: Path) -> bytes:
    """Embedded mode: a random secret kept (mode 0600) in the data directory."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(base64.urlsafe_b64encode(os.urandom(32)))
    return path.read_bytes().strip()


class SessionCodec:
    def __init__(self, secret: bytes) -> None:
        if len(secret) < 16:
            raise ValueError("the web session secret must have at least 16 bytes")
        self._fernet = Fernet(base64.urlsafe_b64encode(derive_key(secret, "session")))
        self.fingerprint = hashlib.sha256(secret).hexdigest()[:8]

    def dumps(self, data: dict[str, Any]) -> str:
        raw = zlib.compress(json.dumps(data, separators=(",", ":")).encode(), 9)
        return self._fernet.encrypt(raw).decode("ascii")

    def loads(self, token: str, max_age: int) -> dict[str, Any] | None:
        try:
            raw = self._fernet.decrypt(token.encode("ascii"), ttl=max_age)
            data = json.loads(zlib.decompress(raw))
        except (InvalidToken, ValueError, zlib.error, UnicodeEncodeError):
            return None
        return data if isinstance(data, dict) else None


def is_secure(request: Request) -> bool:
    proto = request.headers.get("x-forwarded-proto", "").split(",")[0].strip()
    return request.url.scheme == "https" or proto == "https"


def _set(response: Response, request: Request, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        httponly=True,
        secure=is_secure(request),
        samesite="lax",
    )


def read_session(request: Request, codec: SessionCodec) -> dict[str, Any] | None:
    parts = []
    for i in range(MAX_CHUNKS):
        part = request.cookies.get(f"{SESSION_COOKIE}{i}")
        if part is None:
            break
        parts.append(part)
    if not parts:
        return None
    return codec.loads("".join(parts), SESSION_MAX_AGE)


def write_session(
    response: Response, request: Request, codec: SessionCodec, data: dict[str, Any]
) -> None:
    token = codec.dumps(data)
    chunks = [token[i : i + CHUNK] for i in range(0, len(token), CHUNK)]
    if len(chunks) > MAX_CHUNKS:
        raise ValueError("session too large")
    for i, chunk in enumerate(chunks):
        _set(response, request, f"{SESSION_COOKIE}{i}", chunk, SESSION_MAX_AGE)
    for i in range(len(chunks), MAX_CHUNKS):
        if f"{SESSION_COOKIE}{i}" in request.cookies:
            response.delete_cookie(f"{SESSION_COOKIE}{i}", path="/")


def clear_session(response: Response, request: Request) -> None:
    for i in range(MAX_CHUNKS):
        if f"{SESSION_COOKIE}{i}" in request.cookies:
            response.delete_cookie(f"{SESSION_COOKIE}{i}", path="/")


def write_login_state(
    response: Response, request: Request, codec: SessionCodec, data: dict[str, Any]
) -> None:
    _set(response, request, LOGIN_COOKIE, codec.dumps(data), 600)


def read_login_state(request: Request, codec: SessionCodec) -> dict[str, Any] | None:
    token = request.cookies.get(LOGIN_COOKIE)
    return codec.loads(token, 600) if token else None
