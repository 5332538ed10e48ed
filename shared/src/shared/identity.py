"""Who is calling: the verified claims of the bearer token, in one dependency.

The tenant comes only from the token, never from a path or a body. The verifier lives on
``app.state.verifier`` (built by each service's lifespan from ``CONGVU_AUTH_*``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from starlette.concurrency import run_in_threadpool

from shared.auth import TokenVerifier
from shared.problems import AppError

PUBLIC_ROLE = "public"
"""The role of anonymous-public tokens: published pages only, never internal reports."""


@dataclass(frozen=True)
class Caller:
    tenant: str
    subject: str
    role: str
    acting_for: str | None

    def actor(self) -> dict[str, Any]:
        return {"subject": self.subject, "role": self.role, "acting_for": self.acting_for}


async def current_caller(
    request: Request,
    authorization: Annotated[str | None, Header()] = None,
) -> Caller:
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AppError(
            code="auth.missing_token",
            title="Chưa xác thực",
            title_en="Unauthenticated",
            status=401,
            detail="cần header Authorization: Bearer <mã thông báo>",
            headers={"WWW-Authenticate": "Bearer"},
        )
    verifier: TokenVerifier | None = getattr(request.app.state, "verifier", None)
    if verifier is None:
        raise AppError(
            code="auth.not_configured",
            title="Chưa cấu hình xác thực",
            title_en="Authentication not configured",
            status=503,
            headers={"Retry-After": "30"},
        )
    token = token.strip()
    # ``async`` on purpose: a token seen before is a look-up in the verifier's cache, done on
    # the event loop; only a first sight (signature check, maybe a JWKS fetch) goes to the
    # thread pool, so it never blocks the loop.
    claims = verifier.cached(token)
    if claims is None:
        claims = await run_in_threadpool(verifier.verify, token)
    return Caller(
        tenant=claims.tenant, subject=claims.subject, role=claims.role, acting_for=claims.unit
    )


CallerDep = Annotated[Caller, Depends(current_caller)]
