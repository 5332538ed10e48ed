"""The inspection context's pages (seed 003): the inspections of a year, the decision form,
the inspection file with its forms (plan, conflicts of interest, notice, visit, minutes,
findings, conclusions, report), a unit's register and figures, and the sampling record.

- ``GET /kiem-tra?nam=``: the inspections decided in a year (``list_inspections``).
- ``GET|POST /kiem-tra/moi``: the decision (number, date, signer, legal basis), the team and its
  head, the mode; validated by ``DecideInspection`` and run by the same executor.
- ``GET /kiem-tra/{id}``: the file; ``POST /kiem-tra/{id}/{command}`` runs one of its forms.
- register and figures: :mod:`.register`; sampling and its public verification: :mod:`.sampling`.

Every form carries the CSRF token; a refused one comes back with Vietnamese messages beside its
fields and stores nothing.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any, Final
from uuid import UUID

from fastapi import FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import Response

from assessment.application.registry.api import unit_id as unit_id_for
from assessment.application.service import AssessmentApplication
from assessment.domain.inspection.inspection import inspection_id_for
from assessment.domain.kernel.errors import DomainError
from assessment.entrypoints.web.forms import (
    Refused,
    ctx_of,
    lines,
    may,
    problem_of,
    run_command,
    text,
    vn_day,
)
from assessment.entrypoints.web.inspection.register import include_register_pages
from assessment.entrypoints.web.inspection.sampling import include_sampling_pages
from shared.problems import AppError
from shared.web import threaded
from shared.web.pages import NavItem, Portal, Viewer

TEMPLATES: Final = Path(__file__).resolve().parent / "templates"
PREFIX: Final = "/kiem-tra"
READERS: Final = frozenset({"inspector", "home_affairs", "chairman", "auditor"})
FILE_COMMANDS: Final = (
    "plan_inspection",
    "declare_conflict",
    "send_notice",
    "start_visit",
    "record_minutes",
    "record_finding",
    "conclude",
    "report_to_chairman",
)
InspectionId = Annotated[UUID, PathParam()]


def unit_names(app: AssessmentApplication, viewer: Viewer, ids: list[str]) -> dict[str, Any]:
    """Unit id → {code, name} for display (an unknown id shows as itself)."""
    out: dict[str, Any] = {}
    for ident in ids:
        try:
            u = app.get_unit(ctx_of(viewer), UUID(ident))
            out[ident] = {"code": u["code"], "name": u["name"]}
        except (DomainError, AppError, ValueError):
            out[ident] = {"code": ident, "name": ident}
    return out


def _unit(viewer: Viewer, code: str | None, errors: dict[str, str], name: str) -> str | None:
    if not code:
        return None
    if not all(c.isalnum() or c in "-_" for c in code) or len(code) > 64:
        errors[name] = f"Mã đơn vị không hợp lệ: {code}"
        return None
    return str(unit_id_for(viewer.caller.tenant, code))


def decision_body(form: Any) -> tuple[dict[str, Any], dict[str, str]]:
    errors: dict[str, str] = {}
    members = []
    for i, parts in enumerate(lines(form, "members"), start=1):
        if len(parts) < 2:
            errors["members"] = f"Dòng {i}: cần 'tài khoản | họ tên | chức vụ'."
            continue
        title = parts[2] if len(parts) > 2 and parts[2] else None
        members.append({"subject": parts[0], "name": parts[1], "title": title})
    body = {
        "decision": {
            "number": text(form, "decision.number"),
            "date": vn_day(form, "decision.date", errors),
            "signer": text(form, "decision.signer"),
            "legal_basis": text(form, "decision.legal_basis"),
        },
        "title": text(form, "title"),
        "mode": text(form, "mode"),
        "complaint_reference": text(form, "complaint_reference"),
        "head": {
            "subject": text(form, "head.subject"),
            "name": text(form, "head.name"),
            "title": text(form, "head.title"),
        },
        "members": members,
    }
    return body, errors


def file_body(viewer: Viewer, command: str, form: Any) -> tuple[dict[str, Any], dict[str, str]]:
    """The form of ``command`` on the inspection file as its command's body (units by code)."""
    errors: dict[str, str] = {}
    unit = _unit(viewer, text(form, "unit_id"), errors, "unit_id")
    if command == "plan_inspection":
        units = [_unit(viewer, p[0], errors, "units") for p in lines(form, "units")]
        persons = []
        for i, p in enumerate(lines(form, "persons"), start=1):
            if len(p) != 4:
                errors["persons"] = f"Dòng {i}: cần 'tài khoản | họ tên | head/deputy | mã đơn vị'."
                continue
            persons.append(
                {
                    "subject": p[0],
                    "name": p[1],
                    "position": p[2],
                    "unit_id": _unit(viewer, p[3], errors, "persons"),
                }
            )
        sizes: dict[str, dict[str, int]] = {}
        for i, p in enumerate(lines(form, "sample_sizes"), start=1):
            uid = _unit(viewer, p[0], errors, "sample_sizes")
            if len(p) != 3 or not p[2].isdigit() or uid is None:
                errors["sample_sizes"] = f"Dòng {i}: cần 'mã đơn vị | lĩnh vực | số hồ sơ'."
                continue
            sizes.setdefault(uid, {})[p[1]] = int(p[2])
        return {
            "scope": text(form, "scope"),
            "period_from": vn_day(form, "period_from", errors),
            "period_to": vn_day(form, "period_to", errors),
            "units": [u for u in units if u],
            "persons": persons,
            "sample_sizes": sizes,
        }, errors
    if command == "declare_conflict":
        return {
            "member": text(form, "member"),
            "unit_id": unit,
            "description": text(form, "description"),
            "stands_aside": form.get("stands_aside") == "on",
        }, errors
    if command == "send_notice":
        return {
            "unit_id": unit,
            "reference": text(form, "reference"),
            "visit_on": vn_day(form, "visit_on", errors),
        }, errors
    if command == "start_visit":
        return {"unit_id": unit, "place": text(form, "place")}, errors
    if command == "record_minutes":
        return {
            "unit_id": unit,
            "held_on": vn_day(form, "held_on", errors),
            "place": text(form, "place"),
            "participants": [p[0] for p in lines(form, "participants")],
            "content": text(form, "content"),
            "signed_by": [p[0] for p in lines(form, "signed_by")],
        }, errors
    if command == "record_finding":
        split = [s for s in (text(form, "item_ids") or "").replace(",", "\n").split() if s]
        files = [s for s in (text(form, "file_ids") or "").replace(",", "\n").split() if s]
        return {
            "unit_id": unit,
            "person": text(form, "person"),
            "kind": text(form, "kind"),
            "severity": text(form, "severity"),
            "description": text(form, "description"),
            "item_ids": split,
            "file_ids": files,
        }, errors
    if command == "conclude":
        return {"conclusions": text(form, "conclusions")}, errors
    return {
        "report_number": text(form, "report_number"),
        "reported_on": vn_day(form, "reported_on", errors),
        "summary": text(form, "summary"),
    }, errors


