"""Public disclosure of CCHC rankings (no sign-in): a published ranking of a tenant's block and
year as CSV (``utf-8-sig``), XLSX and PDF. A ranking not yet published is a 404, exactly like
one that does not exist. Responses carry an ETag and ``Cache-Control: public`` as the
publications feed's do (a matching ``If-None-Match`` gets 304)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from reporting.entrypoints.api.feeds import Tenant, Year, _cached
from reporting.entrypoints.web import province_name
from reporting.entrypoints.web.cchc import ranking_csv
from reporting.render import pdf, xlsx
from reporting.reports.public_cchc import public_ranking
from shared.http import PROBLEM_RESPONSES
from shared.problems import not_found

router = APIRouter(prefix="/v1/public", responses=PROBLEM_RESPONSES, tags=["public"])

Block = Annotated[str, Path(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _ranking(request: Request, tenant: str, year: int, block: str) -> dict[str, Any]:
    found = public_ranking(request.app.state.reporting_db, tenant, year, block)
    if found is None:
        raise not_found("bảng xếp hạng CCHC đã công bố", f"{tenant}/{year}/{block}")
    return found


def _named(response: Response, stem: str) -> Response:
    if response.status_code == 200:
        response.headers["Content-Disposition"] = f'attachment; filename="{stem}"'
    return response


@router.get(
    "/{tenant}/{year}/cchc/{block}/ranking.csv",
    summary="Xếp hạng CCHC đã công bố (CSV) / Published CCHC ranking",
)
def ranking_csv_route(tenant: Tenant, year: Year, block: Block, request: Request) -> Response:
    body = ranking_csv(_ranking(request, tenant, year, block))
    response = _cached(request, body, "text/csv; charset=utf-8")
    return _named(response, f"xep-hang-cchc-{tenant}-{block}-{year}.csv")


@router.get(
    "/{tenant}/{year}/cchc/{block}/ranking.xlsx",
    summary="Xếp hạng CCHC đã công bố (XLSX) / Published CCHC ranking",
)
def ranking_xlsx_route(tenant: Tenant, year: Year, block: Block, request: Request) -> Response:
    body = xlsx.ranking_xlsx(_ranking(request, tenant, year, block))
    return _named(_cached(request, body, XLSX), f"xep-hang-cchc-{tenant}-{block}-{year}.xlsx")


@router.get(
    "/{tenant}/{year}/cchc/{block}/ranking.pdf",
    summary="Xếp hạng CCHC đã công bố (PDF) / Published CCHC ranking",
)
def ranking_pdf_route(tenant: Tenant, year: Year, block: Block, request: Request) -> Response:
    body = pdf.ranking_pdf(tenant, province_name(tenant), _ranking(request, tenant, year, block))
    return _cached(request, body, "application/pdf")
