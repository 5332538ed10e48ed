"""The remediation context's pages (seed 002): the board of a year and a plan's page.

- ``GET /khac-phuc?nam=``: every plan for a shortcoming found that year — open, overdue (its
  late milestones highlighted), awaiting verification, closed — by unit and owner
  (``list_remediation_plans``; a unit's officials see their own unit's).
- ``POST /khac-phuc/moi``: open a plan from an inspection finding (the form on the inspection
  file): title, owner, follow-up officer.
- ``GET /khac-phuc/{plan_id}``: the plan — source, solutions, roadmap with owners and dates,
  progress reports, verification — and the forms of the viewer's role: add a solution,
  schedule a milestone, report progress (and mark a milestone done), extend with a reason,
  escalate, verify completion (closes the plan). ``POST /khac-phuc/{plan_id}/{command}``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any, Final
from uuid import UUID

from fastapi import FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from assessment.adapters.evidence_store import (
    EvidenceStore,
    StoredEvidence,
    build_evidence_store,
    check_evidence,
)
from assessment.application.service import AssessmentApplication
from assessment.domain.kernel.errors import DomainError
from assessment.entrypoints.web.forms import (
    Refused,
    ctx_of,
    may,
    problem_of,
    run_command,
    text,
    vn_day,
)
from shared.problems import AppError
from shared.web import threaded
from shared.web.pages import NavItem, Portal, Viewer

TEMPLATES: Final = Path(__file__).resolve().parent / "templates"
PREFIX: Final = "/khac-phuc"
ROLES: Final = frozenset(
    {
        "home_affairs",
        "inspector",
        "party_caucus",
        "chairman",
        "unit_head",
        "unit_officer",
        "auditor",
    }
)
PLAN_COMMANDS: Final = (
    "add_solution",
    "schedule_milestone",
    "report_progress",
    "extend_milestone",
    "escalate_plan",
    "verify_remediation",
)
ON_MILESTONE: Final = frozenset({"report_progress", "extend_milestone"})


def plan_body(command: str, form: Any) -> tuple[dict[str, Any], dict[str, str]]:
    errors: dict[str, str] = {}
    if command == "add_solution":
        return {"solution": text(form, "solution")}, errors
    if command == "schedule_milestone":
        return {
            "title": text(form, "title"),
            "due_on": vn_day(form, "due_on", errors),
            "solution_id": text(form, "solution_id"),
        }, errors
    if command == "report_progress":
        return {"report": text(form, "report"), "done": form.get("done") == "on"}, errors
    if command == "extend_milestone":
        return {"due_on": vn_day(form, "due_on", errors), "reason": text(form, "reason")}, errors
    if command == "escalate_plan":
        return {"escalated_to": text(form, "escalated_to"), "reason": text(form, "reason")}, errors
    return {"accepted": form.get("accepted") == "yes", "remark": text(form, "remark") or ""}, errors


MAX_FILES: Final = 10


async def evidence_of(
    form: Any, limit: int, errors: dict[str, str]
) -> list[tuple[StoredEvidence, bytes]]:
    """The progress report's evidence files, checked by content and name (not yet stored)."""
    out = []
    for upload in form.getlist("evidence"):
        if not isinstance(upload, UploadFile) or not upload.filename:
            continue
        data = await upload.read()
        try:
            out.append((check_evidence(upload.filename, data, limit), data))
        except AppError as exc:
            errors["evidence"] = exc.detail or exc.title
    return out


