"""A person's rating for a year (``GET /ho-so/ca-nhan/xep-loai/{rating_id}``) and their file
(``GET /ho-so/ca-nhan/nguoi/{person_id}``).

The rating page shows the rule set in force for the year and the person's category (Decree
90/48 levels, or Decree 335's monthly or quarterly 100-point sheets, month by month), the
self-assessment, the agency's steps, the decision and its notice. The forms follow the viewer's
row in the permission matrix: the person sends their self-assessment (``self_assess``), the
personnel body notifies the result (``notify_rating``); the head decides on the decision page.
The rater sees the inspection findings on the person not yet acknowledged (the per-person index
of the inspection context, read in the same recorded read) and acknowledges an inspection's
findings with one click (``acknowledge_findings``; the decision number is the form's own).
Both pages are one recorded read each (``application.individual.files`` / ``reads``): a read by
anyone but the person is logged with what was read.
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import FastAPI, Request
from fastapi import Path as PathParam
from fastapi.responses import Response
from pydantic import ValidationError

from assessment.application.individual import files, reads
from assessment.application.individual.commands import (
    AcknowledgeFindings,
    NotifyRating,
    SelfAssess,
)
from assessment.application.permissions import MATRIX
from assessment.application.service import AssessmentApplication
from assessment.entrypoints.web.individual.common import (
    CONTENT,
    PREFIX,
    ctx_of,
    globals_for,
    is_domain,
    message_of,
    parse_day,
    parse_level,
    problem_of,
)
from shared.web import threaded
from shared.web.pages import Portal, Viewer

Id = Annotated[UUID, PathParam()]


def include_rating_file(app: FastAPI, portal: Portal) -> None:
    def render(
        request: Request,
        viewer: Viewer,
        rating_id: UUID,
        *,
        errors: dict[str, str] | None = None,
        values: dict[str, str] | None = None,
        message: str | None = None,
        status_code: int = 200,
    ) -> Response:
        application: AssessmentApplication = request.app.state.assessment
        try:
            data = application.execute(
                files.READ_RATING_FILE, ctx_of(viewer), reads.ReadFile(), {"rating_id": rating_id}
            )
        except Exception as exc:
            if not is_domain(exc):
                raise
            problem = problem_of(exc)
            return portal.render(
                request,
                "individual_rating.html",
                globals_for({"problem": problem}),
                viewer=viewer,
                title="Đánh giá, xếp loại cá nhân",
                status_code=problem.status,
            )
        rating, person = data["rating"], data["person"]
        own = viewer.role == "official"
        months = {s["period"]: s for s in data["sheets"]}
        last = 12 if data["period_kind"] == "month" else 4
        return portal.render(
            request,
            "individual_rating.html",
            globals_for(
                {
                    "problem": None,
                    "r": rating,
                    "p": person,
                    "d": data,
                    "months": [(m, months.get(m)) for m in range(1, last + 1)],
                    "own": own,
                    "can_self_assess": own
                    and "self_assessment" not in rating["steps"]
                    and rating["decision"] is None,
                    "can_decide": viewer.role in MATRIX["decide_rating"]
                    and rating["decision"] is None
                    and "proposal" in rating["steps"],
                    "can_acknowledge": viewer.role in MATRIX["acknowledge_findings"],
                    "can_notify": viewer.role in MATRIX["notify_rating"]
                    and rating["decision"] is not None
                    and rating["notice"] is None,
                    "errors": errors or {},
                    "values": values or {},
                    "message": message,
                    "done": request.query_params.get("xong"),
                }
            ),
            viewer=viewer,
            title=f"Xếp loại {person['full_name']} {rating['year']}",
            status_code=status_code,
        )

    @app.get(f"{PREFIX}/xep-loai/{{rating_id}}", include_in_schema=False)
    @threaded.page
    def rating_page(request: Request, rating_id: Id) -> Response:
        viewer = threaded.require_viewer(request)
        return render(request, viewer, rating_id)

    @app.post(f"{PREFIX}/xep-loai/{{rating_id}}/tu-danh-gia", include_in_schema=False)
    @threaded.page
    def self_assess(request: Request, rating_id: Id) -> Response:
        viewer = threaded.require_viewer(request)
        form = threaded.form(request, max_files=0, max_fields=20)
        values = {k: v for k, v in form.items() if isinstance(v, str)}
        errors: dict[str, str] = {}
        content = {k: values.get(k, "").strip() for k, _ in CONTENT if values.get(k, "").strip()}
        if "ket_qua" not in content:
            errors["ket_qua"] = "Hãy nêu kết quả thực hiện chức trách, nhiệm vụ được giao."
        level = parse_level(values.get("proposed_level", ""), errors, "proposed_level")
        body: dict[str, Any] = {
            "form": values.get("form", ""),
            "content": content,
            "proposed_level": level,
        }
        cmd = None
        try:
            cmd = SelfAssess.model_validate(body)
        except ValidationError:
            errors.setdefault("ket_qua", "Nội dung tự đánh giá không hợp lệ.")
        if cmd is None or errors:
            return render(request, viewer, rating_id, errors=errors, values=values, status_code=422)
        return run(request, viewer, rating_id, "self_assess", cmd, values, "proposed_level")

    @app.post(f"{PREFIX}/xep-loai/{{rating_id}}/thong-bao", include_in_schema=False)
    @threaded.page
    def notify(request: Request, rating_id: Id) -> Response:
        viewer = threaded.require_viewer(request)
        form = threaded.form(request, max_files=0, max_fields=10)
        values = {k: v for k, v in form.items() if isinstance(v, str)}
        errors: dict[str, str] = {}
        day = parse_day(values.get("notified_on", ""), errors, "notified_on")
        channel = values.get("channel", "").strip()
        if not channel:
            errors["channel"] = "Hãy ghi hình thức thông báo (văn bản, thư điện tử…)."
        if errors:
            return render(request, viewer, rating_id, errors=errors, values=values, status_code=422)
        cmd = NotifyRating(notified_on=day, channel=channel)  # type: ignore[arg-type]
        return run(request, viewer, rating_id, "notify_rating", cmd, values, "channel")

    @app.post(f"{PREFIX}/xep-loai/{{rating_id}}/phat-hien", include_in_schema=False)
    @threaded.page
    def acknowledge(request: Request, rating_id: Id) -> Response:
        viewer = threaded.require_viewer(request)
        form = threaded.form(request, max_files=0, max_fields=10)
        values = {k: v for k, v in form.items() if isinstance(v, str)}
        number = values.get("inspection_decision", "").strip()  # the form's hidden field
        if not number:
            errors = {"findings": "Hãy chọn cuộc kiểm tra có phát hiện cần ghi nhận."}
            return render(request, viewer, rating_id, errors=errors, values=values, status_code=422)
        cmd = AcknowledgeFindings(inspection_decision=number, note=values.get("note", "").strip())
        return run(request, viewer, rating_id, "acknowledge_findings", cmd, values, "findings")

    def run(
        request: Request,
        viewer: Viewer,
        rating_id: UUID,
        name: str,
        cmd: Any,
        values: dict[str, str],
        field: str,
    ) -> Response:
        application: AssessmentApplication = request.app.state.assessment
        spec = application.catalogue.commands[name]
        try:
            application.execute(spec, ctx_of(viewer), cmd, {"rating_id": rating_id})
        except Exception as exc:
            if not is_domain(exc):
                raise
            problem = problem_of(exc)
            return render(
                request,
                viewer,
                rating_id,
                errors={field: message_of(problem)} if problem.status in (404, 409, 422) else {},
                values=values,
                message=message_of(problem) if problem.status not in (404, 409, 422) else None,
                status_code=problem.status,
            )
        return portal.redirect(request, f"{PREFIX}/xep-loai/{rating_id}?xong={name}", 303)

    @app.get(f"{PREFIX}/nguoi/{{person_id}}", include_in_schema=False)
    @threaded.page
    def person_file(request: Request, person_id: Id) -> Response:
        viewer = threaded.require_viewer(request)
        application: AssessmentApplication = request.app.state.assessment
        try:
            person = application.execute(
                reads.READ_PERSON_FILE, ctx_of(viewer), reads.ReadFile(), {"person_id": person_id}
            )
        except Exception as exc:
            if not is_domain(exc):
                raise
            problem = problem_of(exc)
            return portal.render(
                request,
                "individual_person.html",
                globals_for({"problem": problem, "p": None}),
                viewer=viewer,
                title="Hồ sơ cá nhân",
                status_code=problem.status,
            )
        return portal.render(
            request,
            "individual_person.html",
            globals_for({"problem": None, "p": person}),
            viewer=viewer,
            title=f"Hồ sơ {person['full_name']}",
        )
