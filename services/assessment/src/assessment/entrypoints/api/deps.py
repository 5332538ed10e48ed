"""Typed dependencies: the application from app state, the command context from the caller."""

from __future__ import annotations

import hashlib
from typing import Annotated

from fastapi import Depends, Header, Request

from assessment.application.service import AssessmentApplication, CommandContext
from shared.identity import Caller, current_caller
from shared.problems import AppError


async def get_app(request: Request) -> AssessmentApplication:
    """``async`` on purpose: a plain ``def`` dependency costs a thread-pool hop per request."""
    app: AssessmentApplication = request.app.state.assessment
    return app


async def command_context(
    request: Request,
    caller: Annotated[Caller, Depends(current_caller)],
    idempotency_key: Annotated[str | None, Header()] = None,
) -> CommandContext:
    return context_for(request, caller, idempotency_key, await request.body())


def context_for(
    request: Request, caller: Caller, idempotency_key: str | None, body: bytes
) -> CommandContext:
    """The command context of a request (also built by ``fast_route`` without FastAPI's
    dependency solving): tenant and actor from the token, the idempotency key, and the
    fingerprint of method, path, caller and body that a replay must match."""
    if idempotency_key is not None and not (1 <= len(idempotency_key) <= 200):
        raise AppError(
            code="request.invalid_idempotency_key",
            title="Idempotency-Key không hợp lệ",
            title_en="Invalid Idempotency-Key",
            status=400,
            detail="Idempotency-Key phải dài 1–200 ký tự",
        )
    digest = hashlib.sha256()
    # ``request.url.path`` without building the whole URL (host header, query) per command
    path = request.scope["path"].replace("?", "%3F").replace("#", "%23").replace("\\", "%5C")
    digest.update(request.method.encode() + b" " + path.encode() + b"\n")
    digest.update(caller.subject.encode() + b"\n" + body)
    return CommandContext(
        tenant=caller.tenant,
        actor=caller.actor(),
        idempotency_key=idempotency_key,
        request_fingerprint=digest.hexdigest(),
    )


AppDep = Annotated[AssessmentApplication, Depends(get_app)]
CtxDep = Annotated[CommandContext, Depends(command_context)]
