"""Reporting's pages: the public results (no sign-in) and each official's "Việc cần làm".

- ``GET /`` and ``GET /cong-khai?tinh=&nam=&q=&trang=``: published results per province and
  year — unit, level, decision number and date — searchable and paged. Only units whose
  publication is on the board are shown; nothing unpublished ever is.
- ``GET /cong-khai/cchc``: the published CCHC rankings (:mod:`.public_cchc`).
- ``GET /viec-can-lam``: what waits for the signed-in official, with deadlines.
- ``GET /xep-loai-ca-nhan``, ``GET /xep-loai-ca-nhan/cua-toi``: individual ratings
  (``individual``).
- ``GET /bang-theo-doi?loc=&q=&trang=``: the cycle board (the JSON API's query) with filters
  (late, perfunctory, recognised), search and paging, deadlines beside each step's verdict.

- ``/kiem-toan/dong-thoi-gian`` and ``/kiem-toan/tai-thoi-diem``: the auditor's timeline and
  as-of views (:mod:`.audit`).

Mount with :func:`include_reporting_pages` on an app that has ``app.state.reporting_db`` and a
portal (``shared.web.signin.install_portal``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Final

from fastapi import FastAPI, Query, Request
from fastapi.responses import Response

from reporting.read_models.cchc_scores.todo import cchc_todo_for
from reporting.read_models.cycle_board.board import STEP_ORDER, VN_TZ
from reporting.read_models.cycle_board.public_results import fold, published_results
from reporting.read_models.cycle_board.queries import get_board, list_cycles
from reporting.read_models.cycle_board.todo import todo_for
from reporting.read_models.inspection_overview.todo import remediation_todo_for
from shared.identity import PUBLIC_ROLE
from shared.web import threaded
from shared.web.pages import NavItem, Portal

from .audit import include_audit_pages
from .caching import PageCache, cache_headers, enabled_by_env, etag_for, matches, not_modified
from .cchc import include_cchc_pages
from .individual import include_individual_pages, todo_items
from .public_cchc import include_public_cchc_pages
from .reports import include_report_pages

TEMPLATES: Final = Path(__file__).resolve().parent / "templates"
PUBLIC: Final = "/cong-khai"
TODO: Final = "/viec-can-lam"
BOARD: Final = "/bang-theo-doi"
FILTERS: Final = {"late": "Trễ hạn, quá hạn", "perfunctory": "Sơ sài", "recognised": "Đã công nhận"}
PROVINCES: Final = {"dong-nai": "Đồng Nai", "quang-tri": "Quảng Trị", "ha-noi": "Hà Nội"}


def province_name(tenant: str) -> str:
    return PROVINCES.get(tenant, tenant.replace("-", " ").title())


def include_reporting_pages(app: FastAPI, portal: Portal) -> None:
    portal.add_templates(TEMPLATES)
    portal.add_nav(NavItem(BOARD, "Bảng theo dõi", "Cycle board", frozenset(), group="tap-the"))
    include_report_pages(app, portal)
    include_audit_pages(app, portal)
    include_individual_pages(app, portal)
    include_cchc_pages(app, portal)
    include_public_cchc_pages(app, portal, province_name)

    cache = PageCache(enabled=enabled_by_env())
    app.state.page_cache = cache

    def public(
        request: Request,
        tinh: str | None,
        nam: int | None,
        q: str,
        trang: int,
    ) -> Response:
        db = request.app.state.reporting_db
        viewer = getattr(request.state, "viewer", None)
        headers: dict[str, str] = {}
        version = ""
        if cache.enabled:
            version = cache.version(db)
            tag = etag_for(version, portal.language(request), request, viewer)
            headers = cache_headers(tag, viewer)
            if matches(request, tag):
                return not_modified(headers)

        def render() -> Response:
            result = published_results(db, tinh, nam, query=q, page=trang, page_size=20)
            pages = max(1, -(-result.total // result.page_size))
            return portal.render(
                request,
                "public_results.html",
                {
                    "r": result,
                    "q": q,
                    "pages": pages,
                    "province_name": province_name,
                    "viewer_optional": True,
                },
                viewer=viewer,
                title="Kết quả đánh giá công vụ đã công bố",
            )

        response = cache.page(version, request, ("public",), render)
        response.headers.update(headers)
        return response

    @app.get("/", include_in_schema=False)
    @threaded.page
    def home(request: Request) -> Response:
        request.state.viewer = threaded.current_viewer(request)
        return public(request, None, None, "", 1)

    @app.get(PUBLIC, include_in_schema=False)
    @threaded.page
    def public_results(
        request: Request,
        tinh: Annotated[str | None, Query(max_length=64)] = None,
        nam: Annotated[int | None, Query(ge=1990, le=2200)] = None,
        q: Annotated[str, Query(max_length=200)] = "",
        trang: Annotated[int, Query(ge=1, le=100_000)] = 1,
    ) -> Response:
        request.state.viewer = threaded.current_viewer(request)
        return public(request, tinh, nam, q, trang)

    @app.get(TODO, include_in_schema=False)
    @threaded.page
    def todo(request: Request) -> Response:
        viewer = threaded.require_viewer(request)
        data = todo_for(request.app.state.reporting_db, viewer.caller)
        return portal.render(
            request,
            "todo.html",
            {
                "todo": data,
                "province": province_name(viewer.caller.tenant),
                "individual": todo_items(request.app.state.reporting_db, viewer.caller),
                "cchc": cchc_todo_for(request.app.state.reporting_db, viewer.caller),
                "remediation": remediation_todo_for(
                    request.app.state.reporting_db, viewer.caller, datetime.now(VN_TZ).date()
                ),
            },
            viewer=viewer,
            title="Việc cần làm",
        )

    @app.get(BOARD, include_in_schema=False)
    @threaded.page
    def board(
        request: Request,
        loc: Annotated[str | None, Query(max_length=20)] = None,
        q: Annotated[str, Query(max_length=200)] = "",
        nam: Annotated[int | None, Query(ge=1990, le=2200)] = None,
        trang: Annotated[int, Query(ge=1, le=100_000)] = 1,
    ) -> Response:
        viewer = threaded.require_viewer(request)
        db = request.app.state.reporting_db
        if viewer.role == PUBLIC_ROLE:
            return portal.render(
                request,
                "board.html",
                {"board": None, "forbidden": True},
                viewer=viewer,
                title="Bảng theo dõi",
                status_code=403,
            )
        tenant = viewer.caller.tenant
        # the read models' page data, computed once per version (and per Vietnamese day:
        # a step becomes overdue at midnight in Việt Nam)
        version = cache.version(db) if cache.enabled else ""
        now = datetime.now(UTC)
        today = now.astimezone(VN_TZ).date()
        cycles = cache.get(version, ("cycles", tenant), lambda: list_cycles(db, tenant))
        cycle = next((c for c in cycles if c["year"] == nam), cycles[0] if cycles else None)
        data = None
        status = loc if loc in FILTERS else None
        page_size = 25
        if cycle is not None:
            # the JSON API's query with the search; only the page's rows are built in full
            wanted = fold(q.strip())
            cycle_id = str(cycle["id"])

            def search(name: str, code: str) -> bool:
                return wanted in fold(f"{name} {code}")

            def query(page: int) -> dict[str, Any]:
                key = ("board", tenant, cycle_id, page, page_size, status, wanted, today)
                return cache.get(
                    version,
                    key,
                    lambda: get_board(
                        db,
                        tenant,
                        cycle_id,
                        page=page,
                        page_size=page_size,
                        status=status,
                        now=now,
                        search=search if wanted else None,
                    ),
                )

            found = query(trang)
            pages = max(1, -(-found["total"] // page_size))
            if trang > pages:  # past the last page: show the last one
                trang = pages
                found = query(trang)
            data = {
                "cycle": found["cycle"],
                "items": found["items"],
                "total": found["total"],
                "page": trang,
                "pages": pages,
            }
        request.state.viewer = viewer
        return cache.page(
            version,
            request,
            ("board", today),
            lambda: portal.render(
                request,
                "board.html",
                {
                    "board": data,
                    "cycles": cycles,
                    "year": cycle["year"] if cycle else None,
                    "loc": status,
                    "q": q,
                    "filters": FILTERS,
                    "steps": STEP_ORDER,
                    "forbidden": False,
                },
                viewer=viewer,
                title="Bảng theo dõi",
            ),
        )
