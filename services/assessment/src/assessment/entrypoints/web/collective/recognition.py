"""Recognition of a list of units by one decision (seed 001 step 5b, issue 9).

- ``GET /cong-nhan/{year}`` (``/cong-nhan`` → the latest year): the units the party caucus has
  reviewed and the chairman not yet recognised, each with the level every source proposed
  (the unit, each sector agency, each PC member, Home Affairs, the caucus, an adjustment) and
  the level on the table preselected; then decision number, date (dd/mm/yyyy) and signer.
- ``POST /cong-nhan/{year}``: one ``RecogniseUnits`` command for the ticked units — all are
  recognised, or none is (the first refusal names its unit). Errors beside the fields.
"""

from __future__ import annotations

from typing import Annotated, Any, Final

from fastapi import FastAPI, Request
from fastapi import Path as PathParam
from fastapi.responses import Response

from assessment.application.service import AssessmentApplication
from assessment.domain.collective.cycle import cycle_id_for
from assessment.domain.kernel.errors import DomainError
from assessment.entrypoints.web.collective.planning import latest_year, problem_text
from assessment.entrypoints.web.forms import Refused, ctx_of, run_command, vn_day
from shared.problems import AppError
from shared.web import terms, threaded
from shared.web.pages import NavItem, Portal, Viewer

PAGE: Final = "/cong-nhan"
RECOGNISERS: Final = frozenset({"chairman"})
Year = Annotated[int, PathParam(ge=1990, le=2200)]


def proposals(ua: dict[str, Any]) -> list[tuple[str, str | None]]:
    """Every source's proposed level, in the order of the steps: (source, level)."""
    out: list[tuple[str, str | None]] = []
    if ua.get("self_assessment"):
        out.append(("Đơn vị tự đánh giá", ua["self_assessment"].get("proposed_level")))
    for source, review in (ua.get("sector_reviews") or {}).items():
        out.append((f"Cơ quan chuyên ngành {source}", review.get("proposed_level")))
    for member, review in (ua.get("member_reviews") or {}).items():
        out.append((f"Thành viên UBND {member}", review.get("proposed_level")))
    if ua.get("consolidation"):
        out.append(("Sở Nội vụ tổng hợp", ua["consolidation"].get("proposed_level")))
    if ua.get("caucus_review"):
        out.append(("Ban cán sự Đảng", ua["caucus_review"].get("proposed_level")))
    for adjustment in ua.get("adjustments") or []:
        out.append((f"Điều chỉnh: {adjustment.get('reason', '')}", adjustment.get("to_level")))
    return out


def include_recognition_pages(app: FastAPI, portal: Portal) -> None:
    portal.add_nav(NavItem(PAGE, "Công nhận kết quả", "Recognition", RECOGNISERS, group="tap-the"))

    def waiting(application: AssessmentApplication, viewer: Viewer, year: int) -> Any:
        cycle_id = cycle_id_for(viewer.caller.tenant, year)
        cycle = application.get_cycle(ctx_of(viewer), cycle_id)
        names = {u["id"]: u for u in application.enrolment_candidates(ctx_of(viewer), cycle_id)}
        rows = []
        for unit_id in cycle["unit_ids"]:
            ua = application.get_unit_assessment(ctx_of(viewer), cycle_id, unit_id)
            if ua["caucus_review"] and not ua["recognition"]:
                unit = names.get(str(unit_id), {"code": str(unit_id), "name": str(unit_id)})
                rows.append({"unit": unit, "ua": ua, "proposals": proposals(ua)})
        return cycle, sorted(rows, key=lambda r: r["unit"]["code"])

    def render(
        request: Request,
        viewer: Viewer,
        year: int,
        *,
        errors: dict[str, str] | None = None,
        values: dict[str, Any] | None = None,
        message: str | None = None,
        status_code: int = 200,
    ) -> Response:
        application: AssessmentApplication = request.app.state.assessment
        try:
            cycle, rows = waiting(application, viewer, year)
        except (DomainError, AppError) as exc:
            text, status = problem_text(exc)
            return portal.render(
                request,
                "recognition.html",
                {"problem": text, "year": year},
                viewer=viewer,
                title="Công nhận kết quả",
                status_code=status,
            )
        return portal.render(
            request,
            "recognition.html",
            {
                "problem": None,
                "year": year,
                "cycle": cycle,
                "rows": rows,
                "levels": terms.LEVELS,
                "errors": errors or {},
                "values": values or {},
                "message": message,
                "can_recognise": viewer.role in RECOGNISERS,
                "done": request.query_params.get("so"),
            },
            viewer=viewer,
            title="Công nhận kết quả",
            status_code=status_code,
        )

    @app.get(PAGE, include_in_schema=False)
    @threaded.page
    def latest(request: Request) -> Response:
        viewer = threaded.require_viewer(request)
        return portal.redirect(request, f"{PAGE}/{latest_year(request, viewer)}", 303)

    @app.get(f"{PAGE}/{{year}}", include_in_schema=False)
    @threaded.page
    def page(request: Request, year: Year) -> Response:
        viewer = threaded.require_viewer(request)
        return render(request, viewer, year)

    @app.post(f"{PAGE}/{{year}}", include_in_schema=False)
    @threaded.page
    def recognise(request: Request, year: Year) -> Response:
        viewer = threaded.require_viewer(request)
        form = threaded.form(request, max_files=0, max_fields=4100)
        values: dict[str, Any] = {k: v for k, v in form.items() if isinstance(v, str)}
        chosen = [str(v) for v in form.getlist("unit_id")]
        values["chosen"] = chosen
        if viewer.role not in RECOGNISERS:
            return render(
                request,
                viewer,
                year,
                values=values,
                status_code=403,
                message="Chỉ Chủ tịch UBND tỉnh được công nhận kết quả.",
            )
        errors: dict[str, str] = {}
        body = {
            "decision_number": values.get("decision_number", ""),
            "decision_date": vn_day(values, "decision_date", errors),
            "signer": values.get("signer", ""),
            "units": [{"unit_id": u, "level": values.get(f"level-{u}") or None} for u in chosen],
        }
        application: AssessmentApplication = request.app.state.assessment
        cycle_id = cycle_id_for(viewer.caller.tenant, year)
        try:
            run_command(
                application, viewer, "recognise_units", body, {"cycle_id": cycle_id}, errors
            )
        except Refused as refused:
            found = {k: v for k, v in refused.errors.items() if not k.startswith("units")}
            if len(found) < len(refused.errors):
                found["units"] = (
                    "Hãy chọn ít nhất một đơn vị và mức công nhận của từng đơn vị đã chọn."
                )
            return render(
                request,
                viewer,
                year,
                errors=found,
                values=values,
                message=refused.message,
                status_code=refused.status,
            )
        return portal.redirect(request, f"{PAGE}/{year}?so={len(chosen)}", 303)
