"""The unit's side of the exchanges around its self-assessment, on ``/ho-so/{year}/tu-danh-gia``:

- ``POST /ho-so/{year}/tu-danh-gia/rut-lai``: withdraw the submitted report (optional reason),
  command ``WithdrawSelfAssessment`` — refused after the deadline or once Home Affairs has
  consolidated, with the Vietnamese message on the page; the report becomes the draft again.
- ``POST /ho-so/{year}/tu-danh-gia/bo-sung/{request_id}``: the answer to a reviewer's request
  for a supplement, text and evidence files (multipart), command ``AnswerSupplement``; the files
  are kept by their hash only after the command succeeded. Errors beside the fields.

The reviewers ask on the unit's file (``unit_file``, the derived ``ask_for_supplement`` form).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Final
from uuid import UUID

from fastapi import FastAPI, Request
from fastapi import Path as PathParam
from fastapi.responses import Response
from pydantic import ValidationError

from assessment.adapters.evidence_store import EvidenceStore, StoredEvidence
from assessment.application.collective.commands import AnswerSupplement, WithdrawSelfAssessment
from assessment.application.registry.api import unit_id as unit_id_for
from assessment.application.service import AssessmentApplication, CommandContext
from assessment.domain.collective.cycle import cycle_id_for
from assessment.domain.kernel.errors import DomainError
from assessment.entrypoints.api.errors import translate
from assessment.entrypoints.web.collective.uploads import read_files
from shared.problems import AppError
from shared.web import threaded
from shared.web.pages import Portal, Viewer

UNIT_ROLES: Final = frozenset({"unit_officer", "unit_head"})
Year = Annotated[int, PathParam(ge=1990, le=2200)]
MAX_REPLY_FILES: Final = 20
RenderForm = Callable[..., Response]


def _message(exc: Exception) -> tuple[str, int]:
    problem = exc if isinstance(exc, AppError) else translate(exc)
    if problem is None:
        raise exc
    text = f"{problem.title}: {problem.detail}" if problem.detail else problem.title
    return text, problem.status


def include_exchange_pages(
    app: FastAPI,
    portal: Portal,
    render_form: RenderForm,
    store: Callable[[Request], EvidenceStore],
) -> None:
    def ids(viewer: Viewer, year: int) -> dict[str, UUID]:
        return {
            "cycle_id": cycle_id_for(viewer.caller.tenant, year),
            "unit_id": unit_id_for(viewer.caller.tenant, viewer.caller.acting_for or ""),
        }

    def ctx(viewer: Viewer) -> CommandContext:
        return CommandContext(tenant=viewer.caller.tenant, actor=viewer.caller.actor())

    @app.post("/ho-so/{year}/tu-danh-gia/rut-lai", include_in_schema=False)
    @threaded.page
    def withdraw(request: Request, year: Year) -> Response:
        viewer = threaded.require_viewer(request)
        if viewer.role not in UNIT_ROLES or not viewer.caller.acting_for:
            return render_form(
                request,
                viewer,
                year,
                status_code=403,
                message="Chỉ cán bộ, thủ trưởng của đơn vị được rút báo cáo của đơn vị.",
            )
        form = threaded.form(request, max_files=0, max_fields=10)
        application: AssessmentApplication = request.app.state.assessment
        spec = application.catalogue.commands["withdraw_self_assessment"]
        try:
            cmd = WithdrawSelfAssessment.model_validate({"reason": str(form.get("reason") or "")})
            application.execute(spec, ctx(viewer), cmd, ids(viewer, year))
        except ValidationError:
            return render_form(
                request,
                viewer,
                year,
                status_code=422,
                message="Lý do rút báo cáo dài quá 2.000 ký tự.",
            )
        except (DomainError, AppError) as exc:
            text, status = _message(exc)
            return render_form(request, viewer, year, status_code=status, message=text)
        return portal.redirect(request, f"/ho-so/{year}/tu-danh-gia?da-nop=rut", 303)

    @app.post("/ho-so/{year}/tu-danh-gia/bo-sung/{request_id}", include_in_schema=False)
    @threaded.page
    def answer(request: Request, year: Year, request_id: UUID) -> Response:
        viewer = threaded.require_viewer(request)
        key = str(request_id)
        if viewer.role not in UNIT_ROLES or not viewer.caller.acting_for:
            return render_form(
                request,
                viewer,
                year,
                status_code=403,
                message="Chỉ cán bộ, thủ trưởng của đơn vị được trả lời yêu cầu bổ sung.",
            )
        form = threaded.form(request, max_files=MAX_REPLY_FILES, max_fields=10)
        values = {"text": str(form.get("text") or "")}
        files: list[tuple[StoredEvidence, bytes]] = []
        evidence, too_big = threaded.wait(read_files, form.getlist("evidence"), portal, files)
        errors: dict[str, str] = {}
        if isinstance(evidence, str):
            errors["evidence"] = evidence
            evidence = []
        if not values["text"].strip():
            errors["text"] = "Hãy nêu nội dung bổ sung, giải trình."
        cmd = None
        if not errors:
            try:
                cmd = AnswerSupplement.model_validate(
                    {"text": values["text"], "evidence": evidence}
                )
            except ValidationError:
                errors["text"] = "Nội dung bổ sung không hợp lệ."
        if cmd is None:
            refused = {"errors": errors, "values": values}
            status = 413 if too_big else 422
            return render_form(request, viewer, year, status_code=status, replies={key: refused})
        application: AssessmentApplication = request.app.state.assessment
        spec = application.catalogue.commands["answer_supplement"]
        try:
            application.execute(
                spec, ctx(viewer), cmd, {**ids(viewer, year), "request_id": request_id}
            )
        except (DomainError, AppError) as exc:
            text, status = _message(exc)
            state: dict[str, Any] = {"errors": {}, "values": values, "message": text}
            return render_form(request, viewer, year, status_code=status, replies={key: state})
        evidence_store = store(request)
        for checked, data in files:
            evidence_store.put(viewer.caller.tenant, checked.name, data)
        return portal.redirect(request, f"/ho-so/{year}/tu-danh-gia?da-nop=bo-sung#bo-sung", 303)
