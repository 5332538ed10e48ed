"""The collective evaluation's pages (seed 001): the unit's self-assessment with evidence.

- ``GET /ho-so/{year}/tu-danh-gia``: the unit officer's (or head's) form for the own unit (the
  token's ``unit``): per content group the results, the limitations and evidence files; the
  proposed level. After submission: the receipt (time, lateness, each file's SHA-256).
- ``POST /ho-so/{year}/tu-danh-gia``: multipart, CSRF token first. Files are type-checked and
  hashed; the form is validated by the JSON API's command model (``SubmitSelfAssessment``, its
  errors shown beside the fields) and run by the same executor (``app.execute``); only then
  are the bytes stored by their hash. A refused form comes back
  with the Vietnamese message beside the field and stores nothing. The same form saves a draft
  (``hanh_dong=nhap``, ``SaveSelfAssessmentDraft``: nothing required); the draft fills the form
  again, and its files go with the report when it is submitted.
- Withdrawal and the answers to supplement requests: ``exchanges``.
- ``GET /ho-so/{year}/{unit_code}/minh-chung/{sha256}``: an evidence file, to those allowed to
  read the unit's file (the same authorisation as the API's read), only if the file is recorded
  in that unit's self-assessment or a supplement answer (draft files: the unit's own only).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated, Any, Final

from fastapi import FastAPI, Request
from fastapi import Path as PathParam
from fastapi.responses import Response
from pydantic import ValidationError

from assessment.adapters.evidence_store import (
    EvidenceStore,
    build_evidence_store,
    check_evidence,
)
from assessment.application.collective.commands import (
    SaveSelfAssessmentDraft,
    SubmitSelfAssessment,
)
from assessment.application.registry.api import unit_id as unit_id_for
from assessment.application.service import AssessmentApplication, CommandContext
from assessment.domain.collective.cycle import cycle_id_for
from assessment.domain.kernel.errors import DomainError
from assessment.entrypoints.api.errors import translate
from assessment.entrypoints.web.collective.exchanges import include_exchange_pages
from assessment.entrypoints.web.collective.planning import include_planning_pages, latest_year
from assessment.entrypoints.web.collective.recognition import include_recognition_pages
from assessment.entrypoints.web.collective.unit_file import include_unit_file
from assessment.entrypoints.web.collective.uploads import read_groups
from shared.problems import AppError
from shared.web import terms, threaded
from shared.web.pages import NavItem, Portal, Viewer

log = logging.getLogger("assessment.web")
TEMPLATES: Final = Path(__file__).resolve().parent / "templates"
UNIT_ROLES: Final = frozenset({"unit_officer", "unit_head"})
PREFIX: Final = "/ho-so"
MAX_FILES_PER_GROUP: Final = 10


def _ctx(viewer: Viewer) -> CommandContext:
    return CommandContext(tenant=viewer.caller.tenant, actor=viewer.caller.actor())


def _problem(exc: Exception) -> AppError:
    if isinstance(exc, AppError):
        return exc
    found = translate(exc)
    if found is None:
        raise exc
    return found


def _load(
    app: AssessmentApplication, viewer: Viewer, year: int, code: str
) -> tuple[dict[str, Any] | None, dict[str, Any] | None, AppError | None]:
    ctx = _ctx(viewer)
    try:
        cycle = app.get_cycle(ctx, cycle_id_for(viewer.caller.tenant, year))
        ua = app.get_unit_assessment(
            ctx, cycle_id_for(viewer.caller.tenant, year), unit_id_for(viewer.caller.tenant, code)
        )
    except (DomainError, AppError) as exc:
        return None, None, _problem(exc)
    return cycle, ua, None


def include_collective_pages(app: FastAPI, portal: Portal) -> None:
    portal.add_templates(TEMPLATES)
    portal.body_limits[PREFIX] = portal.settings.upload_max_bytes

    def store(request: Request) -> EvidenceStore:
        evidence: EvidenceStore | None = getattr(request.app.state, "evidence", None)
        if evidence is None:  # production: the assessment database, built on first use
            evidence = request.app.state.evidence = build_evidence_store()
        return evidence

    def render_form(
        request: Request,
        viewer: Viewer,
        year: int,
        *,
        errors: dict[str, str] | None = None,
        values: dict[str, Any] | None = None,
        status_code: int = 200,
        message: str | None = None,
        replies: dict[str, dict[str, Any]] | None = None,
    ) -> Response:
        code = viewer.caller.acting_for or ""
        application: AssessmentApplication = request.app.state.assessment
        cycle, ua, problem = _load(application, viewer, year, code)
        if problem is not None:
            return portal.render(
                request,
                "self_assessment.html",
                {"problem": problem, "year": year, "cycle": None, "ua": None},
                viewer=viewer,
                title="Tự đánh giá",
                status_code=problem.status,
            )
        draft = None
        if viewer.role in UNIT_ROLES and code:
            ids = {
                "cycle_id": cycle_id_for(viewer.caller.tenant, year),
                "unit_id": unit_id_for(viewer.caller.tenant, code),
            }
            draft = _draft(application, viewer, ids)
        if values is None and draft and ua and not ua.get("self_assessment"):
            values = draft_values(draft)
        return portal.render(
            request,
            "self_assessment.html",
            {
                "problem": None,
                "draft": draft,
                "replies": replies or {},
                "year": year,
                "cycle": cycle,
                "ua": ua,
                "unit_code": code,
                "errors": errors or {},
                "values": values or {},
                "message": message,
                "levels": terms.LEVELS,
                "can_submit": viewer.role in UNIT_ROLES,
                "done": request.query_params.get("da-nop"),
            },
            viewer=viewer,
            title="Tự đánh giá",
            status_code=status_code,
        )

    portal.add_nav(
        NavItem(
            f"{PREFIX}/tu-danh-gia", "Tự đánh giá", "Self-assessment", UNIT_ROLES, group="tap-the"
        )
    )

    @app.get(f"{PREFIX}/tu-danh-gia", include_in_schema=False)
    @threaded.page
    def latest(request: Request) -> Response:
        viewer = threaded.require_viewer(request)
        year = latest_year(request, viewer)
        return portal.redirect(request, f"{PREFIX}/{year}/tu-danh-gia", 303)

    @app.get(f"{PREFIX}/{{year}}/tu-danh-gia", include_in_schema=False)
    @threaded.page
    def form(request: Request, year: Annotated[int, PathParam(ge=1990, le=2200)]) -> Response:
        viewer = threaded.require_viewer(request)
        return render_form(request, viewer, year)

    @app.post(f"{PREFIX}/{{year}}/tu-danh-gia", include_in_schema=False)
    @threaded.page
    def submit(request: Request, year: Annotated[int, PathParam(ge=1990, le=2200)]) -> Response:
        """Submit (``hanh_dong=nop``) or save a draft (``hanh_dong=nhap``): the same form."""
        viewer = threaded.require_viewer(request)
        if viewer.role not in UNIT_ROLES or not viewer.caller.acting_for:
            return render_form(
                request,
                viewer,
                year,
                status_code=403,
                message="Chỉ cán bộ, thủ trưởng của đơn vị được gửi tự đánh giá của đơn vị.",
            )
        application: AssessmentApplication = request.app.state.assessment
        cycle, _, problem = _load(application, viewer, year, viewer.caller.acting_for)
        if problem is not None or cycle is None:
            return render_form(request, viewer, year)
        form = threaded.form(request, max_files=MAX_FILES_PER_GROUP * 10, max_fields=200)
        values = {k: v for k, v in form.items() if isinstance(v, str)}
        as_draft = form.get("hanh_dong") == "nhap"
        groups, files, errors, too_big = threaded.wait(read_groups, form, cycle, portal)
        if too_big:
            return render_form(request, viewer, year, errors=errors, values=values, status_code=413)
        ids = {
            "cycle_id": cycle_id_for(viewer.caller.tenant, year),
            "unit_id": unit_id_for(viewer.caller.tenant, viewer.caller.acting_for),
        }
        draft = _draft(application, viewer, ids)
        if not as_draft and draft:  # files kept with the draft go with the report
            for gc, group in groups.items():
                kept = (draft.get("groups", {}).get(gc) or {}).get("evidence", [])
                names = {e["name"] for e in group["evidence"]}
                group["evidence"] = [e for e in kept if e["name"] not in names] + group["evidence"]
        if as_draft:
            groups = {
                gc: g
                for gc, g in groups.items()
                if g["results"] or g["limitations"] or g["evidence"]
            }
        body = {"groups": groups, "proposed_level": str(form.get("proposed_level") or "") or None}
        model = SaveSelfAssessmentDraft if as_draft else SubmitSelfAssessment
        if not as_draft:
            body["proposed_level"] = body["proposed_level"] or ""
        # the JSON API's own command model validates the form (ADR 0002): no second copy
        spec = application.catalogue.commands[
            "save_self_assessment_draft" if as_draft else "submit_self_assessment"
        ]
        cmd: Any = None
        try:
            cmd = model.model_validate(body)
        except ValidationError as exc:
            errors.update(field_errors(exc))
        if cmd is None or errors:
            return render_form(request, viewer, year, errors=errors, values=values, status_code=422)
        try:
            application.execute(spec, _ctx(viewer), cmd, ids)
        except (DomainError, AppError) as exc:
            p = _problem(exc)
            return render_form(
                request,
                viewer,
                year,
                values=values,
                status_code=p.status,
                message=f"{p.title}: {p.detail}" if p.detail else p.title,
            )
        evidence_store = store(request)
        for checked, data in files:  # the command succeeded: now keep the bytes by their hash
            evidence_store.put(viewer.caller.tenant, checked.name, data)
        done = "nhap" if as_draft else "1"
        return portal.redirect(request, f"{PREFIX}/{year}/tu-danh-gia?da-nop={done}", 303)

    @app.get(f"{PREFIX}/{{year}}/{{unit_code}}/minh-chung/{{sha256}}", include_in_schema=False)
    @threaded.page
    def evidence(
        request: Request,
        year: Annotated[int, PathParam(ge=1990, le=2200)],
        unit_code: Annotated[str, PathParam(max_length=64)],
        sha256: Annotated[str, PathParam(pattern="^[0-9a-f]{64}$")],
    ) -> Response:
        viewer = threaded.require_viewer(request)
        _, ua, problem = _load(request.app.state.assessment, viewer, year, unit_code)
        recorded = None
        if problem is None and ua is not None:
            listed = recorded_evidence(ua)
            if viewer.caller.acting_for == unit_code:  # the unit's own draft files
                draft = _draft(
                    request.app.state.assessment,
                    viewer,
                    {"cycle_id": ua["cycle_id"], "unit_id": ua["unit_id"]},
                )
                listed += recorded_evidence({"self_assessment": draft})
            recorded = next((e for e in listed if e["sha256"] == sha256), None)
        data = store(request).get(viewer.caller.tenant, sha256) if recorded else None
        if recorded is None or data is None:
            status = problem.status if problem is not None and problem.status == 403 else 404
            return Response(
                "Không tìm thấy tài liệu / Not found",
                status_code=status,
                media_type="text/plain; charset=utf-8",
                headers=portal.headers(),
            )
        media = check_evidence(recorded["name"], data, len(data)).media_type
        return Response(
            data,
            media_type=media,
            headers={
                **portal.headers(),
                "Content-Disposition": f"attachment; filename*=UTF-8''{_quote(recorded['name'])}",
            },
        )

    include_exchange_pages(app, portal, render_form, store)
    include_planning_pages(app, portal)
    include_recognition_pages(app, portal)
    include_unit_file(app, portal)  # after the routes above: /ho-so/{year}/{unit_code}


def _draft(
    application: AssessmentApplication, viewer: Viewer, ids: dict[str, Any]
) -> dict[str, Any] | None:
    try:
        found: dict[str, Any] | None = application.get_self_assessment_draft(
            _ctx(viewer), ids["cycle_id"], ids["unit_id"]
        )
    except (DomainError, AppError):
        return None
    return found


def draft_values(draft: dict[str, Any]) -> dict[str, str]:
    """A draft as the form's values."""
    values = {"proposed_level": draft.get("proposed_level") or ""}
    for gc, group in (draft.get("groups") or {}).items():
        values[f"{gc}.results"] = group.get("results", "")
        values[f"{gc}.limitations"] = group.get("limitations", "")
    return values


