"""Routes derived from the catalogue: each command of a context becomes ``POST /v1<path>``
with its model as the body, its path ids as path parameters, ``CommandResult`` as the answer,
201 or 200 as its ``Route`` says. Nothing here names a command's fields.

The event store is synchronous: each endpoint makes one hop to a worker thread
(``shared.threads.in_thread``, lighter than anyio's ``to_thread``) for the command, and there
validates the answer against ``CommandResult`` and renders it to JSON, returning a ready
``Response``. A plain ``def`` endpoint would cost an anyio hop for the command and a second one
for FastAPI's validation of the return value, then a serialization on the event loop (issue
14's profile). The OpenAPI schema still names ``CommandResult``. ``CommandRoute``
(``fast_route``) answers a well-formed request without FastAPI's dependency solving.
"""

from __future__ import annotations

import inspect
from typing import Any
from uuid import UUID

from fastapi import APIRouter, status
from fastapi.responses import Response
from pydantic import TypeAdapter

from assessment.application.kernel.catalogue import CommandSpec, Context
from assessment.application.kernel.commands import Command, CommandResult
from assessment.entrypoints.api.deps import AppDep, CtxDep
from assessment.entrypoints.api.fast_route import COMMAND_ATTR, CommandRoute
from shared.http import PROBLEM_RESPONSES
from shared.threads import in_thread

_KW = inspect.Parameter.KEYWORD_ONLY
_RESULT = TypeAdapter(CommandResult)


def render_result(result: dict[str, Any], status_code: int) -> Response:
    """``result`` as FastAPI's ``response_model=CommandResult`` would answer it (validated,
    every declared field present, extra keys passed through), rendered once."""
    body = _RESULT.dump_json(_RESULT.validate_python(result))
    return Response(body, status_code=status_code, media_type="application/json")


def _endpoint(spec: CommandSpec) -> Any:
    code = status.HTTP_201_CREATED if spec.model.route.created else status.HTTP_200_OK

    def run(app: Any, ctx: Any, cmd: Command, ids: dict[str, UUID]) -> Response:
        return render_result(app.execute(spec, ctx, cmd, ids), code)

    async def endpoint(app: Any, ctx: Any, body: Command | None = None, **ids: UUID) -> Response:
        cmd = body if body is not None else spec.model()
        return await in_thread(run, app, ctx, cmd, ids)

    params = [inspect.Parameter(name, _KW, annotation=UUID) for name in spec.target]
    if spec.model.model_fields:
        params.append(inspect.Parameter("body", _KW, annotation=spec.model))
    params += [
        inspect.Parameter("app", _KW, annotation=AppDep),
        inspect.Parameter("ctx", _KW, annotation=CtxDep),
    ]
    endpoint.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        params, return_annotation=Response
    )
    endpoint.__name__ = endpoint.__qualname__ = spec.name
    endpoint.__doc__ = spec.model.__doc__
    setattr(endpoint, COMMAND_ATTR, (spec, run))  # CommandRoute's direct path
    return endpoint


def command_router(context: Context) -> APIRouter:
    """A router with one route per command of ``context``; add its queries' GETs to it."""
    router = APIRouter(prefix="/v1", responses=PROBLEM_RESPONSES, route_class=CommandRoute)
    for spec in context.commands.values():
        route = spec.model.route
        router.add_api_route(
            route.path,
            _endpoint(spec),
            methods=["POST"],
            status_code=status.HTTP_201_CREATED if route.created else status.HTTP_200_OK,
            response_model=CommandResult,
            tags=[route.tag],
            summary=route.summary,
            name=spec.name,
        )
    return router
