"""The public page of published CCHC rankings (no sign-in):

- ``GET /cong-khai/cchc?tinh=&nam=&khoi=``: per province (tenant), year and block, the
  published ranking — rank, unit, index, band, per-field sub-indices, ties — with its decision,
  an altair chart of the fields (SVG, vl-convert, offline; the table carries the same figures)
  and links to its CSV, XLSX and PDF (``/v1/public/{tenant}/{year}/cchc/{block}/ranking.*``).
  Only rankings whose publication is recorded are ever listed or shown.

The page is the same for everyone (drawn without the signed-in official's name), so it is
cacheable: ``Cache-Control: public, max-age=300``, an ETag of its body, 304 on a matching
``If-None-Match``; it varies only with the language cookie.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from typing import Annotated, Any, Final

from fastapi import FastAPI, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from reporting.render import charts
from reporting.reports.public_cchc import choose
from shared.web.pages import Portal

PUBLIC_CCHC: Final = "/cong-khai/cchc"
CACHE: Final = "public, max-age=300"


@lru_cache(maxsize=64)
def _chart(spec_json: str) -> str:
    """The chart of a published ranking: a published ranking never changes, so drawn once."""
    return charts.svg(json.loads(spec_json))


def cacheable(request: Request, response: Response) -> Response:
    """ETag (SHA-256 of the body) and public caching on a page that is the same for everyone."""
    tag = '"' + hashlib.sha256(bytes(response.body)).hexdigest()[:32] + '"'
    response.headers["ETag"] = tag
    response.headers["Cache-Control"] = CACHE
    response.headers["Vary"] = "Cookie"
    if tag in {t.strip() for t in request.headers.get("if-none-match", "").split(",")}:
        keep = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
        return Response(status_code=304, headers=keep)
    return response


def include_public_cchc_pages(app: FastAPI, portal: Portal, province_name: Any) -> None:
    # linked from the published results page (/cong-khai), not from the navigation, which
    # keeps one public link

    @app.get(PUBLIC_CCHC, include_in_schema=False)
    async def public_cchc(
        request: Request,
        tinh: Annotated[str | None, Query(max_length=64)] = None,
        nam: Annotated[int | None, Query(ge=1990, le=2200)] = None,
        khoi: Annotated[str | None, Query(max_length=40)] = None,
    ) -> Response:
        found = choose(request.app.state.reporting_db, tinh, nam, khoi)
        r = found["ranking"]
        chart = None
        if r is not None and r["rows"] and r["fields"]:
            title = f"Chỉ số thành phần theo lĩnh vực, khối {r['block']} năm {r['year']}"
            spec = charts.cchc_fields_spec(r["rows"], r["fields"], title)
            chart = await run_in_threadpool(_chart, json.dumps(spec, sort_keys=True))
        response = portal.render(
            request,
            "public_cchc.html",
            {**found, "r": r, "chart_svg": chart, "province_name": province_name,
             "num": lambda v: "" if v is None else str(v).replace(".", ","),
             "viewer_optional": True},
            viewer=None,
            title="Chỉ số cải cách hành chính đã công bố",
        )  # fmt: skip
        return cacheable(request, response)
