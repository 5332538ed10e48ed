"""The ballot HTTP API. ``create_app`` builds a standalone app; ``include_ballot`` mounts the same
routes and error handlers on another app (the embedded one-process server)."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import psycopg
from fastapi import FastAPI, Request
from fastapi.responses import Response
from psycopg_pool import PoolTimeout

from ballot.bootstrap import BallotModule
from ballot.crypto import CryptoError
from ballot.domain.errors import BallotError
from ballot.entrypoints.api.deps import ServiceDep
from ballot.entrypoints.api.errors import translate
from ballot.entrypoints.api.logfilter import install_access_log_filter
from ballot.entrypoints.api.routes import organiser, public, trustee
from shared.auth import AuthSettings, TokenVerifier, build_verifier
from shared.http import add_problem_schema, install_problem_handlers, problem_response
from shared.routing import install_segment_dispatch
from shared.runtime import settle_heap
from shared.web.docs import install_api_docs

BALLOT_ERRORS: tuple[type[Exception], ...] = (
    BallotError,
    CryptoError,
    psycopg.errors.UniqueViolation,
)
INFRA_ERRORS: tuple[type[Exception], ...] = (
    psycopg.OperationalError,
    PoolTimeout,
    sqlite3.OperationalError,
)


def _handler(exc_type: type[Exception]) -> Callable[[Request, Exception], Awaitable[Response]]:
    async def handle(request: Request, exc: Exception) -> Response:
        problem = translate(exc)
        if problem is None:  # pragma: no cover - translate covers every registered type
            raise exc
        return problem_response(problem, request)

    return handle


def include_ballot(app: FastAPI) -> None:
    """Mount the ballot routes and their problem handlers on ``app``.

    Expects ``app.state.ballot`` (a :class:`ballot.bootstrap.BallotModule`) and
    ``app.state.verifier`` to be set by the host's lifespan. Also keeps voters' addresses out
    of uvicorn's access log (see ``logfilter``).
    """
    for exc_type in BALLOT_ERRORS:
        app.add_exception_handler(exc_type, _handler(exc_type))
    app.include_router(organiser)
    app.include_router(trustee)
    app.include_router(public)
    install_access_log_filter()

    @app.get("/v1/ballot/health", tags=["ops"], summary="Tình trạng dịch vụ bỏ phiếu / Health")
    def ballot_health(svc: ServiceDep) -> dict[str, Any]:
        with svc.db.transaction() as tx:
            position = svc.store.outbox_head(tx)
        return {"status": "ok", "published_position": position, "board_key_id": svc.signer.key_id}


def create_app(
    module: BallotModule | None = None, verifier: TokenVerifier | None = None
) -> FastAPI:
    """Production entry: ``uvicorn --factory ballot.entrypoints.api.app:create_app``."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = module is None
        if owned:
            from ballot.bootstrap import build_ballot
            from ballot.config import BallotSettings
            from shared.logging import configure_logging

            settings = BallotSettings()
            configure_logging(settings.log_level, settings.log_json)
            app.state.ballot = build_ballot(settings)
        if verifier is None:
            app.state.verifier = build_verifier(AuthSettings())
        if owned:
            settle_heap()  # start-up done: freeze its heap, collect less often
        try:
            yield
        finally:
            if owned:
                app.state.ballot.close()

    app = FastAPI(title="congvu — Bỏ phiếu ẩn danh (ballot)", version="0.1.0", lifespan=lifespan)
    if module is not None:
        app.state.ballot = module
    if verifier is not None:
        app.state.verifier = verifier
    install_problem_handlers(app, dict.fromkeys(INFRA_ERRORS, translate))
    add_problem_schema(app)
    include_ballot(app)
    from ballot.entrypoints.web import include_voter_page

    include_voter_page(app)  # the voters' form: GET /bo-phieu/{election_id}
    install_api_docs(app)  # /docs and /redoc from local files, bearer security in OpenAPI
    install_segment_dispatch(app)  # routes looked up by first path segment (same answers)
    return app
