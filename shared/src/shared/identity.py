"""Who is calling. Until OIDC lands (issue 4) the caller is named by trusted gateway headers.

``X-Tenant``, ``X-Actor-Subject``, ``X-Actor-Role`` and optional ``X-Actor-Unit`` are read in
this one dependency, so the swap to verified JWT claims touches nothing else. The tenant never
comes from a path or a body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Header

from shared.problems import AppError

_SAFE = re.compile(r"^[A-Za-z0-9_.:@-]{1,128}$")


@dataclass(frozen=True)
class Caller:
    tenant: str
    subject: str
    role: str
    acting_for: str | None

    def actor(self) -> dict[str, Any]:
        return {"subject": self.subject, "role": self.role, "acting_for": self.acting_for}


def _need(value: str | None, header: str) -> str:
    if not value:
        raise AppError(
            code="auth.missing_identity",
            title="Chưa xác thực",
            title_en="Unauthenticated",
            status=401,
            detail=f"thiếu header {header}",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if not _SAFE.match(value):
        raise AppError(
            code="auth.invalid_identity",
            title="Danh tính không hợp lệ",
            title_en="Invalid identity",
            status=401,
            detail=f"header {header} có ký tự không hợp lệ",
        )
    return value


def current_caller(
    x_tenant: Annotated[str | None, Header()] = None,
    x_actor_subject: Annotated[str | None, Header()] = None,
    x_actor_role: Annotated[str | None, Header()] = None,
    x_actor_unit: Annotated[str | None, Header()] = None,
) -> Caller:
    return Caller(
        tenant=_need(x_tenant, "X-Tenant"),
        subject=_need(x_actor_subject, "X-Actor-Subject"),
        role=_need(x_actor_role, "X-Actor-Role"),
        acting_for=_need(x_actor_unit, "X-Actor-Unit") if x_actor_unit else None,
    )


CallerDep = Annotated[Caller, Depends(current_caller)]
