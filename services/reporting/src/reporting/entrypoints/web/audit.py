"""The auditor's pages (read only; auditor, inspector and Home Affairs — the roles of the API's
``read_audit``): no form on them changes anything.

- ``GET /kiem-toan/dong-thoi-gian?don_vi=&buoc=&nguoi=&tu=&den=&trang=``: the tenant's event
  timeline, paged, filtered by unit, step, actor and business-day range (dd/mm/yyyy); each event
  with its actor, business time, recorded time, position in the store's order (the audit
  chain's), the request it came from and its chain link's status.
- ``GET /kiem-toan/tai-thoi-diem?nam=&ngay=&gio=&don_vi=``: the board, or one unit's file, as
  it stood at a chosen moment (day and hh:mm, Vietnam time), replayed from the event history;
  the page states the moment.

The history is the composing app's ``app.state.report_history`` (the store when embedded, the
Kafka topics in production), the same as the reports' as-of.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, time
from typing import Annotated, Any, Final

from fastapi import FastAPI, Query, Request
from fastapi.responses import Response

from reporting.read_models.cycle_board.board import STEP_ORDER, board_as_of
from reporting.read_models.cycle_board.queries import list_cycles, unit_choices
from reporting.reports.timeline import TimelineFilter, timeline
from shared.envelope import Envelope
from shared.web import threaded
from shared.web.formats import parse_vn_date
from shared.web.pages import NavItem, Portal, Viewer

from .reports import VN, parse_moment

TIMELINE: Final = "/kiem-toan/dong-thoi-gian"
AS_OF: Final = "/kiem-toan/tai-thoi-diem"
AUDIT_ROLES: Final = frozenset({"auditor", "inspector", "home_affairs"})
PAGE_SIZE: Final = 50
BAD_DAY: Final = "Ngày không hợp lệ, ghi theo dd/mm/yyyy (ví dụ 31/12/2013)."


def _history(request: Request) -> list[Envelope] | None:
    source: Callable[[], Iterable[Envelope]] | None = getattr(
        request.app.state, "report_history", None
    )
    return None if source is None else list(source())


def include_audit_pages(app: FastAPI, portal: Portal) -> None:
    portal.add_nav(
        NavItem(
            TIMELINE, "Dòng thời gian sự kiện", "Event timeline", AUDIT_ROLES, group="kiem-toan"
        ),
        NavItem(AS_OF, "Tại một thời điểm", "As of a moment", AUDIT_ROLES, group="kiem-toan"),
    )

    def refuse(request: Request, viewer: Viewer, title: str) -> Response:
        return portal.render(
            request,
            "audit_refused.html",
            {"message": "Trang này dành cho kiểm toán, thanh tra và Sở Nội vụ."},
            viewer=viewer,
            title=title,
            status_code=403,
        )

    @app.get(TIMELINE, include_in_schema=False)
    @threaded.page
    def event_timeline(
        request: Request,
        don_vi: Annotated[str, Query(max_length=64)] = "",
        buoc: Annotated[str, Query(max_length=40)] = "",
        nguoi: Annotated[str, Query(max_length=128)] = "",
        tu: Annotated[str, Query(max_length=20)] = "",
        den: Annotated[str, Query(max_length=20)] = "",
        trang: Annotated[int, Query(ge=1, le=100_000)] = 1,
    ) -> Response:
        title = "Dòng thời gian sự kiện"
        viewer = threaded.require_viewer(request)
        if viewer.role not in AUDIT_ROLES:
            return refuse(request, viewer, title)
        tenant = viewer.caller.tenant
        units = unit_choices(request.app.state.reporting_db, tenant)
        errors: dict[str, str] = {}
        days: dict[str, datetime | None] = {"tu": None, "den": None}
        for name, text, at in (("tu", tu, time(0, 0)), ("den", den, time(23, 59, 59))):
            if text.strip():
                try:
                    days[name] = datetime.combine(parse_vn_date(text.strip()), at, VN)
                except ValueError:
                    errors[name] = BAD_DAY
        unit = next((u for u in units if u["code"] == don_vi), None)
        if don_vi and unit is None:
            errors["don_vi"] = "Hãy chọn một đơn vị trong danh sách."
        if buoc and buoc not in STEP_ORDER:
            errors["buoc"] = "Hãy chọn một bước trong danh sách."
        context: dict[str, Any] = {
            "units": units,
            "steps": STEP_ORDER,
            "f": {"don_vi": don_vi, "buoc": buoc, "nguoi": nguoi, "tu": tu, "den": den},
            "errors": errors,
            "result": None,
            "unavailable": False,
        }
        history = None if errors else _history(request)
        if not errors and history is None:
            context["unavailable"] = True
        if history is not None:
            wanted = TimelineFilter(
                unit_id=unit["id"] if unit else None,
                step=buoc or None,
                actor=nguoi,
                start=days["tu"],
                end=days["den"],
            )
            context["result"] = timeline(history, tenant, wanted, page=trang, page_size=PAGE_SIZE)
        return portal.render(
            request,
            "audit_timeline.html",
            context,
            viewer=viewer,
            title=title,
            status_code=422 if errors else 200,
        )

    @app.get(AS_OF, include_in_schema=False)
    @threaded.page
    def as_of(
        request: Request,
        nam: Annotated[int | None, Query(ge=1990, le=2200)] = None,
        ngay: Annotated[str, Query(max_length=20)] = "",
        gio: Annotated[str, Query(max_length=10)] = "",
        don_vi: Annotated[str, Query(max_length=64)] = "",
    ) -> Response:
        title = "Bảng theo dõi tại một thời điểm"
        viewer = threaded.require_viewer(request)
        if viewer.role not in AUDIT_ROLES:
            return refuse(request, viewer, title)
        db = request.app.state.reporting_db
        tenant = viewer.caller.tenant
        cycles = list_cycles(db, tenant)
        cycle = next((c for c in cycles if c["year"] == nam), cycles[0] if cycles else None)
        units = unit_choices(db, tenant)
        moment, errors = parse_moment(ngay, gio)
        if not errors and moment is None:
            errors["ngay"] = "Hãy ghi ngày của thời điểm cần xem (dd/mm/yyyy)."
        unit = next((u for u in units if u["code"] == don_vi), None)
        if don_vi and unit is None:
            errors["don_vi"] = "Hãy chọn một đơn vị trong danh sách."
        context: dict[str, Any] = {
            "cycles": cycles,
            "year": cycle["year"] if cycle else None,
            "units": units,
            "f": {"ngay": ngay, "gio": gio, "don_vi": don_vi},
            "errors": errors if (ngay or gio or don_vi) else {},
            "moment": None,
            "board": None,
            "unit": unit,
            "events": [],
            "steps": STEP_ORDER,
            "unavailable": False,
        }
        if errors or cycle is None or moment is None:
            shown = bool(ngay or gio or don_vi)
            return portal.render(
                request,
                "audit_as_of.html",
                context,
                viewer=viewer,
                title=title,
                status_code=422 if errors and shown else 200,
            )
        history = _history(request)
        if history is None:
            context["unavailable"] = True
        else:
            board_cycle, rows = board_as_of(history, tenant, cycle["id"], moment)
            if unit is not None:
                rows = [r for r in rows if r["unit_id"] == unit["id"]]
                found = timeline(
                    history, tenant, TimelineFilter(unit_id=unit["id"], end=moment), page_size=500
                )
                context["events"] = found.items
            context["board"] = {"cycle": board_cycle, "items": rows}
            context["moment"] = moment
        return portal.render(request, "audit_as_of.html", context, viewer=viewer, title=title)
