"""The appraiser's sheet, the council's confirmation and the ranking decision.

- ``GET /ho-so/cchc/{year}/{unit_code}/tham-dinh``: per component criterion the self-score with
  its evidence and explanation beside the appraised score, the difference and its reason (the
  reconciliation view); forms for Home Affairs and the sector agencies: appraise a criterion
  (``appraise_criterion``; a score differing from the self-score needs its reason), request a
  supplement or an explanation with a deadline (``request_supplement``), close the
  reconciliation (``close_reconciliation``).
- ``GET|POST /ho-so/cchc/{year}/{unit_code}/hoi-dong``: the council confirms
  (``confirm_by_council``: minutes and meeting date).
- ``GET|POST /ho-so/cchc/{year}/xep-hang/{set_id}``: the ranking decision of a block
  (``decide_ranking``) and its publication (``publish_ranking``).
The queue of units to appraise is a read of the reporting service (``/cchc/tham-dinh``).
"""

from __future__ import annotations

from typing import Annotated, Any, Final
from uuid import UUID

from fastapi import FastAPI, Request
from fastapi import Path as PathParam
from fastapi.responses import Response

from assessment.application.registry.api import unit_id as unit_id_for
from assessment.application.service import AssessmentApplication
from assessment.domain.cchc.ranking_decision import ranking_id_for
from assessment.domain.kernel.errors import DomainError
from assessment.entrypoints.web.cchc.common import (
    APPRAISER_ROLES,
    COUNCIL_ROLES,
    PREFIX,
    answer_from_form,
    command_ctx,
    day_from_form,
    deadline_from_form,
    problem_of,
    run_form,
)
from assessment.entrypoints.web.cchc.view import load_view
from shared.problems import AppError
from shared.web import threaded
from shared.web.pages import Portal, Viewer

