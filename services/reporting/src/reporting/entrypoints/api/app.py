"""The reporting HTTP API: the cycle board and its list of cycles."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, FastAPI, Path, Query, Request

from reporting.adapters.db import Database
from reporting.entrypoints.api.cchc import router as cchc_router
from reporting.entrypoints.api.inspection import router as inspection_router
from reporting.entrypoints.web import include_reporting_pages
from reporting.read_models.cycle_board.queries import get_board, list_cycles, unit_history
from reporting.read_models.individual_ratings import queries as individual
from shared.auth import AuthSettings, TokenVerifier, build_verifier
from shared.http import PROBLEM_RESPONSES, add_problem_schema, install_problem_handlers
from shared.identity import PUBLIC_ROLE, Caller, CallerDep
from shared.problems import AppError
from shared.routing import install_segment_dispatch
from shared.runtime import settle_heap
from shared.settings import ReportingSettings
from shared.web.docs import install_api_docs
from shared.web.pages import WebSettings
from shared.web.signin import build_portal, install_portal

router = APIRouter(prefix="/v1/reports", responses=PROBLEM_RESPONSES, tags=["reports"])


def _db(request: Request) -> Database:
    db: Database = request.app.state.reporting_db
    return db


@router.get("/cycles", summary="Danh sách kỳ đánh giá / Cycles")
def cycles(request: Request, caller: CallerDep) -> dict[str, Any]:
    _require_official(caller)
    return {"items": list_cycles(_db(request), caller.tenant)}


@router.get(
    "/cycles/{cycle_id}/board",
    summary="Bảng theo dõi kỳ đánh giá / Cycle board: steps, lateness, levels",
)
def cycle_board(
    cycle_id: UUID,
    request: Request,
    caller: CallerDep,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=500)] = 50,
    status: Annotated[Literal["late", "perfunctory", "recognised"] | None, Query()] = None,
) -> dict[str, Any]:
    _require_official(caller)
    return get_board(
        _db(request), caller.tenant, str(cycle_id), page=page, page_size=page_size, status=status
    )


@router.get(
    "/units/{unit_id}/history",
    summary="Kết quả qua các năm của đơn vị và các đơn vị đã sáp nhập vào / Unit history",
)
def unit_history_route(unit_id: UUID, request: Request, caller: CallerDep) -> dict[str, Any]:
    _require_official(caller)
    return unit_history(_db(request), caller.tenant, str(unit_id))


@router.get(
    "/agencies/{agency_id}/ratings/{year}",
    summary="Xếp loại cá nhân của cơ quan trong năm / An agency's individual ratings",
)
def agency_ratings(
    agency_id: Annotated[str, Path(pattern=r"^[A-Za-z0-9._-]{1,64}$")],
    year: Annotated[int, Path(ge=2020, le=2100)],
    request: Request,
    caller: CallerDep,
    side: Annotated[Literal["state", "party"], Query()] = "state",
) -> dict[str, Any]:
    """Distribution by level, quota use per task group, heads vs their units, late decisions,
    redone ratings."""
    _require_official(caller)
    if not individual.may_read_agency(_reader(caller), agency_id):
        raise _forbidden("chỉ Sở Nội vụ, kiểm toán, lãnh đạo tỉnh, thanh tra hoặc chính cơ quan")
    return individual.agency_year(_db(request), caller.tenant, agency_id, year, side)


@router.get(
    "/people/{person_id}/ratings",
    summary="Kết quả xếp loại qua các năm của một người / A person's rating history",
)
def person_ratings(person_id: UUID, request: Request, caller: CallerDep) -> dict[str, Any]:
    """Readable by the person, their agency's head and personnel body, Home Affairs and
    auditors; a read by anyone but the person is logged."""
    _require_official(caller)
    return individual.person_history(_db(request), caller.tenant, str(person_id), _reader(caller))


def _reader(caller: Caller) -> dict[str, Any]:
    return {
        "subject": caller.subject,
        "role": caller.role,
        "unit": caller.acting_for,
        "at": datetime.now(UTC).isoformat(),
    }


def _forbidden(detail: str) -> AppError:
    return AppError(
        code="auth.forbidden",
        title="Không có quyền thực hiện",
        title_en="Forbidden",
        status=403,
        detail=detail,
    )


def _require_official(caller: Caller) -> None:
    if caller.role == PUBLIC_ROLE:
        raise AppError(
            code="auth.forbidden",
            title="Không có quyền thực hiện",
            title_en="Forbidden",
            status=403,
            detail="báo cáo nội bộ không dành cho vai trò công chúng",
        )


def include_reporting(app: FastAPI) -> None:
    from reporting.entrypoints.api import feeds, public_cchc, reports

    app.include_router(router)
    app.include_router(cchc_router)
    app.include_router(inspection_router)
    app.include_router(reports.router)
    app.include_router(feeds.router)
    app.include_router(public_cchc.router)


def create_app(db: Database | None = None, verifier: TokenVerifier | None = None) -> FastAPI:
    """Production entry: ``uvicorn --factory reporting.entrypoints.api.app:create_app``."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = db is None
        if owned:
            from reporting.adapters.kafka_history import kafka_history
            from reporting.bootstrap import build_database
            from shared.logging import configure_logging

            settings = ReportingSettings()
            configure_logging(settings.log_level, settings.log_json)
            app.state.reporting_db = build_database(settings)
            app.state.report_rules = settings.report_rules
            app.state.report_history = kafka_history(
                settings.kafka_bootstrap, [settings.events_topic, settings.ballot_events_topic]
            )
        if verifier is None:
            app.state.verifier = build_verifier(AuthSettings())
        if owned:
            settle_heap()  # start-up done: freeze its heap, collect less often
        try:
            yield
        finally:
            if owned:
                app.state.reporting_db.close()

    app = FastAPI(title="congvu — Báo cáo (reporting)", version="0.1.0", lifespan=lifespan)
    if db is not None:
        app.state.reporting_db = db
    if verifier is not None:
        app.state.verifier = verifier
    install_problem_handlers(app)
    add_problem_schema(app)
    include_reporting(app)

    @app.get("/v1/reports/health/live", tags=["ops"], summary="Tiến trình còn chạy / Liveness")
    def live() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/v1/reports/health", tags=["ops"], summary="Sẵn sàng phục vụ / Readiness")
    @app.get("/v1/reports/health/ready", tags=["ops"], summary="Sẵn sàng phục vụ / Readiness")
    def ready(request: Request) -> dict[str, str]:
        with _db(request).transaction() as tx:  # a database outage: 503 + Retry-After
            tx.fetchone("SELECT 1")
        return {"status": "ok"}

    install_api_docs(app)  # /docs and /redoc from local files, bearer security in OpenAPI
    mount_portal_pages(app)  # the portal's shared pages and reporting's, when configured
    install_segment_dispatch(app)  # routes looked up by first path segment (same answers)
    return app


def mount_portal_pages(app: FastAPI, settings: WebSettings | None = None) -> bool:
    """Production: reporting serves the sign-in, the public results and "Việc cần làm" behind
    the proxy. Needs ``CONGVU_WEB_SESSION_KEY`` (else no pages: an API-only process)."""
    settings = settings or WebSettings()
    if settings.session_key is None:
        return False
    portal = build_portal(settings)
    install_portal(app, portal)
    include_reporting_pages(app, portal)
    return True
