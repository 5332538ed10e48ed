"""Reporting's CCHC pages (seed 004), read from the ``cchc_scores`` read model:

- ``GET /cchc/bo-tieu-chi?nam=&khoi=``: the criteria sets per year and block (versions, draft or
  published), links to each set's page and to the XLSX import (assessment's forms).
- ``GET /cchc/tham-dinh?nam=``: the appraisers' queue: every unit's scoring year with its status,
  self and appraised totals and the criteria still waiting; links to the appraisal sheet.
- ``GET /cchc/xep-hang?nam=&khoi=&dinh-dang=csv|xlsx``: the index and ranking per block: rank,
  index, band, per-field sub-indices, ties, and an altair chart of the fields rendered to SVG
  here (vl-convert, offline); CSV and XLSX of the same rows.
"""

from __future__ import annotations

from typing import Annotated, Any, Final

from fastapi import FastAPI, Query, Request
from fastapi.responses import Response

from reporting.read_models.cchc_scores.queries import list_sets, queue, rankings
from reporting.render import charts, csv_export, xlsx
from shared.identity import PUBLIC_ROLE
from shared.web import threaded
from shared.web.pages import NavItem, Portal

SETS: Final = "/cchc/bo-tieu-chi"
QUEUE: Final = "/cchc/tham-dinh"
RANKING: Final = "/cchc/xep-hang"
XLSX: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
APPRAISERS: Final = frozenset({"home_affairs", "sector_reviewer", "chairman"})
STATUS: Final = {
    "draft": "Đang tự chấm",
    "approved": "Thủ trưởng đã phê duyệt",
    "submitted": "Đã gửi",
    "appraising": "Đang thẩm định",
    "reconciled": "Đã đối chiếu",
    "confirmed": "Hội đồng đã xác nhận",
}
Year = Annotated[int | None, Query(ge=2000, le=2100)]
Block = Annotated[str | None, Query(pattern=r"^[a-z][a-z0-9_]{0,39}$")]


def vi_number(value: Any) -> str:
    return "" if value is None else str(value).replace(".", ",")


def ranking_csv(ranking: dict[str, Any]) -> bytes:
    fields = ranking["fields"]
    header = ["Hạng", "Đơn vị", "Chỉ số", "Xếp nhóm", "Đồng hạng với"]
    header += [f"Lĩnh vực {f['code']}" for f in fields]
    rows = [
        [r["rank"], r["name"], vi_number(r["index"]), r.get("band_label") or "",
         ", ".join(r.get("tied_with") or []),
         *[vi_number(r["fields"].get(f["code"])) for f in fields]]
        for r in ranking["rows"]
    ]  # fmt: skip
    return csv_export.to_bytes(header, rows)


def include_cchc_pages(app: FastAPI, portal: Portal) -> None:
    portal.add_nav(
        NavItem(
            SETS, "Bộ tiêu chí CCHC", "CCHC criteria", frozenset({"home_affairs"}), group="cchc"
        ),
        NavItem(QUEUE, "Thẩm định CCHC", "CCHC appraisal", APPRAISERS, group="cchc"),
        NavItem(RANKING, "Chỉ số CCHC", "CCHC index", frozenset(), group="cchc"),
    )

    def refuse(request: Request, viewer: Any, template: str) -> Response:
        return portal.render(
            request, template, {"forbidden": True}, viewer=viewer, title="CCHC", status_code=403
        )

    @app.get(SETS, include_in_schema=False)
    @threaded.page
    def sets(request: Request, nam: Year = None, khoi: Block = None) -> Response:
        viewer = threaded.require_viewer(request)
        if viewer.role == PUBLIC_ROLE:
            return refuse(request, viewer, "cchc_sets.html")
        items = list_sets(
            request.app.state.reporting_db, viewer.caller.tenant, year=nam, block=khoi
        )
        return portal.render(
            request,
            "cchc_sets.html",
            {"forbidden": False, "items": items, "year": nam, "block": khoi or "",
             "can_import": viewer.role == "home_affairs"},
            viewer=viewer,
            title="Bộ tiêu chí CCHC",
        )  # fmt: skip

    @app.get(QUEUE, include_in_schema=False)
    @threaded.page
    def appraisal_queue(request: Request, nam: Year = None) -> Response:
        viewer = threaded.require_viewer(request)
        if viewer.role == PUBLIC_ROLE:
            return refuse(request, viewer, "cchc_queue.html")
        db = request.app.state.reporting_db
        year = nam or _latest(db, viewer.caller.tenant)
        items = queue(db, viewer.caller.tenant, year=year) if year else []
        blocks = sorted({(i["block"], i["set_id"]) for i in items})
        return portal.render(
            request,
            "cchc_queue.html",
            {"forbidden": False, "items": items, "year": year, "status": STATUS,
             "blocks": blocks, "can_decide": viewer.role in ("home_affairs", "chairman")},
            viewer=viewer,
            title="Thẩm định CCHC",
        )  # fmt: skip

    @app.get(RANKING, include_in_schema=False)
    @threaded.page
    def ranking(
        request: Request,
        nam: Year = None,
        khoi: Block = None,
        dinh_dang: Annotated[str | None, Query(alias="dinh-dang", pattern="^(csv|xlsx)$")] = None,
    ) -> Response:
        viewer = threaded.require_viewer(request)
        if viewer.role == PUBLIC_ROLE:
            return refuse(request, viewer, "cchc_ranking.html")
        db = request.app.state.reporting_db
        found = rankings(db, viewer.caller.tenant, year=nam, block=khoi)
        chosen = found[0] if found else None
        if dinh_dang == "csv" and chosen is not None:
            name = f"xep-hang-cchc-{chosen['block']}-{chosen['year']}.csv"
            return Response(
                ranking_csv(chosen),
                media_type="text/csv; charset=utf-8",
                headers={
                    **portal.headers(),
                    "Content-Disposition": f'attachment; filename="{name}"',
                },
            )
        if dinh_dang == "xlsx" and chosen is not None:
            name = f"xep-hang-cchc-{chosen['block']}-{chosen['year']}.xlsx"
            return Response(
                xlsx.ranking_xlsx(chosen),
                media_type=XLSX,
                headers={
                    **portal.headers(),
                    "Content-Disposition": f'attachment; filename="{name}"',
                },
            )
        chart = None
        if chosen is not None and chosen["rows"] and chosen["fields"]:
            title = f"Chỉ số thành phần theo lĩnh vực, khối {chosen['block']} năm {chosen['year']}"
            spec = charts.cchc_fields_spec(chosen["rows"], chosen["fields"], title)
            chart = charts.svg(spec)
        return portal.render(
            request,
            "cchc_ranking.html",
            {"forbidden": False, "r": chosen, "others": found[1:], "chart_svg": chart,
             "year": nam, "block": khoi or "", "num": vi_number},
            viewer=viewer,
            title="Chỉ số và xếp hạng CCHC",
        )  # fmt: skip


def _latest(db: Any, tenant: str) -> int | None:
    with db.transaction() as tx:
        row = tx.fetchone("SELECT max(year) FROM rm_cchc_scoring WHERE tenant = %s", (tenant,))
    return int(row[0]) if row and row[0] else None
