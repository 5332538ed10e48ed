"""The report pages of the portal (signed in): the year's dashboard, the caucus report and a
unit's accountability report, in the portal's layout, with the PDF/XLSX/CSV downloads and an
as-of form (dd/mm/yyyy and hh:mm, Vietnam time). Role checks are the JSON API's.

- ``GET /bao-cao/tien-do?nam=&ngay=&gio=``: dashboard (oversight roles).
- ``GET /bao-cao/ban-can-su?nam=&ngay=&gio=&format=``: caucus report (oversight roles).
- ``GET /bao-cao/don-vi/{code}?nam=&ngay=&gio=&format=``: a unit's report (oversight roles,
  and the unit's own head and officers).
- ``GET /bao-cao/nguoi-dung-dau/{code}?person=&nam=&ngay=&gio=&format=``: the report on the
  unit's head (``person``; empty: the head its sources name) — the API's ``person=`` report:
  oversight roles and the unit's own head; never the unit's officers (the head's personal
  data), and every read recorded by the API.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from typing import Annotated, Any, Final, Literal
from urllib.parse import quote
from uuid import UUID

from fastapi import FastAPI, Query, Request
from fastapi.responses import Response
from markupsafe import Markup

from reporting.entrypoints.api import reports as api
from reporting.read_models.cycle_board.queries import list_cycles
from reporting.render import charts, html
from shared.problems import AppError
from shared.web import threaded
from shared.web.formats import parse_vn_date
from shared.web.pages import NavItem, Portal, Viewer

VN: Final = timezone(timedelta(hours=7))
DASHBOARD: Final = "/bao-cao/tien-do"
CAUCUS: Final = "/bao-cao/ban-can-su"
UNIT: Final = "/bao-cao/don-vi"
HEAD: Final = "/bao-cao/nguoi-dung-dau"
Downloads = Annotated[Literal["pdf", "xlsx", "csv"] | None, Query()]


def parse_moment(ngay: str, gio: str) -> tuple[datetime | None, dict[str, str]]:
    """The as-of form's fields: both empty means now; errors in Vietnamese by field."""
    if not ngay.strip() and not gio.strip():
        return None, {}
    errors: dict[str, str] = {}
    day = None
    try:
        day = parse_vn_date(ngay.strip())
    except ValueError:
        errors["ngay"] = "Ngày không hợp lệ, ghi theo dd/mm/yyyy (ví dụ 31/12/2013)."
    at = time(23, 59, 59)
    if gio.strip():
        try:
            h, m = (int(x) for x in gio.strip().split(":"))
            at = time(h, m)
        except ValueError:
            errors["gio"] = "Giờ không hợp lệ, ghi theo hh:mm (ví dụ 17:30)."
    if errors or day is None:
        return None, errors
    return datetime.combine(day, at, VN), {}


