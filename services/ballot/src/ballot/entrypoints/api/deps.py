"""Typed dependencies: the service from app state; the command from the bearer token."""

from __future__ import annotations

import hashlib
from typing import Annotated

from fastapi import Depends, Header, Request

from ballot.application.service import BallotService, Command
from shared.identity import Caller, current_caller
from shared.problems import AppError


async def get_service(request: Request) -> BallotService:
    """``async`` on purpose: a plain ``def`` dependency costs a thread-pool hop per request."""
    module = getattr(request.app.state, "ballot", None)
    if module is None:
        raise AppError(
            code="service.unavailable",
            title="Dịch vụ bỏ phiếu chưa sẵn sàng",
            title_en="Ballot service not started",
            status=503,
            headers={"Retry-After": "5"},
        )
    service: BallotService = module.service
    return service


async def command(
    request: Request,
    caller: Annotated[Caller, Depends(current_caller)],
    idempotency_key: Annotated[str | None, Header()] = None,
) -> Command:
    if idempotency_key is not None and not (1 <= len(idempotency_key) <= 200):
        raise AppError(
            code="request.invalid_idempotency_key",
            title="Idempotency-Key không hợp lệ",
            title_en="Invalid Idempotency-Key",
            status=400,
            detail="Idempotency-Key phải dài 1–200 ký tự",
        )
    body = await request.body()
    digest = hashlib.sha256()
    digest.update(request.method.encode() + b" " + request.url.path.encode() + b"\n")
    digest.update(caller.subject.encode() + b"\n" + body)
    return Command(
        tenant=caller.tenant,
        subject=caller.subject,
        role=caller.role,
        idempotency_key=idempotency_key,
        request_hash=digest.hexdigest(),
    )


ServiceDep = Annotated[BallotService, Depends(get_service)]
CommandDep = Annotated[Command, Depends(command)]