def include_inspection_pages(app: FastAPI, portal: Portal) -> None:
    portal.add_templates(TEMPLATES)
    portal.add_nav(NavItem(PREFIX, "Kiểm tra công vụ", "Inspections", READERS, group="kiem-tra"))

    @app.get(PREFIX, include_in_schema=False)
    @threaded.page
    def inspections(
        request: Request, nam: Annotated[int | None, Query(ge=1990, le=2200)] = None
    ) -> Response:
        viewer = threaded.require_viewer(request)
        year = nam or date.today().year
        application: AssessmentApplication = request.app.state.assessment
        try:
            listing = application.list_inspections(ctx_of(viewer), year)
        except (DomainError, AppError) as exc:
            problem = problem_of(exc)
            return portal.render(
                request,
                "inspection_list.html",
                {"problem": problem, "year": year, "items": [], "can_decide": False},
                viewer=viewer,
                title="Kiểm tra công vụ",
                status_code=problem.status,
            )
        return portal.render(
            request,
            "inspection_list.html",
            {
                "problem": None,
                "year": year,
                "items": listing["items"],
                "can_decide": may(viewer, "decide_inspection"),
            },
            viewer=viewer,
            title="Kiểm tra công vụ",
        )

    def render_new(
        request: Request,
        viewer: Viewer,
        errors: dict[str, str] | None = None,
        values: dict[str, str] | None = None,
        message: str | None = None,
        status_code: int = 200,
    ) -> Response:
        return portal.render(
            request,
            "inspection_new.html",
            {
                "errors": errors or {},
                "values": values or {},
                "failed": "decide",
                "message": message,
                "can_decide": may(viewer, "decide_inspection"),
            },
            viewer=viewer,
            title="Quyết định kiểm tra công vụ",
            status_code=status_code,
        )

    @app.get(f"{PREFIX}/moi", include_in_schema=False)
    @threaded.page
    def new(request: Request) -> Response:
        viewer = threaded.require_viewer(request)
        return render_new(
            request, viewer, status_code=200 if may(viewer, "decide_inspection") else 403
        )

    @app.post(f"{PREFIX}/moi", include_in_schema=False)
    @threaded.page
    def decide(request: Request) -> Response:
        viewer = threaded.require_viewer(request)
        if not may(viewer, "decide_inspection"):
            return render_new(request, viewer, status_code=403)
        form = threaded.form(request, max_files=0, max_fields=50)
        values = {k: v for k, v in form.items() if isinstance(v, str)}
        body, errors = decision_body(form)
        try:
            run_command(
                request.app.state.assessment,
                viewer,
                "decide_inspection",
                body,
                {},
                errors,
                rename=lambda k: k if k.startswith(("decision.", "head.")) else k.split(".")[0],
            )
        except Refused as r:
            return render_new(request, viewer, r.errors, values, r.message, r.status)
        number = str(body["decision"]["number"])
        return portal.redirect(
            request, f"{PREFIX}/{inspection_id_for(viewer.caller.tenant, number)}?xong=1", 303
        )

    def render_file(
        request: Request,
        viewer: Viewer,
        inspection_id: UUID,
        *,
        failed: str | None = None,
        errors: dict[str, str] | None = None,
        values: dict[str, str] | None = None,
        message: str | None = None,
        status_code: int = 200,
    ) -> Response:
        application: AssessmentApplication = request.app.state.assessment
        try:
            insp = application.get_inspection(ctx_of(viewer), inspection_id)
        except (DomainError, AppError) as exc:
            problem = problem_of(exc)
            return portal.render(
                request,
                "inspection_file.html",
                {"problem": problem, "insp": None},
                viewer=viewer,
                title="Cuộc kiểm tra",
                status_code=problem.status,
            )
        plan = insp["plan"] or {}
        unit_ids = list(plan.get("units", []))
        return portal.render(
            request,
            "inspection_file.html",
            {
                "problem": None,
                "insp": insp,
                "units": unit_names(application, viewer, unit_ids),
                "persons": plan.get("persons", []),
                "forms": [c for c in FILE_COMMANDS if may(viewer, c)],
                "can_open_plan": may(viewer, "open_remediation_plan"),
                "failed": failed,
                "errors": errors or {},
                "values": values or {},
                "message": message,
                "done": request.query_params.get("xong"),
            },
            viewer=viewer,
            title=insp["title"],
            status_code=status_code,
        )

    @app.get(f"{PREFIX}/{{inspection_id}}", include_in_schema=False)
    @threaded.page
    def inspection_file(request: Request, inspection_id: InspectionId) -> Response:
        viewer = threaded.require_viewer(request)
        return render_file(request, viewer, inspection_id)

    @app.post(f"{PREFIX}/{{inspection_id}}/{{command}}", include_in_schema=False)
    @threaded.page
    def run_file_command(
        request: Request,
        inspection_id: InspectionId,
        command: Annotated[str, PathParam(max_length=40)],
    ) -> Response:
        viewer = threaded.require_viewer(request)
        if command not in FILE_COMMANDS or not may(viewer, command):
            return render_file(
                request,
                viewer,
                inspection_id,
                status_code=403,
                message="Vai trò của bạn không được thực hiện thao tác này.",
            )
        form = threaded.form(request, max_files=0, max_fields=50)
        values = {k: v for k, v in form.items() if isinstance(v, str)}
        body, errors = file_body(viewer, command, form)
        try:
            run_command(
                request.app.state.assessment,
                viewer,
                command,
                body,
                {"inspection_id": inspection_id},
                errors,
                rename=lambda k: k.split(".")[0],
            )
        except Refused as r:
            return render_file(
                request,
                viewer,
                inspection_id,
                failed=command,
                errors=r.errors,
                values=values,
                message=r.message,
                status_code=r.status,
            )
        return portal.redirect(request, f"{PREFIX}/{inspection_id}?xong={command}", 303)

    include_register_pages(app, portal, PREFIX)
    include_sampling_pages(app, portal, PREFIX)
