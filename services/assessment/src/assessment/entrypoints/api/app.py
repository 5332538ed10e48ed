"""The assessment HTTP API. ``create_app`` builds; the lifespan owns the application."""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from eventsourcing.persistence import InterfaceError, OperationalError
from fastapi import FastAPI
from psycopg_pool import PoolTimeout

from assessment.application.contexts import NAMES
from assessment.application.service import AssessmentApplication
from assessment.domain.kernel.errors import DomainError
from assessment.entrypoints.api.audit import router as audit_router
from assessment.entrypoints.api.errors import translate
from assessment.entrypoints.web import mount_assessment_pages
from shared.auth import AuthSettings, TokenVerifier, build_verifier
from shared.http import add_problem_schema, install_problem_handlers
from shared.routing import install_segment_dispatch
from shared.runtime import settle_heap
from shared.web.docs import install_api_docs

TRANSLATED: tuple[type[Exception], ...] = (
    DomainError,
    OperationalError,
    InterfaceError,
    PoolTimeout,
)


def install_assessment_errors(app: FastAPI) -> None:
    install_problem_handlers(app, dict.fromkeys(TRANSLATED, translate))


def include_assessment(app: FastAPI) -> None:
    """Each context's router (``entrypoints/api/<name>.py``, once it defines ``router``), then
    the kernel's audit routes."""
    for name in NAMES:
        router = getattr(
            importlib.import_module(f"assessment.entrypoints.api.{name}"), "router", None
        )
        if router is not None:
            app.include_router(router)
    app.include_router(audit_router)

    @app.get("/v1/health/live", tags=["ops"], summary="Tiến trình còn chạy / Liveness")
    def live() -> dict[str, Any]:
        return {"status": "ok"}

    @app.get("/v1/health", tags=["ops"], summary="Sẵn sàng phục vụ / Readiness")
    @app.get("/v1/health/ready", tags=["ops"], summary="Sẵn sàng phục vụ / Readiness")
    def ready() -> dict[str, Any]:
        store: AssessmentApplication = app.state.assessment
        circuit = getattr(store, "store_circuit", None)
        if circuit is not None and circuit.down:
            circuit.check()  # fast 503 while the store is known down (cool-down)
        return {"status": "ok", "last_position": store.recorder.max_notification_id() or 0}


def create_app(
    application: AssessmentApplication | None = None, verifier: TokenVerifier | None = None
) -> FastAPI:
    """Production entry: ``uvicorn --factory assessment.entrypoints.api.app:create_app``."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = application is None
        if owned:
            from assessment.bootstrap import build_application, build_sealer, start_group_commit
            from shared.logging import configure_logging
            from shared.settings import AssessmentSettings

            settings = AssessmentSettings()
            configure_logging(settings.log_level, settings.log_json)
            app.state.assessment = build_application(settings)
            app.state.sealer = build_sealer(app.state.assessment, settings)
            app.state.committer = start_group_commit(app.state.assessment)
        if verifier is None:
            app.state.verifier = build_verifier(AuthSettings())
        if owned:
            settle_heap()  # start-up done: freeze its heap, collect less often
        try:
            yield
        finally:
            if owned:
                if app.state.committer is not None:
                    app.state.committer.stop()
                app.state.sealer.db.close()
                app.state.assessment.close()

    app = FastAPI(
        title="congvu — Đánh giá công vụ (assessment)", version="0.1.0", lifespan=lifespan
    )
    if application is not None:
        app.state.assessment = application
    if verifier is not None:
        app.state.verifier = verifier
    install_assessment_errors(app)
    add_problem_schema(app)
    include_assessment(app)
    install_api_docs(app)  # /docs and /redoc from local files, bearer security in OpenAPI
    mount_assessment_pages(app)  # the forms (/ho-so/…), when CONGVU_WEB_SESSION_KEY is set
    install_segment_dispatch(app)  # routes looked up by first path segment (same answers)
    return app