def include_remediation_pages(app: FastAPI, portal: Portal) -> None:
    portal.add_templates(TEMPLATES)
    portal.body_limits[PREFIX] = portal.settings.upload_max_bytes

    def store(request: Request) -> EvidenceStore:
        found: EvidenceStore | None = getattr(request.app.state, "evidence", None)
        if found is None:  # production: the assessment database, built on first use
            found = request.app.state.evidence = build_evidence_store()
        return found

    portal.add_nav(NavItem(PREFIX, "Khắc phục hạn chế", "Remediation", ROLES, group="kiem-tra"))

    @app.get(PREFIX, include_in_schema=False)
    @threaded.page
    def board(
        request: Request, nam: Annotated[int | None, Query(ge=1990, le=2200)] = None
    ) -> Response:
        viewer = threaded.require_viewer(request)
        year = nam or date.today().year
        application: AssessmentApplication = request.app.state.assessment
        try:
            found = application.list_remediation_plans(ctx_of(viewer), year)
        except (DomainError, AppError) as exc:
            problem = problem_of(exc)
            return portal.render(
                request,
                "remediation_board.html",
                {"problem": problem, "year": year, "items": [], "as_of": None},
                viewer=viewer,
                title="Khắc phục hạn chế",
                status_code=problem.status,
            )
        items = found["items"]
        counts = {
            "open": sum(1 for i in items if i["status"] != "closed"),
            "overdue": sum(1 for i in items if i["overdue"]),
            "closed": sum(1 for i in items if i["status"] == "closed"),
        }
        return portal.render(
            request,
            "remediation_board.html",
            {
                "problem": None,
                "year": year,
                "items": items,
                "as_of": found["as_of"],
                "counts": counts,
            },
            viewer=viewer,
            title="Khắc phục hạn chế",
        )

    @app.post(f"{PREFIX}/moi", include_in_schema=False)
    @threaded.page
    def open_plan(request: Request) -> Response:
        viewer = threaded.require_viewer(request)
        form = threaded.form(request, max_files=0, max_fields=20)
        inspection_id = text(form, "inspection_id") or ""
        back = f"/kiem-tra/{inspection_id}" if len(inspection_id) == 36 else PREFIX
        body = {
            "source_kind": "inspection_finding",
            "inspection_id": inspection_id,
            "finding_id": text(form, "finding_id"),
            "subject_kind": text(form, "subject_kind"),
            "subject_id": text(form, "subject_id"),
            "subject_unit_id": text(form, "subject_unit_id"),
            "title": text(form, "title"),
            "owner": text(form, "owner"),
            "follow_up_officer": text(form, "follow_up_officer"),
        }
        try:
            if not may(viewer, "open_remediation_plan"):
                raise Refused(403, {}, "Vai trò của bạn không được lập kế hoạch khắc phục.")
            answer = run_command(
                request.app.state.assessment, viewer, "open_remediation_plan", body, {}
            )
        except Refused as r:
            message = r.message or "; ".join(f"{k}: {v}" for k, v in r.errors.items())
            return portal.render(
                request,
                "remediation_refused.html",
                {"message": message, "back": back},
                viewer=viewer,
                title="Khắc phục hạn chế",
                status_code=r.status,
            )
        return portal.redirect(request, f"{PREFIX}/{answer['id']}?xong=open", 303)

    def render_plan(
        request: Request,
        viewer: Viewer,
        plan_id: UUID,
        *,
        failed: str | None = None,
        errors: dict[str, str] | None = None,
        values: dict[str, str] | None = None,
        message: str | None = None,
        status_code: int = 200,
    ) -> Response:
        application: AssessmentApplication = request.app.state.assessment
        try:
            plan = application.get_remediation_plan(ctx_of(viewer), plan_id)
        except (DomainError, AppError) as exc:
            problem = problem_of(exc)
            return portal.render(
                request,
                "remediation_plan.html",
                {"problem": problem, "plan": None},
                viewer=viewer,
                title="Kế hoạch khắc phục",
                status_code=problem.status,
            )
        overdue = {m["milestone_id"]: m["days_overdue"] for m in plan["overdue"]}
        return portal.render(
            request,
            "remediation_plan.html",
            {
                "problem": None,
                "plan": plan,
                "overdue": overdue,
                "forms": [c for c in PLAN_COMMANDS if may(viewer, c)],
                "failed": failed,
                "errors": errors or {},
                "values": values or {},
                "message": message,
                "done": request.query_params.get("xong"),
            },
            viewer=viewer,
            title=plan["title"],
            status_code=status_code,
        )

    @app.get(f"{PREFIX}/{{plan_id}}", include_in_schema=False)
    @threaded.page
    def plan_page(request: Request, plan_id: UUID) -> Response:
        viewer = threaded.require_viewer(request)
        return render_plan(request, viewer, plan_id)

    @app.post(f"{PREFIX}/{{plan_id}}/{{command}}", include_in_schema=False)
    @threaded.page
    def run_plan_command(
        request: Request, plan_id: UUID, command: Annotated[str, PathParam(max_length=40)]
    ) -> Response:
        viewer = threaded.require_viewer(request)
        if command not in PLAN_COMMANDS or not may(viewer, command):
            return render_plan(
                request,
                viewer,
                plan_id,
                status_code=403,
                message="Vai trò của bạn không được thực hiện thao tác này.",
            )
        form = threaded.form(request, max_files=MAX_FILES, max_fields=20)
        values = {k: v for k, v in form.items() if isinstance(v, str)}
        body, errors = plan_body(command, form)
        files: list[tuple[StoredEvidence, bytes]] = []
        if command == "report_progress":
            files = threaded.wait(evidence_of, form, portal.settings.upload_max_bytes, errors)
            if body["done"] and not files:
                errors.setdefault("evidence", "Báo cáo hoàn thành một mốc cần tài liệu minh chứng.")
            body["evidence"] = [
                {"name": f.name, "sha256": f.sha256, "size": f.size} for f, _ in files
            ]
        ids: dict[str, UUID] = {"plan_id": plan_id}
        if command in ON_MILESTONE:
            try:
                ids["milestone_id"] = UUID(text(form, "milestone_id") or "")
            except ValueError:
                errors["milestone_id"] = "Hãy chọn một mốc của lộ trình."
        try:
            if "milestone_id" in errors:
                raise Refused(422, errors)
            run_command(request.app.state.assessment, viewer, command, body, ids, errors)
        except Refused as r:
            return render_plan(
                request,
                viewer,
                plan_id,
                failed=command,
                errors=r.errors,
                values=values,
                message=r.message,
                status_code=r.status,
            )
        for checked, data in files:  # the command succeeded: now keep the bytes by their hash
            store(request).put(viewer.caller.tenant, checked.name, data)
        return portal.redirect(request, f"{PREFIX}/{plan_id}?xong={command}", 303)
