"""Home Affairs' planning pages (seed 001, issue 9): plan a cycle, enrol units, change deadlines.

- ``GET /ke-hoach``: the form to plan a yearly cycle (year, plan reference, title, a deadline
  per step — empty keeps seed 001's calendar moved to the year), and a way to open a cycle.
- ``POST /ke-hoach``: command ``PlanCycle``; errors beside the fields, nothing stored.
- ``GET /ke-hoach/{year}``: the cycle: each step's deadline with every change and its reason;
  the form to change one (``ChangeDeadline``); the units valid in the year by group, enrolled or
  not, with enrolment of the ticked units, of a whole group, or of every valid unit.
- ``POST /ke-hoach/{year}/han``: change a deadline (reason required, dates 1900–2100).
- ``POST /ke-hoach/{year}/don-vi``: one ``EnrolUnits`` command for the chosen units (enrolling a
  unit twice changes nothing, so a repeated form is harmless).

Forms are validated by the JSON API's command models and run by the same executor.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Final

from fastapi import FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import Response

from assessment.application.registry.api import unit_kinds
from assessment.application.service import AssessmentApplication
from assessment.domain.collective.cycle import DEADLINE_STEPS, cycle_id_for
from assessment.domain.kernel.errors import DomainError
from assessment.entrypoints.web.forms import (
    Refused,
    ctx_of,
    problem_of,
    run_command,
    said,
    vn_day,
)
from shared.problems import AppError
from shared.web import threaded
from shared.web.pages import NavItem, Portal, Viewer

PLAN: Final = "/ke-hoach"
PLANNERS: Final = frozenset({"home_affairs"})
Year = Annotated[int, PathParam(ge=1990, le=2200)]
STEPS: Final = [s.value for s in DEADLINE_STEPS]
YEAR_MESSAGES: Final = {
    "int_parsing": "Hãy nhập một năm (ví dụ 2026).",
    "greater_than_equal": "Năm phải trong khoảng 2000–2100.",
    "less_than_equal": "Năm phải trong khoảng 2000–2100.",
}
"""The plan form's one number is the year."""


def deadline_field(key: str) -> str:
    """``deadlines.<step>`` of the command model is the form's ``deadline-<step>``."""
    return key.replace("deadlines.", "deadline-", 1) if key.startswith("deadlines.") else key


def problem_text(exc: Exception) -> tuple[str, int]:
    problem = problem_of(exc)
    return said(problem), problem.status


