"""Report routes: a unit's (or its head's) accountability report, the caucus/chairman report
and the year's dashboard, each as HTML, PDF, XLSX, CSV or JSON, now or as of a past moment
(``as_of``: replayed from the event history, which the composing app provides as
``app.state.report_history``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from reporting.adapters.db import Database, Tx
from reporting.adapters.read_log import record_read
from reporting.render import charts, csv_export, html, pdf, xlsx
from reporting.reports.accountability import unit_report
from reporting.reports.as_of import replay_then
from reporting.reports.caucus import Dispatch, caucus_report
from reporting.reports.dashboard import dashboard
from reporting.reports.rules import ReportRules
from shared.envelope import Envelope
from shared.http import PROBLEM_RESPONSES
from shared.identity import Caller, CallerDep
from shared.problems import AppError, not_found

router = APIRouter(prefix="/v1/reports", responses=PROBLEM_RESPONSES, tags=["reports"])

OVERSIGHT = frozenset({"home_affairs", "party_caucus", "chairman", "auditor", "inspector"})
UNIT_ROLES = frozenset({"unit_head", "unit_officer"})
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Format = Literal["html", "pdf", "xlsx", "csv", "json"]


def _forbidden(detail: str) -> AppError:
    return AppError(
        code="auth.forbidden",
        title="Không có quyền thực hiện",
        title_en="Forbidden",
        status=403,
        detail=detail,
    )


def _moment(as_of: datetime | None) -> tuple[datetime, bool]:
    if as_of is None:
        return datetime.now(UTC).replace(microsecond=0), False
    if as_of.tzinfo is None:
        raise AppError(
            code="report.as_of_invalid",
            title="Thời điểm cần có múi giờ",
            title_en="as_of needs a time zone",
            status=422,
            detail="ví dụ 2013-12-31T23:59:59+07:00",
        )
    return as_of, True


def _build(
    request: Request, tenant: str, as_of: datetime | None, build: Callable[[Tx, datetime], Any]
) -> Any:
    moment, past = _moment(as_of)
    if not past:
        db: Database = request.app.state.reporting_db
        with db.transaction() as tx:
            return build(tx, moment)
    history: Callable[[], Iterable[Envelope]] | None = getattr(
        request.app.state, "report_history", None
    )
    if history is None:
        raise AppError(
            code="report.as_of_unavailable",
            title="Không có lịch sử sự kiện để dựng lại",
            title_en="No event history to replay here",
            status=501,
            detail="dùng `congvu export --as-of` hoặc `audit board --as-of`",
        )
    report = replay_then(history(), tenant, moment, lambda tx: build(tx, moment))
    if report is not None:
        report["replayed_from_history"] = True
    return report


def _filename(stem: str, fmt: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{stem}.{fmt}"'}


def _rules(request: Request, tenant: str) -> ReportRules:
    configured = getattr(request.app.state, "report_rules", {}) or {}
    return ReportRules.for_tenant(tenant, configured)


@router.get(
    "/cycles/{cycle_id}/units/{unit_id}/accountability",
    summary="Báo cáo trách nhiệm của đơn vị / người đứng đầu / Accountability report",
    response_model=None,
)
def accountability(
    cycle_id: UUID,
    unit_id: UUID,
    request: Request,
    caller: CallerDep,
    format: Annotated[Format, Query()] = "json",
    person: Annotated[str | None, Query(max_length=40)] = None,
    as_of: Annotated[datetime | None, Query()] = None,
) -> Response:
    _may_read_unit(request, caller, str(unit_id))
    if person is not None and caller.role == "unit_officer":
        raise _forbidden("báo cáo về người đứng đầu là dữ liệu cá nhân, không cho cán bộ đơn vị")
    report = _build(
        request,
        caller.tenant,
        as_of,
        lambda tx, now: unit_report(
            tx,
            caller.tenant,
            str(cycle_id),
            str(unit_id),
            now=now,
            person_id=person,
            reader_role=caller.role,
            reader_subject=caller.subject,
        ),
    )
    if report is None:
        raise not_found("báo cáo của đơn vị", str(unit_id))
    if caller.role == "unit_officer":
        # the ballots on the head are the head's personal data: not for the unit's staff
        report["ballots"], report["head"], report["head_rating"] = [], None, None
    else:
        record_read(
            request.app.state.reporting_db,
            caller,
            report["kind"],
            str(unit_id),
            (report["head"] or {}).get("id"),
            report["as_of"],
        )
    stem = f"bao-cao-{report['unit']['unit_code']}-{report['cycle']['year']}"
    if format == "html":
        links = {"PDF": "?format=pdf", "XLSX": "?format=xlsx"}
        return HTMLResponse(html.unit_page(report, links))
    if format == "pdf":
        return Response(
            pdf.unit_pdf(report), media_type="application/pdf", headers=_filename(stem, "pdf")
        )
    if format == "xlsx":
        return Response(xlsx.unit_xlsx(report), media_type=XLSX, headers=_filename(stem, "xlsx"))
    if format == "csv":
        body = csv_export.to_bytes(
            [c.title for c in xlsx.STEP_COLUMNS], xlsx._step_rows(report["unit"])
        )
        return Response(body, media_type="text/csv; charset=utf-8", headers=_filename(stem, "csv"))
    return JSONResponse(report)


def _may_read_unit(request: Request, caller: Caller, unit_id: str) -> None:
    if caller.role in OVERSIGHT:
        return
    if caller.role in UNIT_ROLES and caller.acting_for:
        db: Database = request.app.state.reporting_db
        with db.transaction() as tx:
            row = tx.fetchone(
                "SELECT code FROM rm_unit WHERE unit_id = %s AND tenant = %s",
                (unit_id, caller.tenant),
            )
        if row is not None and row[0] == caller.acting_for:
            return
        raise _forbidden("người đứng đầu, cán bộ đơn vị chỉ xem báo cáo của đơn vị mình")
    raise _forbidden("vai trò này không xem báo cáo trách nhiệm")


@router.get(
    "/cycles/{cycle_id}/caucus-report",
    summary="Báo cáo Ban cán sự Đảng, Chủ tịch UBND tỉnh (công văn) / Caucus report",
    response_model=None,
)
def caucus(
    cycle_id: UUID,
    request: Request,
    caller: CallerDep,
    format: Annotated[Format, Query()] = "json",
    number: Annotated[str, Query(max_length=60)] = "…/SNV-TT",
    signer: Annotated[str, Query(max_length=120)] = "",
    as_of: Annotated[datetime | None, Query()] = None,
) -> Response:
    if caller.role not in OVERSIGHT:
        raise _forbidden("báo cáo này dành cho Sở Nội vụ, Ban cán sự Đảng, Chủ tịch, kiểm tra")
    rules = _rules(request, caller.tenant)
    report = _build(
        request,
        caller.tenant,
        as_of,
        lambda tx, now: caucus_report(
            tx,
            caller.tenant,
            str(cycle_id),
            now=now,
            rules=rules,
            dispatch=Dispatch(number=number, signer=signer),
            reader_role=caller.role,
            reader_subject=caller.subject,
        ),
    )
    if report is None:
        raise not_found("kỳ đánh giá", str(cycle_id))
    stem = f"bao-cao-ban-can-su-{report['cycle']['year']}"
    spec = charts.levels_spec(report["levels"], f"Mức xếp loại năm {report['cycle']['year']}")
    if format == "html":
        links = {"PDF": "?format=pdf", "XLSX": "?format=xlsx", "CSV": "?format=csv"}
        return HTMLResponse(html.caucus_page(report, links, charts.svg(spec)))
    if format == "pdf":
        body = pdf.caucus_pdf(report, chart_png=charts.png(spec))
        return Response(body, media_type="application/pdf", headers=_filename(stem, "pdf"))
    if format == "xlsx":
        return Response(xlsx.caucus_xlsx(report), media_type=XLSX, headers=_filename(stem, "xlsx"))
    if format == "csv":
        body = csv_export.to_bytes([c.title for c in xlsx.CAUCUS_COLUMNS], xlsx.caucus_rows(report))
        return Response(body, media_type="text/csv; charset=utf-8", headers=_filename(stem, "csv"))
    return JSONResponse(report)


@router.get(
    "/cycles/{cycle_id}/dashboard",
    summary="Tiến độ đánh giá trong năm / The year's dashboard",
    response_model=None,
)
def dashboard_route(
    cycle_id: UUID,
    request: Request,
    caller: CallerDep,
    format: Annotated[Literal["html", "json"], Query()] = "json",
    as_of: Annotated[datetime | None, Query()] = None,
) -> Response:
    if caller.role not in OVERSIGHT:
        raise _forbidden("bảng tiến độ dành cho Sở Nội vụ, Ban cán sự Đảng, Chủ tịch, kiểm tra")
    report = _build(
        request,
        caller.tenant,
        as_of,
        lambda tx, now: dashboard(tx, caller.tenant, str(cycle_id), now=now),
    )
    if report is None:
        raise not_found("kỳ đánh giá", str(cycle_id))
    if format == "html":
        return HTMLResponse(html.dashboard_page(report, None, {}, charts.dashboard_svgs(report)))
    return JSONResponse(report)
