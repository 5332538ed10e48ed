"""Criteria-set pages (Home Affairs edits, everyone of the tenant reads).

- ``GET /ho-so/cchc/bo-tieu-chi/{set_id}``: the set's tree in the published shape (STT, lĩnh vực
  / tiêu chí / tiêu chí thành phần, điểm tối đa, kiểu chấm, cách chấm điểm, tài liệu kiểm chứng,
  cơ quan thẩm định); for Home Affairs on a draft, the row editor (every row editable, three
  empty rows to add), the publication form; on a published set, "new version".
- ``POST …/{set_id}/sua``: the edited rows are read like an imported sheet (``sheet.read_set``:
  the same checks, each problem on its row, beside its cell) and run as ``revise_criteria_set``.
- ``POST …/{set_id}/ban-hanh``, ``…/phien-ban-moi``: ``publish_criteria_set``,
  ``draft_criteria_set`` (``supersedes``: the same content as the next version's draft).
- ``GET|POST /ho-so/cchc/bo-tieu-chi/nhap``: an XLSX in the published shape
  (``adapters.cchc.xlsx.read_criteria_xlsx``); a bad file lists each row's problem, stores
  nothing. ``GET …/{set_id}/xuat.xlsx``: the export (``write_criteria_xlsx``).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Final
from urllib.parse import quote
from uuid import UUID

from fastapi import FastAPI, Request
from fastapi import Path as PathParam
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from assessment.adapters.cchc.xlsx import read_criteria_xlsx, write_criteria_xlsx
from assessment.application.service import AssessmentApplication
from assessment.domain.cchc import sheet
from assessment.domain.cchc.errors import SheetRejected
from assessment.domain.cchc.tree import SetContent
from assessment.domain.cchc.values import fmt
from assessment.domain.kernel.errors import DomainError
from assessment.entrypoints.web.cchc.common import (
    PREFIX,
    command_ctx,
    day_from_form,
    field_for,
    message_of,
    problem_of,
    run_form,
)
from shared.problems import AppError
from shared.web import threaded
from shared.web.pages import Portal, Viewer

TEMPLATES: Final = Path(__file__).resolve().parent / "templates"
XLSX: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_XLSX: Final = 5 * 1024 * 1024
EDITORS: Final = frozenset({"home_affairs"})
KEYS: Final = tuple(key for key, _, _ in sheet.COLUMNS)
EXTRA_ROWS: Final = 3
SetId = Annotated[UUID, PathParam()]
LEVEL_OF_DEPTH: Final = {"field": 0, "criterion": 1, "component": 2}


def sheet_rows(content: dict[str, Any]) -> tuple[list[str], list[dict[str, str]], list[Any]]:
    """(header, rows as {column key: cell text}, parameter rows) of a set's content; each row
    also carries its ``level`` for indentation (``total`` for the closing row)."""
    tree = SetContent.from_dict(content)
    header, rows, params = sheet.write_set(tree)
    levels = {n.code: n.level.value for n in tree.nodes}
    out = []
    for cells in rows:
        row = {k: _text(v) for k, v in zip(KEYS, cells, strict=False)}
        row["level"] = levels.get(row["stt"], "total")
        out.append(row)
    return header, out, params


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return fmt(value)
    return str(value)


def rows_from_form(form: Any, count: int) -> list[tuple[int, list[str]]]:
    """The editor's rows ``r{i}.{key}`` as sheet rows numbered as a sheet would (row 1 is the
    header, so row i is sheet row i + 2); empty rows are left for ``read_set`` to skip."""
    out = []
    for i in range(count):
        cells = []
        for key in KEYS:
            raw = form.get(f"r{i}.{key}")
            cells.append(raw.strip() if isinstance(raw, str) else "")
        out.append((i + 2, cells))
    return out


def problems_by_cell(problems: list[dict[str, Any]]) -> tuple[dict[str, str], list[str]]:
    """Sheet problems as editor errors: ``r{i}.{cell}`` → message, others as general lines."""
    cells: dict[str, str] = {}
    general: list[str] = []
    for p in problems:
        if (
            p.get("sheet") == sheet.CRITERIA_SHEET
            and isinstance(p.get("row"), int)
            and p["row"] >= 2
        ):
            key = f"r{p['row'] - 2}.{field_for(str(p.get('detail', '')))}"
            cells[key] = f"{cells[key]}; {p['detail']}" if key in cells else str(p["detail"])
        else:
            where = f"{p.get('sheet')}, dòng {p['row']}" if p.get("row") else str(p.get("sheet"))
            general.append(f"{where}: {p.get('detail')}")
    return cells, general


def include_set_pages(app: FastAPI, portal: Portal) -> None:
    portal.add_templates(TEMPLATES)

    def render_set(
        request: Request,
        viewer: Viewer,
        set_id: UUID,
        *,
        errors: dict[str, str] | None = None,
        rows: list[dict[str, str]] | None = None,
        general: list[str] | None = None,
        message: str | None = None,
        values: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Response:
        application: AssessmentApplication = request.app.state.assessment
        try:
            found = application.get_criteria_set(command_ctx(viewer), set_id)
        except (DomainError, AppError) as exc:
            p = problem_of(exc)
            return portal.render(
                request, "cchc_set.html", {"problem": p}, viewer=viewer,
                title="Bộ tiêu chí", status_code=p.status,
            )  # fmt: skip
        header, stored, params = sheet_rows(found["content"])
        shown = rows if rows is not None else stored
        editing = viewer.role in EDITORS and found["publication"] is None
        if editing and rows is None:
            blank = {k: "" for k in KEYS} | {"level": "new"}
            shown = [*stored[:-1], *[dict(blank) for _ in range(EXTRA_ROWS)], stored[-1]]
        return portal.render(
            request,
            "cchc_set.html",
            {
                "problem": None,
                "s": found,
                "header": header,
                "keys": KEYS,
                "rows": shown,
                "params": params,
                "editing": editing,
                "can_version": viewer.role in EDITORS and found["publication"] is not None,
                "errors": errors or {},
                "general": general or [],
                "message": message,
                "values": values or {},
                "done": request.query_params.get("xong"),
                "depth": LEVEL_OF_DEPTH,
            },
            viewer=viewer,
            title=f"Bộ tiêu chí {found['block']} {found['year']}",
            status_code=status_code,
        )

    def refuse(request: Request, viewer: Viewer, set_id: UUID) -> Response:
        return render_set(
            request, viewer, set_id, status_code=403,
            message="Chỉ Sở Nội vụ được soạn, sửa và ban hành bộ tiêu chí.",
        )  # fmt: skip

    @app.get(f"{PREFIX}/bo-tieu-chi/nhap", include_in_schema=False)
    @threaded.page
    def import_form(request: Request) -> Response:
        viewer = threaded.require_viewer(request)
        return render_import(request, viewer)

    def render_import(
        request: Request,
        viewer: Viewer,
        *,
        errors: dict[str, str] | None = None,
        problems: list[dict[str, Any]] | None = None,
        values: dict[str, str] | None = None,
        message: str | None = None,
        status_code: int = 200,
    ) -> Response:
        allowed = viewer.role in EDITORS
        return portal.render(
            request,
            "cchc_import.html",
            {
                "allowed": allowed,
                "errors": errors or {},
                "problems": problems or [],
                "values": values or {},
                "message": message or (None if allowed else "Chỉ Sở Nội vụ được nhập bộ tiêu chí."),
            },
            viewer=viewer,
            title="Nhập bộ tiêu chí từ XLSX",
            status_code=status_code if allowed else 403,
        )

    @app.post(f"{PREFIX}/bo-tieu-chi/nhap", include_in_schema=False)
    @threaded.page
    def import_set(request: Request) -> Response:
        viewer = threaded.require_viewer(request)
        if viewer.role not in EDITORS:
            return render_import(request, viewer)
        form = threaded.form(request, max_files=1, max_fields=20)
        values = {k: v for k, v in form.items() if isinstance(v, str)}
        errors: dict[str, str] = {}
        upload = form.get("file")
        data = b""
        if not isinstance(upload, UploadFile) or not upload.filename:
            errors["file"] = "Hãy chọn tệp XLSX của bộ tiêu chí."
        else:
            data = threaded.wait(upload.read)
            if len(data) > MAX_XLSX:
                errors["file"] = "Tệp quá lớn (tối đa 5 MB)."
            elif not upload.filename.lower().endswith(".xlsx"):
                errors["file"] = "Tệp phải là bảng tính XLSX."
        body: dict[str, Any] = {
            "year": values.get("year", "").strip(),
            "block": values.get("block", "").strip(),
            "title": values.get("title", "").strip(),
            "content": {},
        }
        if values.get("supersedes", "").strip():
            body["supersedes"] = values["supersedes"].strip()
        if not errors:
            try:
                body["content"] = read_criteria_xlsx(data)
            except SheetRejected as exc:
                return render_import(
                    request, viewer, problems=exc.problems, values=values, status_code=422,
                    message="Tệp không hợp lệ, không có gì được lưu. Các dòng có lỗi:",
                )  # fmt: skip
            except (DomainError, AppError) as exc:
                errors["file"] = message_of(problem_of(exc))
        application: AssessmentApplication = request.app.state.assessment
        done = run_form(application, viewer, "draft_criteria_set", body, {}, errors=errors)
        if not done.ok:
            return render_import(
                request, viewer, errors=done.errors, values=values, message=done.message,
                status_code=done.status,
            )  # fmt: skip
        assert done.result is not None
        return portal.redirect(request, f"{PREFIX}/bo-tieu-chi/{done.result['id']}?xong=nhap")

    @app.get(f"{PREFIX}/bo-tieu-chi/{{set_id}}", include_in_schema=False)
    @threaded.page
    def show(request: Request, set_id: SetId) -> Response:
        viewer = threaded.require_viewer(request)
        return render_set(request, viewer, set_id)

    @app.get(f"{PREFIX}/bo-tieu-chi/{{set_id}}/xuat.xlsx", include_in_schema=False)
    @threaded.page
    def export(request: Request, set_id: SetId) -> Response:
        viewer = threaded.require_viewer(request)
        application: AssessmentApplication = request.app.state.assessment
        try:
            found = application.get_criteria_set(command_ctx(viewer), set_id)
        except (DomainError, AppError) as exc:
            return render_set(request, viewer, set_id, status_code=problem_of(exc).status)
        title = f"{found['title']} (năm {found['year']}, phiên bản {found['set_version']})"
        data = write_criteria_xlsx(found["content"], title)
        name = f"bo-tieu-chi-{found['block']}-{found['year']}-v{found['set_version']}.xlsx"
        return Response(
            data,
            media_type=XLSX,
            headers={
                **portal.headers(),
                "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}",
            },
        )

    @app.post(f"{PREFIX}/bo-tieu-chi/{{set_id}}/sua", include_in_schema=False)
    @threaded.page
    def edit(request: Request, set_id: SetId) -> Response:
        viewer = threaded.require_viewer(request)
        if viewer.role not in EDITORS:
            return refuse(request, viewer, set_id)
        form = threaded.form(request, max_files=0, max_fields=5000)
        try:
            count = min(int(str(form.get("rows") or "0")), 2000)
        except ValueError:
            count = 0
        numbered = rows_from_form(form, count)
        posted = [dict(zip(KEYS, cells, strict=True)) | {"level": "edit"} for _, cells in numbered]
        reason = str(form.get("reason") or "").strip()
        application: AssessmentApplication = request.app.state.assessment
        try:
            found = application.get_criteria_set(command_ctx(viewer), set_id)
        except (DomainError, AppError):
            return render_set(request, viewer, set_id)
        _, _, params = sheet.write_set(SetContent.from_dict(found["content"]))
        try:
            content = sheet.read_set(
                [name for _, name, _ in sheet.COLUMNS],
                numbered,
                [(n, r) for n, r in enumerate(params, start=1)],
            )
        except SheetRejected as exc:
            cells, general = problems_by_cell(exc.problems)
            if not reason:
                cells["reason"] = "Hãy nêu lý do sửa."
            return render_set(
                request, viewer, set_id, errors=cells, rows=posted, general=general,
                values={"reason": reason}, status_code=422,
                message="Bộ tiêu chí chưa được sửa: xem lỗi bên cạnh từng ô.",
            )  # fmt: skip
        body = {"content": content, "reason": reason}
        done = run_form(application, viewer, "revise_criteria_set", body, {"set_id": set_id})
        if not done.ok:
            return render_set(
                request, viewer, set_id, errors=done.errors, rows=posted, message=done.message,
                values={"reason": reason}, status_code=done.status,
            )  # fmt: skip
        return portal.redirect(request, f"{PREFIX}/bo-tieu-chi/{set_id}?xong=sua")

    @app.post(f"{PREFIX}/bo-tieu-chi/{{set_id}}/ban-hanh", include_in_schema=False)
    @threaded.page
    def publish(request: Request, set_id: SetId) -> Response:
        viewer = threaded.require_viewer(request)
        if viewer.role not in EDITORS:
            return refuse(request, viewer, set_id)
        form = threaded.form(request, max_files=0, max_fields=20)
        values = {k: v.strip() for k, v in form.items() if isinstance(v, str)}
        errors: dict[str, str] = {}
        day, problem = day_from_form(values.get("decision_date", ""))
        if problem:
            errors["decision_date"] = problem
        body = {
            "decision_number": values.get("decision_number", ""),
            "decision_date": day,
            "signer": values.get("signer", ""),
        }
        application: AssessmentApplication = request.app.state.assessment
        done = run_form(
            application, viewer, "publish_criteria_set", body, {"set_id": set_id}, errors=errors
        )
        if not done.ok:
            return render_set(
                request, viewer, set_id, errors=done.errors, values=values, message=done.message,
                status_code=done.status,
            )  # fmt: skip
        return portal.redirect(request, f"{PREFIX}/bo-tieu-chi/{set_id}?xong=ban-hanh")

    @app.post(f"{PREFIX}/bo-tieu-chi/{{set_id}}/phien-ban-moi", include_in_schema=False)
    @threaded.page
    def new_version(request: Request, set_id: SetId) -> Response:
        viewer = threaded.require_viewer(request)
        if viewer.role not in EDITORS:
            return refuse(request, viewer, set_id)
        form = threaded.form(request, max_files=0, max_fields=20)
        values = {k: v.strip() for k, v in form.items() if isinstance(v, str)}
        application: AssessmentApplication = request.app.state.assessment
        try:
            found = application.get_criteria_set(command_ctx(viewer), set_id)
        except (DomainError, AppError):
            return render_set(request, viewer, set_id)
        body = {
            "year": values.get("year", ""),
            "block": found["block"],
            "title": values.get("title", "") or found["title"],
            "content": found["content"],
            "supersedes": str(set_id),
        }
        done = run_form(application, viewer, "draft_criteria_set", body, {})
        if not done.ok:
            return render_set(
                request, viewer, set_id, errors=done.errors, values=values, message=done.message,
                status_code=done.status,
            )  # fmt: skip
        assert done.result is not None
        return portal.redirect(request, f"{PREFIX}/bo-tieu-chi/{done.result['id']}?xong=phien-ban")
