"""A unit's register of work items in an inspection: the figures per person and per field
(on time, late, overdue, days of delay, share on time, passed on), and the import of the
unit's register from XLSX or CSV.

- ``GET {prefix}/{id}/don-vi/{unit_code}/so-cong-viec``: the figures — each view a recorded
  read (``READ_WORK_FIGURES``: a read by anyone but the persons shown is an event) — with a bar
  (``<meter>``) of the on-time share per person and per field; the upload form for the team.
- ``POST`` the same path (multipart, CSRF first): every row is checked (``read_register``); a
  bad file shows one line per bad cell (row, column, message) and stores nothing; a good one
  runs ``import_work_items`` (≤ 20,000 items a command; a larger file in parts, ``append``).
"""

from __future__ import annotations

import hashlib
from typing import Annotated, Any, Final
from uuid import UUID

from fastapi import FastAPI, Request
from fastapi import Path as PathParam
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from assessment.adapters.inspection.register_files import read_register
from assessment.application.inspection.reads import READ_WORK_FIGURES, ReadFigures
from assessment.application.registry.api import unit_id as unit_id_for
from assessment.application.service import AssessmentApplication
from assessment.domain.kernel.errors import DomainError
from assessment.entrypoints.web.forms import Refused, ctx_of, may, problem_of, run_command
from shared.problems import AppError
from shared.web import threaded
from shared.web.pages import Portal, Viewer

CHUNK: Final = 20_000
Code = Annotated[str, PathParam(pattern=r"^[A-Za-z0-9_-]{1,64}$")]


def share(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}".replace(".", ",") + " %"


def include_register_pages(app: FastAPI, portal: Portal, prefix: str) -> None:
    path = f"{prefix}/{{inspection_id}}/don-vi/{{unit_code}}/so-cong-viec"
    portal.body_limits[prefix] = portal.settings.upload_max_bytes

    def figures(
        application: AssessmentApplication, viewer: Viewer, ids: dict[str, UUID], by: str
    ) -> dict[str, Any]:
        cmd = ReadFigures.model_validate({"by": (by,)})
        return application.execute(READ_WORK_FIGURES, ctx_of(viewer), cmd, ids)

    def render(
        request: Request,
        viewer: Viewer,
        inspection_id: UUID,
        code: str,
        *,
        errors: list[dict[str, Any]] | None = None,
        message: str | None = None,
        status_code: int = 200,
        rows_read: int = 0,
    ) -> Response:
        application: AssessmentApplication = request.app.state.assessment
        ids = {"inspection_id": inspection_id, "unit_id": unit_id_for(viewer.caller.tenant, code)}
        ctx: dict[str, Any] = {
            "inspection_id": inspection_id,
            "unit_code": code,
            "errors": errors or [],
            "message": message,
            "rows_read": rows_read,
            "can_import": may(viewer, "import_work_items"),
            "share": share,
            "done": request.query_params.get("da-nhap"),
            "problem": None,
            "by_person": None,
            "by_field": None,
        }
        try:
            insp = application.get_inspection(ctx_of(viewer), inspection_id)
            ctx["title"] = insp["title"]
        except (DomainError, AppError) as exc:
            problem = problem_of(exc)
            ctx["problem"] = problem
            return portal.render(
                request,
                "inspection_register.html",
                ctx,
                viewer=viewer,
                title="Sổ công việc",
                status_code=problem.status,
            )
        try:
            ctx["by_person"] = figures(application, viewer, ids, "person")
            ctx["by_field"] = figures(application, viewer, ids, "field")
        except (DomainError, AppError) as exc:
            problem = problem_of(exc)
            if problem.status != 404:  # no register yet: the page shows the upload form
                ctx["problem"] = problem
                status_code = problem.status
        return portal.render(
            request,
            "inspection_register.html",
            ctx,
            viewer=viewer,
            title=f"Sổ công việc {code}",
            status_code=status_code,
        )

    @app.get(path, include_in_schema=False)
    @threaded.page
    def register(request: Request, inspection_id: UUID, unit_code: Code) -> Response:
        viewer = threaded.require_viewer(request)
        return render(request, viewer, inspection_id, unit_code)

    @app.post(path, include_in_schema=False)
    @threaded.page
    def upload(request: Request, inspection_id: UUID, unit_code: Code) -> Response:
        viewer = threaded.require_viewer(request)
        if not may(viewer, "import_work_items"):
            return render(
                request,
                viewer,
                inspection_id,
                unit_code,
                status_code=403,
                message="Chỉ Đoàn kiểm tra được nhập sổ công việc.",
            )
        form = threaded.form(request, max_files=1, max_fields=5)
        upload = form.get("register")
        if not isinstance(upload, UploadFile) or not upload.filename:
            return render(
                request,
                viewer,
                inspection_id,
                unit_code,
                status_code=422,
                message="Hãy chọn tệp sổ đăng ký (XLSX hoặc CSV UTF-8).",
            )
        data = threaded.wait(upload.read)
        name = upload.filename
        result = read_register(data, name)
        if not result.ok:  # every bad cell listed; nothing is stored
            return render(
                request,
                viewer,
                inspection_id,
                unit_code,
                errors=[e.to_dict() for e in result.errors],
                status_code=422,
                message="Sổ đăng ký có dòng không hợp lệ; không dòng nào được nhập.",
                rows_read=result.rows_read,
            )
        ids = {
            "inspection_id": inspection_id,
            "unit_id": unit_id_for(viewer.caller.tenant, unit_code),
        }
        digest = hashlib.sha256(data).hexdigest()
        items = [i.to_dict() for i in result.items]
        try:
            for start in range(0, len(items), CHUNK):
                body = {
                    "items": items[start : start + CHUNK],
                    "append": start > 0,
                    "filename": name[:255],
                    "sha256": digest,
                    "size": len(data),
                }
                run_command(
                    request.app.state.assessment,
                    viewer,
                    "import_work_items",
                    body,
                    ids,
                )
        except Refused as r:
            return render(
                request,
                viewer,
                inspection_id,
                unit_code,
                status_code=r.status,
                message=r.message or "; ".join(f"{k}: {v}" for k, v in r.errors.items()),
            )
        return portal.redirect(
            request,
            f"{prefix}/{inspection_id}/don-vi/{unit_code}/so-cong-viec?da-nhap={len(items)}",
            303,
        )