Year = Annotated[int, PathParam(ge=2000, le=2100)]
UnitCode = Annotated[str, PathParam(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
Code = Annotated[str, PathParam(pattern=r"^[0-9A-Za-z.]{1,20}$")]
RANKERS: Final = frozenset({"home_affairs", "chairman"})


def unit_codes(text: str) -> list[str]:
    """``SNV, SYT;STC`` → ``["SNV", "SYT", "STC"]`` (order kept, repeats dropped)."""
    parts = [p.strip() for p in text.replace(";", ",").replace("\n", ",").split(",")]
    return list(dict.fromkeys(p for p in parts if p))


def include_appraisal_pages(app: FastAPI, portal: Portal) -> None:
    def render(
        request: Request,
        viewer: Viewer,
        year: int,
        unit_code: str,
        template: str = "cchc_appraisal.html",
        *,
        errors: dict[str, str] | None = None,
        values: dict[str, str] | None = None,
        message: str | None = None,
        status_code: int = 200,
    ) -> Response:
        view, problem = load_view(request.app.state.assessment, viewer, year, unit_code)
        return portal.render(
            request,
            template,
            {
                "problem": problem,
                "v": view,
                "year": year,
                "unit_code": unit_code,
                "errors": errors or {},
                "values": values or {},
                "message": message,
                "can_appraise": viewer.role in APPRAISER_ROLES,
                "can_reconcile": viewer.role == "home_affairs",
                "can_confirm": viewer.role in COUNCIL_ROLES,
                "done": request.query_params.get("xong"),
            },
            viewer=viewer,
            title=f"Thẩm định CCHC {unit_code} {year}",
            status_code=problem.status if problem and status_code == 200 else status_code,
        )

    base = f"{PREFIX}/{{year}}/{{unit_code}}"

    @app.get(f"{base}/tham-dinh", include_in_schema=False)
    @threaded.page
    def sheet(request: Request, year: Year, unit_code: UnitCode) -> Response:
        viewer = threaded.require_viewer(request)
        return render(request, viewer, year, unit_code)

    @app.get(f"{base}/hoi-dong", include_in_schema=False)
    @threaded.page
    def council(request: Request, year: Year, unit_code: UnitCode) -> Response:
        viewer = threaded.require_viewer(request)
        return render(request, viewer, year, unit_code, "cchc_council.html")

    def run(
        request: Request,
        year: int,
        unit_code: str,
        command: str,
        allowed: frozenset[str],
        build: Any,
        *,
        template: str = "cchc_appraisal.html",
        back: str = "tham-dinh",
    ) -> Response:
        viewer = threaded.require_viewer(request)
        if viewer.role not in allowed:
            return render(
                request, viewer, year, unit_code, template, status_code=403,
                message="Vai trò của bạn không được thực hiện thao tác này.",
            )  # fmt: skip
        application: AssessmentApplication = request.app.state.assessment
        view, _ = load_view(application, viewer, year, unit_code)
        if view is None:
            return render(request, viewer, year, unit_code, template)
        form = threaded.form(request, max_files=0, max_fields=500)
        body, errors, prefix = build(view, form)
        values = {
            f"{prefix}{k}": v for k, v in form.items() if isinstance(v, str) and k != "csrftoken"
        }
        done = run_form(
            application, viewer, command, body, {"scoring_id": view.scoring_id},
            errors=errors, prefix=prefix,
        )  # fmt: skip
        if not done.ok:
            if done.message:
                done.errors.setdefault(f"{prefix}form", done.message)
            return render(
                request, viewer, year, unit_code, template, errors=done.errors, values=values,
                status_code=done.status,
            )  # fmt: skip
        return portal.redirect(request, f"{PREFIX}/{year}/{unit_code}/{back}?xong={command}")

    @app.post(f"{base}/tham-dinh/cham/{{code}}", include_in_schema=False)
    @threaded.page
    def appraise(request: Request, year: Year, unit_code: UnitCode, code: Code) -> Response:
        def build(view: Any, form: Any) -> tuple[dict[str, Any], dict[str, str], str]:
            line = next((x for x in view.lines if x.node["code"] == code and x.scored), None)
            if line is None:
                return {}, {f"{code}.form": "Không có tiêu chí này."}, f"{code}."
            body = {
                "code": code,
                "answer": answer_from_form(line.node["rule"], form),
                "reason": str(form.get("reason") or "").strip(),
            }
            return body, {}, f"{code}."

        return run(request, year, unit_code, "appraise_criterion", APPRAISER_ROLES, build)

    @app.post(f"{base}/tham-dinh/yeu-cau", include_in_schema=False)
    @threaded.page
    def ask(request: Request, year: Year, unit_code: UnitCode) -> Response:
        def build(view: Any, form: Any) -> tuple[dict[str, Any], dict[str, str], str]:
            errors: dict[str, str] = {}
            due, bad = deadline_from_form(str(form.get("deadline") or ""))
            if bad:
                errors["yc.deadline"] = bad
            body = {
                "codes": [str(c) for c in form.getlist("codes")],
                "kind": str(form.get("kind") or ""),
                "message": str(form.get("message") or "").strip(),
                "deadline": due,
            }
            return body, errors, "yc."

        return run(request, year, unit_code, "request_supplement", APPRAISER_ROLES, build)

    @app.post(f"{base}/tham-dinh/doi-chieu", include_in_schema=False)
    @threaded.page
    def reconcile(request: Request, year: Year, unit_code: UnitCode) -> Response:
        def build(view: Any, form: Any) -> tuple[dict[str, Any], dict[str, str], str]:
            return {"note": str(form.get("note") or "").strip()}, {}, "dc."

        allowed = frozenset({"home_affairs"})
        return run(request, year, unit_code, "close_reconciliation", allowed, build)

    @app.post(f"{base}/hoi-dong", include_in_schema=False)
    @threaded.page
    def confirm(request: Request, year: Year, unit_code: UnitCode) -> Response:
        def build(view: Any, form: Any) -> tuple[dict[str, Any], dict[str, str], str]:
            day, bad = day_from_form(str(form.get("meeting_date") or ""))
            body = {
                "minutes_reference": str(form.get("minutes_reference") or "").strip(),
                "meeting_date": day,
            }
            return body, ({"hd.meeting_date": bad} if bad else {}), "hd."

        return run(
            request, year, unit_code, "confirm_by_council", COUNCIL_ROLES, build,
            template="cchc_council.html", back="hoi-dong",
        )  # fmt: skip

    # ------------------------------------------------------------ the ranking decision
    def render_ranking(
        request: Request,
        viewer: Viewer,
        year: int,
        set_id: UUID,
        *,
        errors: dict[str, str] | None = None,
        values: dict[str, str] | None = None,
        message: str | None = None,
        status_code: int = 200,
    ) -> Response:
        application: AssessmentApplication = request.app.state.assessment
        ctx = command_ctx(viewer)
        ranking = None
        try:
            criteria = application.get_criteria_set(ctx, set_id)
        except (DomainError, AppError) as exc:
            p = problem_of(exc)
            return portal.render(
                request, "cchc_decision.html", {"problem": p, "year": year}, viewer=viewer,
                title="Quyết định xếp hạng", status_code=p.status,
            )  # fmt: skip
        try:
            ranking = application.get_cchc_ranking(
                ctx, ranking_id_for(viewer.caller.tenant, year, criteria["block"])
            )
        except (DomainError, AppError):
            ranking = None
        return portal.render(
            request,
            "cchc_decision.html",
            {
                "problem": None,
                "year": year,
                "s": criteria,
                "ranking": ranking,
                "errors": errors or {},
                "values": values or {"units": request.query_params.get("don-vi", "")},
                "message": message,
                "can_decide": viewer.role in RANKERS,
                "can_publish": viewer.role == "home_affairs",
                "done": request.query_params.get("xong"),
            },
            viewer=viewer,
            title=f"Quyết định xếp hạng CCHC {year}",
            status_code=status_code,
        )

    @app.get(f"{PREFIX}/{{year}}/xep-hang/{{set_id}}", include_in_schema=False)
    @threaded.page
    def decision(request: Request, year: Year, set_id: UUID) -> Response:
        viewer = threaded.require_viewer(request)
        return render_ranking(request, viewer, year, set_id)

    @app.post(f"{PREFIX}/{{year}}/xep-hang/{{set_id}}", include_in_schema=False)
    @threaded.page
    def decide(request: Request, year: Year, set_id: UUID) -> Response:
        viewer = threaded.require_viewer(request)
        if viewer.role not in RANKERS:
            return render_ranking(
                request, viewer, year, set_id, status_code=403,
                message="Chỉ Sở Nội vụ, Chủ tịch UBND được quyết định xếp hạng.",
            )  # fmt: skip
        form = threaded.form(request, max_files=0, max_fields=20)
        values = {k: v.strip() for k, v in form.items() if isinstance(v, str)}
        errors: dict[str, str] = {}
        day, bad = day_from_form(values.get("decision_date", ""))
        if bad:
            errors["decision_date"] = bad
        codes = unit_codes(values.get("units", ""))
        if not codes:
            errors["units"] = "Hãy nêu mã các đơn vị của khối."
        tenant = viewer.caller.tenant
        body = {
            "year": year,
            "unit_ids": [str(unit_id_for(tenant, c)) for c in codes],
            "survey_held": values.get("survey_held") == "on",
            "decision_number": values.get("decision_number", ""),
            "decision_date": day,
            "signer": values.get("signer", ""),
        }
        application: AssessmentApplication = request.app.state.assessment
        done = run_form(
            application, viewer, "decide_ranking", body, {"set_id": set_id}, errors=errors
        )
        if not done.ok:
            return render_ranking(
                request, viewer, year, set_id, errors=done.errors, values=values,
                message=done.message, status_code=done.status,
            )  # fmt: skip
        return portal.redirect(request, f"{PREFIX}/{year}/xep-hang/{set_id}?xong=quyet-dinh")

    @app.post(f"{PREFIX}/{{year}}/xep-hang/{{set_id}}/cong-bo", include_in_schema=False)
    @threaded.page
    def publish(request: Request, year: Year, set_id: UUID) -> Response:
        viewer = threaded.require_viewer(request)
        if viewer.role != "home_affairs":
            return render_ranking(request, viewer, year, set_id, status_code=403,
                                  message="Chỉ Sở Nội vụ được công bố xếp hạng.")  # fmt: skip
        application: AssessmentApplication = request.app.state.assessment
        try:
            criteria = application.get_criteria_set(command_ctx(viewer), set_id)
        except (DomainError, AppError):
            return render_ranking(request, viewer, year, set_id)
        ranking = ranking_id_for(viewer.caller.tenant, year, criteria["block"])
        done = run_form(application, viewer, "publish_ranking", {}, {"ranking_id": ranking})
        if not done.ok:
            return render_ranking(request, viewer, year, set_id, message=done.message,
                                  status_code=done.status)  # fmt: skip
        return portal.redirect(request, f"{PREFIX}/{year}/xep-hang/{set_id}?xong=cong-bo")
