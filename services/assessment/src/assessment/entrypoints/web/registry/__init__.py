"""Pages of the registry context.

- ``GET /don-vi?q=&nhom=&ngay=&trang=``: the tenant's units (every signed-in official): search
  by code or any name it had (diacritics ignored), group (kind), the day they were valid on
  (dd/mm/yyyy), paging; each unit's validity dates and lineage (merged into, merged from,
  split from). The same query as ``GET /v1/units`` (``app.list_units``); a bad day comes back
  with the Vietnamese message beside the field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Final

from fastapi import FastAPI, Query, Request
from fastapi.responses import Response

from assessment.application.service import AssessmentApplication, CommandContext
from assessment.domain.registry.values import UNIT_KIND_LABELS, UnitKind
from shared.identity import PUBLIC_ROLE
from shared.web import threaded
from shared.web.formats import parse_vn_date
from shared.web.pages import NavItem, Portal

TEMPLATES: Final = Path(__file__).resolve().parent / "templates"
UNITS: Final = "/don-vi"
PAGE_SIZE: Final = 20
GROUPS: Final = {k.value: label for k, label in UNIT_KIND_LABELS.items()}


def include_registry_pages(app: FastAPI, portal: Portal) -> None:
    portal.add_templates(TEMPLATES)
    portal.add_nav(NavItem(UNITS, "Đơn vị", "Units", frozenset(), group="tap-the"))

    @app.get(UNITS, include_in_schema=False)
    @threaded.page
    def units(
        request: Request,
        q: Annotated[str, Query(max_length=200)] = "",
        nhom: Annotated[str, Query(max_length=40)] = "",
        ngay: Annotated[str, Query(max_length=20)] = "",
        trang: Annotated[int, Query(ge=1, le=100_000)] = 1,
    ) -> Response:
        viewer = threaded.require_viewer(request)
        errors: dict[str, str] = {}
        context = {"q": q, "nhom": nhom, "ngay": ngay, "groups": GROUPS, "errors": errors}
        if viewer.role == PUBLIC_ROLE:
            return portal.render(
                request,
                "units.html",
                {**context, "result": None, "forbidden": True},
                viewer=viewer,
                title="Đơn vị",
                status_code=403,
            )
        valid_on = None
        if ngay.strip():
            try:
                valid_on = parse_vn_date(ngay.strip())
            except ValueError:
                errors["ngay"] = "Ngày không hợp lệ, ghi theo dd/mm/yyyy (ví dụ 31/12/2013)."
        if nhom and nhom not in GROUPS:
            errors["nhom"] = "Hãy chọn một nhóm trong danh sách."
        if errors:
            return portal.render(
                request,
                "units.html",
                {**context, "result": None, "forbidden": False},
                viewer=viewer,
                title="Đơn vị",
                status_code=422,
            )
        application: AssessmentApplication = request.app.state.assessment
        ctx = CommandContext(tenant=viewer.caller.tenant, actor=viewer.caller.actor())
        result = application.list_units(
            ctx,
            q=q,
            kind=UnitKind(nhom).value if nhom else None,
            valid_on=valid_on,
            page=trang,
            page_size=PAGE_SIZE,
        )
        pages = max(1, -(-result["total"] // PAGE_SIZE))
        return portal.render(
            request,
            "units.html",
            {**context, "result": result, "pages": pages, "forbidden": False},
            viewer=viewer,
            title="Đơn vị",
        )