def include_planning_pages(app: FastAPI, portal: Portal) -> None:
    portal.add_nav(NavItem(PLAN, "Kế hoạch đánh giá", "Evaluation plan", PLANNERS, group="tap-the"))

    def render_plan(
        request: Request,
        viewer: Viewer,
        *,
        errors: dict[str, str] | None = None,
        values: dict[str, str] | None = None,
        message: str | None = None,
        status_code: int = 200,
    ) -> Response:
        return portal.render(
            request,
            "plan_cycle.html",
            {
                "errors": errors or {},
                "values": values or {},
                "message": message,
                "steps": STEPS,
                "can_plan": viewer.role in PLANNERS,
            },
            viewer=viewer,
            title="Lập kế hoạch đánh giá",
            status_code=status_code,
        )

    def render_cycle(
        request: Request,
        viewer: Viewer,
        year: int,
        *,
        form: str | None = None,
        errors: dict[str, str] | None = None,
        values: dict[str, str] | None = None,
        message: str | None = None,
        status_code: int = 200,
    ) -> Response:
        application: AssessmentApplication = request.app.state.assessment
        cycle_id = cycle_id_for(viewer.caller.tenant, year)
        try:
            cycle = application.get_cycle(ctx_of(viewer), cycle_id)
            units = application.enrolment_candidates(ctx_of(viewer), cycle_id)
        except (DomainError, AppError) as exc:
            text, status = problem_text(exc)
            return portal.render(
                request,
                "cycle_plan.html",
                {"problem": text, "year": year},
                viewer=viewer,
                title=f"Kỳ đánh giá {year}",
                status_code=status,
            )
        groups = [
            (kind, label, [u for u in units if u["kind"] == kind]) for kind, label in unit_kinds()
        ]
        return portal.render(
            request,
            "cycle_plan.html",
            {
                "problem": None,
                "year": year,
                "cycle": cycle,
                "groups": [g for g in groups if g[2]],
                "enrolled_count": sum(1 for u in units if u["enrolled"]),
                "steps": STEPS,
                "form": form,
                "errors": errors or {},
                "values": values or {},
                "message": message,
                "can_plan": viewer.role in PLANNERS,
                "done": request.query_params.get("xong"),
                "count": request.query_params.get("so", "0"),
            },
            viewer=viewer,
            title=f"Kỳ đánh giá {year}",
            status_code=status_code,
        )

    @app.get(PLAN, include_in_schema=False)
    @threaded.page
    def plan_page(
        request: Request, nam: Annotated[int | None, Query(ge=1990, le=2200)] = None
    ) -> Response:
        viewer = threaded.require_viewer(request)
        if nam is not None:
            return portal.redirect(request, f"{PLAN}/{nam}", 303)
        return render_plan(request, viewer)

    @app.post(PLAN, include_in_schema=False)
    @threaded.page
    def plan(request: Request) -> Response:
        viewer = threaded.require_viewer(request)
        form = threaded.form(request, max_files=0, max_fields=30)
        values = {k: v for k, v in form.items() if isinstance(v, str)}
        if viewer.role not in PLANNERS:
            return render_plan(
                request,
                viewer,
                values=values,
                status_code=403,
                message="Chỉ Sở Nội vụ được lập kế hoạch đánh giá.",
            )
        errors: dict[str, str] = {}
        deadlines = {}
        for step in STEPS:
            day = vn_day(values, f"deadline-{step}", errors)
            if day:
                deadlines[step] = day
        body: dict[str, Any] = {
            "year": values.get("year", "").strip() or None,
            "plan_reference": values.get("plan_reference", ""),
            "title": values.get("title", "").strip() or None,
            "deadlines": deadlines or None,
        }
        application: AssessmentApplication = request.app.state.assessment
        try:
            run_command(
                application, viewer, "plan_cycle", body, {}, errors, deadline_field, YEAR_MESSAGES
            )
        except Refused as refused:
            return render_plan(
                request,
                viewer,
                errors=refused.errors,
                values=values,
                message=refused.message,
                status_code=refused.status,
            )
        return portal.redirect(request, f"{PLAN}/{body['year']}?xong=plan_cycle", 303)

    @app.get(f"{PLAN}/{{year}}", include_in_schema=False)
    @threaded.page
    def cycle_page(request: Request, year: Year) -> Response:
        viewer = threaded.require_viewer(request)
        return render_cycle(request, viewer, year)

    @app.post(f"{PLAN}/{{year}}/han", include_in_schema=False)
    @threaded.page
    def change_deadline(request: Request, year: Year) -> Response:
        viewer = threaded.require_viewer(request)
        form = threaded.form(request, max_files=0, max_fields=10)
        values = {k: v for k, v in form.items() if isinstance(v, str)}
        errors: dict[str, str] = {}
        body = {
            "step": values.get("step") or None,
            "deadline": vn_day(values, "deadline", errors),
            "reason": values.get("reason", ""),
        }
        application: AssessmentApplication = request.app.state.assessment
        cycle_id = cycle_id_for(viewer.caller.tenant, year)
        try:
            run_command(
                application, viewer, "change_deadline", body, {"cycle_id": cycle_id}, errors
            )
        except Refused as refused:
            return render_cycle(
                request,
                viewer,
                year,
                form="han",
                values=values,
                errors=refused.errors,
                message=refused.message,
                status_code=refused.status,
            )
        return portal.redirect(request, f"{PLAN}/{year}?xong=change_deadline", 303)

    @app.post(f"{PLAN}/{{year}}/don-vi", include_in_schema=False)
    @threaded.page
    def enrol(request: Request, year: Year) -> Response:
        viewer = threaded.require_viewer(request)
        form = threaded.form(request, max_files=0, max_fields=2100)
        application: AssessmentApplication = request.app.state.assessment
        cycle_id = cycle_id_for(viewer.caller.tenant, year)
        group = str(form.get("nhom") or "")
        chosen: list[str] = [str(v) for v in form.getlist("unit_id")]
        if group:  # a whole group, or every valid unit ("tat-ca")
            try:
                units = application.enrolment_candidates(ctx_of(viewer), cycle_id)
            except (DomainError, AppError) as exc:
                text, status = problem_text(exc)
                return render_cycle(request, viewer, year, message=text, status_code=status)
            chosen = [
                u["id"]
                for u in units
                if not u["enrolled"] and (group == "tat-ca" or u["kind"] == group)
            ]
        if not chosen:
            errors = {"unit_id": "Hãy chọn ít nhất một đơn vị chưa có trong kỳ đánh giá."}
            return render_cycle(
                request, viewer, year, form="don-vi", errors=errors, status_code=422
            )
        try:
            answer = run_command(
                application, viewer, "enrol_units", {"unit_ids": chosen}, {"cycle_id": cycle_id}
            )
        except Refused as refused:
            errors = {"unit_id": "Danh sách đơn vị không hợp lệ."} if refused.errors else {}
            return render_cycle(
                request,
                viewer,
                year,
                form="don-vi",
                errors=errors,
                message=refused.message,
                status_code=refused.status,
            )
        count = len(answer.get("enrolled") or [])
        return portal.redirect(request, f"{PLAN}/{year}?xong=enrol_units&so={count}", 303)


def latest_year(request: Request, viewer: Viewer) -> int:
    """The latest cycle's year (from the board when this app has it), else this year."""
    db = getattr(request.app.state, "reporting_db", None)
    if db is not None:
        with db.transaction() as tx:
            row = tx.fetchone(
                "SELECT max(year) FROM rm_cycle WHERE tenant = %s", (viewer.caller.tenant,)
            )
        if row is not None and row[0]:
            return int(row[0])
    return date.today().year
