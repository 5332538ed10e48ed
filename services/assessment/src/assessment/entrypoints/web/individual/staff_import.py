"""The staff list imported from an XLSX workbook by the personnel body (or Home Affairs):
``GET /ho-so/ca-nhan/nhap-danh-sach`` and ``POST`` (multipart, field ``file``).

The workbook is read by ``adapters.individual.staff_xlsx`` and checked row by row
(``domain.individual.staff_list``); a file with any bad row is refused whole, every row's errors
in a table (row, column, message), nothing stored. A good file runs ``import_staff`` (one
transaction) and the page lists who was registered.
"""

from __future__ import annotations

from typing import Any, Final

from fastapi import FastAPI, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from assessment.adapters.individual.staff_xlsx import parse_staff_xlsx
from assessment.application.individual.commands import ImportStaff, PersonIn
from assessment.application.individual.permissions import ROWS
from assessment.application.service import AssessmentApplication
from assessment.entrypoints.web.individual.common import (
    PREFIX,
    ctx_of,
    globals_for,
    is_domain,
    message_of,
    problem_of,
)
from shared.web.pages import NavItem, Portal, Viewer
from shared.web.signin import require_viewer

PAGE: Final = f"{PREFIX}/nhap-danh-sach"
MAX_XLSX: Final = 20 * 1024 * 1024
IMPORTERS: Final = frozenset(ROWS["import_staff"])


def include_staff_import(app: FastAPI, portal: Portal) -> None:
    portal.add_nav(NavItem(PAGE, "Nhập danh sách cán bộ", "Import staff list", IMPORTERS))

    def render(
        request: Request,
        viewer: Viewer,
        *,
        errors: dict[str, str] | None = None,
        rows: list[dict[str, Any]] | None = None,
        imported: list[dict[str, Any]] | None = None,
        message: str | None = None,
        status_code: int = 200,
    ) -> Response:
        allowed = viewer.role in IMPORTERS
        return portal.render(
            request,
            "individual_import.html",
            globals_for(
                {
                    "allowed": allowed,
                    "errors": errors or {},
                    "row_errors": rows or [],
                    "imported": imported or [],
                    "message": message
                    or (
                        None if allowed else "Chỉ bộ phận tổ chức cán bộ hoặc Sở Nội vụ được nhập."
                    ),
                }
            ),
            viewer=viewer,
            title="Nhập danh sách cán bộ, công chức, viên chức",
            status_code=status_code if allowed else 403,
        )

    @app.get(PAGE, include_in_schema=False)
    async def import_form(request: Request) -> Response:
        viewer = await require_viewer(request)
        return render(request, viewer)

    @app.post(PAGE, include_in_schema=False)
    async def import_staff(request: Request) -> Response:
        viewer = await require_viewer(request)
        if viewer.role not in IMPORTERS:
            return render(request, viewer)
        form = await request.form(max_files=1, max_fields=5)
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            errors = {"file": "Hãy chọn tệp XLSX danh sách cán bộ."}
            return render(request, viewer, errors=errors, status_code=422)
        if not upload.filename.lower().endswith(".xlsx"):
            errors = {"file": "Tệp phải là bảng tính XLSX."}
            return render(request, viewer, errors=errors, status_code=422)
        data = await upload.read()
        application: AssessmentApplication = request.app.state.assessment
        try:
            staff = await run_in_threadpool(parse_staff_xlsx, data)
            if not staff.accepted:
                return render(
                    request,
                    viewer,
                    rows=[e.to_dict() for e in staff.errors],
                    message="Tệp có dòng không hợp lệ; không dòng nào được ghi. Các lỗi theo dòng:",
                    status_code=422,
                )
            cmd = ImportStaff(rows=[PersonIn(**row.register_kwargs()) for row in staff.rows])
            spec = application.catalogue.commands["import_staff"]
            done = await run_in_threadpool(application.execute, spec, ctx_of(viewer), cmd, {})
        except Exception as exc:
            if not is_domain(exc):
                raise
            problem = problem_of(exc)
            errors = {"file": message_of(problem)}
            return render(request, viewer, errors=errors, status_code=problem.status)
        return render(request, viewer, imported=list(done["items"]))