def include_report_pages(app: FastAPI, portal: Portal) -> None:
    portal.add_nav(NavItem(DASHBOARD, "Tiến độ", "Dashboard", api.OVERSIGHT, group="bao-cao"))
    portal.add_nav(
        NavItem(CAUCUS, "Báo cáo Ban cán sự", "Caucus report", api.OVERSIGHT, group="bao-cao")
    )

    def cycle_of(request: Request, viewer: Viewer, nam: int | None) -> dict[str, Any] | None:
        cycles = list_cycles(request.app.state.reporting_db, viewer.caller.tenant)
        return next((c for c in cycles if c["year"] == nam), cycles[0] if cycles else None)

    def page(
        request: Request,
        viewer: Viewer,
        title: str,
        body: str | None,
        *,
        ngay: str = "",
        gio: str = "",
        errors: dict[str, str] | None = None,
        downloads: dict[str, str] | None = None,
        status_code: int = 200,
        message: str = "",
        related: dict[str, str] | None = None,
    ) -> Response:
        return portal.render(
            request,
            "report_page.html",
            {
                "body": Markup(body) if body else None,  # noqa: S704 - our own escaped render
                "ngay": ngay,
                "gio": gio,
                "errors": errors or {},
                "downloads": downloads or {},
                "related": related or {},
                "message": message,
            },
            viewer=viewer,
            title=title,
            status_code=status_code,
        )

    def query(nam: int, ngay: str, gio: str, fmt: str, extra: dict[str, str] | None = None) -> str:
        q = f"?nam={nam}&format={fmt}"
        q += "".join(f"&{k}={quote(v)}" for k, v in (extra or {}).items())
        return q + (f"&ngay={quote(ngay)}&gio={quote(gio)}" if ngay else "")

    def run(
        request: Request,
        title: str,
        nam: int | None,
        ngay: str,
        gio: str,
        make: Any,
        extra: dict[str, str] | None = None,
    ) -> Response:
        viewer = threaded.require_viewer(request)
        moment, errors = parse_moment(ngay, gio)
        if errors:
            return page(
                request, viewer, title, None, ngay=ngay, gio=gio, errors=errors, status_code=422
            )
        cycle = cycle_of(request, viewer, nam)
        if cycle is None:
            return page(request, viewer, title, None, message="Chưa có kỳ đánh giá nào.")
        try:
            result = make(viewer, UUID(cycle["id"]), moment)
        except AppError as err:
            return page(
                request,
                viewer,
                title,
                None,
                status_code=err.status,
                message=f"{err.title}: {err.detail}" if err.detail else err.title,
            )
        if isinstance(result, Response):
            return result
        body, formats, *more = result
        links = {f.upper(): query(cycle["year"], ngay, gio, f, extra) for f in formats}
        related = more[0] if more else None
        return page(
            request, viewer, title, body, ngay=ngay, gio=gio, downloads=links, related=related
        )

    @app.get(DASHBOARD, include_in_schema=False)
    @threaded.page
    def dashboard_page(
        request: Request,
        nam: Annotated[int | None, Query(ge=1990, le=2200)] = None,
        ngay: Annotated[str, Query(max_length=20)] = "",
        gio: Annotated[str, Query(max_length=10)] = "",
    ) -> Response:
        def make(viewer: Viewer, cycle_id: UUID, moment: datetime | None) -> Any:
            resp = api.dashboard_route(cycle_id, request, viewer.caller, "json", moment)
            report = _json(resp)
            drawn = charts.dashboard_svgs(report)
            return html.fragment("dashboard.html", r=report, chart_svg=None, charts=drawn), ()

        return run(request, "Tiến độ đánh giá", nam, ngay, gio, make)

    @app.get(CAUCUS, include_in_schema=False)
    @threaded.page
    def caucus_page(
        request: Request,
        nam: Annotated[int | None, Query(ge=1990, le=2200)] = None,
        ngay: Annotated[str, Query(max_length=20)] = "",
        gio: Annotated[str, Query(max_length=10)] = "",
        format: Downloads = None,
    ) -> Response:
        def make(viewer: Viewer, cycle_id: UUID, moment: datetime | None) -> Any:
            c = viewer.caller
            if format:
                return api.caucus(cycle_id, request, c, format, "…/SNV-TT", "", moment)
            report = _json(api.caucus(cycle_id, request, c, "json", "…/SNV-TT", "", moment))
            spec = charts.levels_spec(
                report["levels"], f"Mức xếp loại năm {report['cycle']['year']}"
            )
            body = html.fragment("caucus.html", r=report, chart_svg=charts.svg(spec))
            return body, ("pdf", "xlsx", "csv")

        return run(request, "Báo cáo Ban cán sự Đảng", nam, ngay, gio, make)

    def unit_id_of(request: Request, viewer: Viewer, code: str) -> UUID:
        db = request.app.state.reporting_db
        with db.transaction() as tx:
            row = tx.fetchone(
                "SELECT unit_id FROM rm_unit WHERE code = %s AND tenant = %s",
                (code, viewer.caller.tenant),
            )
        if row is None:
            raise AppError(
                code="unit.not_found",
                title="Không tìm thấy đơn vị",
                title_en="Unit not found",
                status=404,
                detail=code,
            )
        return UUID(str(row[0]))

    @app.get(HEAD + "/{code}", include_in_schema=False)
    @threaded.page
    def head_page(
        request: Request,
        code: str,
        person: Annotated[str, Query(max_length=40)] = "",
        nam: Annotated[int | None, Query(ge=1990, le=2200)] = None,
        ngay: Annotated[str, Query(max_length=20)] = "",
        gio: Annotated[str, Query(max_length=10)] = "",
        format: Downloads = None,
    ) -> Response:
        chosen = {"person": person.strip()}

        def make(viewer: Viewer, cycle_id: UUID, moment: datetime | None) -> Any:
            c = viewer.caller
            if c.role == "unit_officer":
                raise AppError(
                    code="auth.forbidden",
                    title="Không có quyền thực hiện",
                    title_en="Forbidden",
                    status=403,
                    detail="báo cáo về người đứng đầu là dữ liệu cá nhân",
                )
            unit_id = unit_id_of(request, viewer, code)
            who = chosen["person"]
            if not who:  # the head the unit's sources name (ballots, rating, inspections)
                resp = api.accountability(cycle_id, unit_id, request, c, "json", None, moment)
                who = (_json(resp).get("head") or {}).get("id") or ""
                if not who:
                    raise AppError(
                        code="report.no_head",
                        title="Chưa có dữ liệu về người đứng đầu đơn vị",
                        title_en="No data on the unit's head yet",
                        status=404,
                        detail=code,
                    )
                chosen["person"] = who
            if format:
                return api.accountability(cycle_id, unit_id, request, c, format, who, moment)
            resp = api.accountability(cycle_id, unit_id, request, c, "json", who, moment)
            body = html.fragment("unit_report.html", r=_json(resp))
            return body, ("pdf", "xlsx")

        return run(request, "Báo cáo về người đứng đầu", nam, ngay, gio, make, extra=chosen)

    @app.get(UNIT + "/{code}", include_in_schema=False)
    @threaded.page
    def unit_page(
        request: Request,
        code: str,
        nam: Annotated[int | None, Query(ge=1990, le=2200)] = None,
        ngay: Annotated[str, Query(max_length=20)] = "",
        gio: Annotated[str, Query(max_length=10)] = "",
        format: Downloads = None,
    ) -> Response:
        def make(viewer: Viewer, cycle_id: UUID, moment: datetime | None) -> Any:
            unit_id = unit_id_of(request, viewer, code)
            c = viewer.caller
            if format:
                return api.accountability(cycle_id, unit_id, request, c, format, None, moment)
            resp = api.accountability(cycle_id, unit_id, request, c, "json", None, moment)
            report = _json(resp)
            body = html.fragment("unit_report.html", r=report)
            related = {}
            if report.get("head") and c.role != "unit_officer":
                year = report["cycle"]["year"]
                related["Báo cáo về người đứng đầu"] = (
                    f"{HEAD}/{quote(code)}?nam={year}&person={quote(report['head']['id'])}"
                )
            return body, ("pdf", "xlsx", "csv"), related

        return run(request, "Báo cáo trách nhiệm", nam, ngay, gio, make)


def _json(resp: Response) -> dict[str, Any]:
    import json

    data: dict[str, Any] = json.loads(bytes(resp.body))
    return data