def recorded_evidence(ua: dict[str, Any]) -> list[dict[str, Any]]:
    """Every file a unit's file records: its self-assessment's and its supplement answers'."""
    out: list[dict[str, Any]] = []
    for group in ((ua.get("self_assessment") or {}).get("groups") or {}).values():
        out += group.get("evidence", [])
    for sup in ua.get("supplements") or []:
        out += (sup.get("answer") or {}).get("evidence", [])
    return out


FIELD_MESSAGES: Final = {
    "results": "Hãy nêu kết quả đạt được của nhóm nội dung này.",
    "limitations": "Phần hạn chế không hợp lệ.",
    "proposed_level": "Hãy chọn mức độ hoàn thành đề xuất.",
}


def field_errors(exc: ValidationError) -> dict[str, str]:
    """The command model's errors as the form's fields (``groups.<code>.results`` →
    ``<code>.results``), each with a Vietnamese message."""
    out: dict[str, str] = {}
    for err in exc.errors():
        loc = [str(p) for p in err["loc"]]
        key = ".".join(loc[1:3]) if loc[0] == "groups" and len(loc) >= 3 else loc[0]
        last = key.rsplit(".", 1)[-1]
        out.setdefault(key, FIELD_MESSAGES.get(last, f"Giá trị không hợp lệ ({err['msg']})."))
    return out


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")
