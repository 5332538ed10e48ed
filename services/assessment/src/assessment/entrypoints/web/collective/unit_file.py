"""A unit's file for the cycle (``GET /ho-so/{year}/{unit_code}``) and the step forms on it.

Every signed-in official who may read it sees each step as recorded (who, when, what, the
evidence files); below, the forms of the commands the viewer's role has a row for in the one
permission matrix (Home Affairs: ask for a supplement, consolidate, flag perfunctory, adjust a
level, publish, reopen; the caucus: its review; the chairman: recognition and member reviews;
members and sector agencies: their reviews, sector agencies also ask for supplements). Each
form is derived from the JSON API's command model — its
fields, their kinds (text, level, day, yes/no) — validated by that model and run by the same
executor (``app.execute``); errors come back beside the fields, in Vietnamese.
``POST /ho-so/{year}/{unit_code}/{command}`` runs one.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any, Final

from fastapi import FastAPI, Request
from fastapi import Path as PathParam
from fastapi.responses import Response
from pydantic import ValidationError

from assessment.application.collective.commands import StepCode
from assessment.application.permissions import MATRIX
from assessment.application.registry.api import unit_id as unit_id_for
from assessment.application.service import AssessmentApplication, CommandContext
from assessment.domain.collective.cycle import cycle_id_for
from assessment.domain.kernel.errors import DomainError
from assessment.entrypoints.api.errors import translate
from shared.problems import AppError
from shared.web import formats, terms, threaded
from shared.web.pages import Portal, Viewer

ACTIONS: Final = (
    "submit_sector_review",
    "submit_member_review",
    "ask_for_supplement",
    "consolidate",
    "flag_perfunctory",
    "review_by_caucus",
    "adjust_level",
    "recognise",
    "publish",
    "reopen_step",
)
LABELS: Final = {
    "comment": "Nhận xét",
    "summary": "Nội dung tổng hợp",
    "proposed_level": "Mức đề xuất",
    "level": "Mức",
    "reason": "Lý do",
    "published": "Thông báo công khai nhận xét",
    "assignment_reference": "Văn bản phân công",
    "decision_number": "Số quyết định",
    "decision_date": "Ngày quyết định (dd/mm/yyyy)",
    "signer": "Người ký",
    "channel": "Nơi công bố",
    "step": "Bước",
    "due_date": "Hạn bổ sung (dd/mm/yyyy)",
}
MESSAGES: Final = {
    "missing": "Trường này là bắt buộc.",
    "string_too_short": "Trường này là bắt buộc.",
    "literal_error": "Hãy chọn một giá trị trong danh sách.",
    "date_from_datetime_parsing": "Ngày không hợp lệ (dd/mm/yyyy).",
}
LEVEL_CODES: Final = tuple(terms.LEVELS)
Year = Annotated[int, PathParam(ge=1990, le=2200)]
Code = Annotated[str, PathParam(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
STEP_CODES: Final = typing.get_args(StepCode)


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    kind: str  # text, textarea, level, step, day, bool
    required: bool
    default: Any = None


@dataclass
class ActionForm:
    name: str
    title: str
    fields: list[FormField]
    errors: dict[str, str] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)
    message: str | None = None


def _literal_values(annotation: Any) -> set[Any]:
    """The values of a Literal, also inside ``Literal[...] | None``."""
    out: set[Any] = set()
    for arg in typing.get_args(annotation):
        if typing.get_origin(arg) is typing.Literal:
            out |= set(typing.get_args(arg))
        elif arg is not type(None):
            out.add(arg)
    return out


def _kind(annotation: Any, max_length: int | None) -> str:
    args = _literal_values(annotation)
    if annotation is bool:
        return "bool"
    if annotation is date:
        return "day"
    if args and args <= set(LEVEL_CODES):
        return "level"
    if args and args <= set(STEP_CODES):
        return "step"
    return "text" if max_length is not None and max_length <= 300 else "textarea"


def form_fields(model: Any) -> list[FormField]:
    out = []
    for name, info in model.model_fields.items():
        max_length = next((m.max_length for m in info.metadata if hasattr(m, "max_length")), None)
        out.append(
            FormField(
                name=name,
                label=LABELS.get(name, name),
                kind=_kind(info.annotation, max_length),
                required=info.is_required(),
                default=None if info.is_required() else info.default,
            )
        )
    return out


def _body(fields: list[FormField], form: Any) -> tuple[dict[str, Any], dict[str, str]]:
    body: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for f in fields:
        raw = form.get(f.name)
        text = raw.strip() if isinstance(raw, str) else ""
        if f.kind == "bool":
            body[f.name] = text == "on"
        elif f.kind == "day" and text:
            try:
                body[f.name] = formats.parse_vn_date(text).isoformat()
            except ValueError as exc:
                errors[f.name] = str(exc)
        elif text:
            body[f.name] = text
    return body, errors


def _problem(exc: Exception) -> AppError:
    if isinstance(exc, AppError):
        return exc
    found = translate(exc)
    if found is None:
        raise exc
    return found


def _title(command: str | None) -> str | None:
    if command not in ACTIONS:
        return None
    return str(AssessmentApplication.catalogue.commands[command].model.route.summary)


def include_unit_file(app: FastAPI, portal: Portal) -> None:
    def actions_for(viewer: Viewer) -> list[ActionForm]:
        catalogue = AssessmentApplication.catalogue.commands
        out = []
        for name in ACTIONS:
            spec = catalogue[name]
            if viewer.role in MATRIX.get(spec.permission, {}):
                out.append(ActionForm(name, spec.model.route.summary, form_fields(spec.model)))
        return out

    def render(
        request: Request,
        viewer: Viewer,
        year: int,
        code: str,
        forms: list[ActionForm] | None = None,
        status_code: int = 200,
    ) -> Response:
        application: AssessmentApplication = request.app.state.assessment
        ctx = CommandContext(tenant=viewer.caller.tenant, actor=viewer.caller.actor())
        cycle_id = cycle_id_for(viewer.caller.tenant, year)
        try:
            cycle = application.get_cycle(ctx, cycle_id)
            ua = application.get_unit_assessment(
                ctx, cycle_id, unit_id_for(viewer.caller.tenant, code)
            )
        except (DomainError, AppError) as exc:
            problem = _problem(exc)
            return portal.render(
                request,
                "unit_file.html",
                {"problem": problem, "year": year, "unit_code": code},
                viewer=viewer,
                title="Hồ sơ đơn vị",
                status_code=problem.status,
            )
        return portal.render(
            request,
            "unit_file.html",
            {
                "problem": None,
                "year": year,
                "unit_code": code,
                "cycle": cycle,
                "ua": ua,
                "group_titles": {g["code"]: g["title"] for g in cycle["content_groups"]},
                "forms": forms if forms is not None else actions_for(viewer),
                "levels": LEVEL_CODES,
                "steps": STEP_CODES,
                "done": _title(request.query_params.get("xong")),
            },
            viewer=viewer,
            title=f"Hồ sơ {code} {year}",
            status_code=status_code,
        )

    @app.get("/ho-so/{year}/{unit_code}", include_in_schema=False)
    @threaded.page
    def unit_file(request: Request, year: Year, unit_code: Code) -> Response:
        viewer = threaded.require_viewer(request)
        return render(request, viewer, year, unit_code)

    @app.post("/ho-so/{year}/{unit_code}/{command}", include_in_schema=False)
    @threaded.page
    def run_command(
        request: Request,
        year: Year,
        unit_code: Code,
        command: Annotated[str, PathParam(max_length=40)],
    ) -> Response:
        viewer = threaded.require_viewer(request)
        forms = actions_for(viewer)
        target = next((f for f in forms if f.name == command), None)
        if target is None:
            return render(request, viewer, year, unit_code, status_code=403)
        form = threaded.form(request, max_files=0, max_fields=50)
        target.values = {k: v for k, v in form.items() if isinstance(v, str)}
        body, errors = _body(target.fields, form)
        application: AssessmentApplication = request.app.state.assessment
        spec = application.catalogue.commands[command]
        cmd = None
        try:
            cmd = spec.model.model_validate(body)
        except ValidationError as exc:
            for err in exc.errors():
                name = str(err["loc"][0]) if err["loc"] else "?"
                errors.setdefault(name, MESSAGES.get(err["type"], f"Không hợp lệ: {err['msg']}"))
        if cmd is None or errors:
            target.errors = errors
            return render(request, viewer, year, unit_code, forms, 422)
        ids = {
            "cycle_id": cycle_id_for(viewer.caller.tenant, year),
            "unit_id": unit_id_for(viewer.caller.tenant, unit_code),
        }
        ctx = CommandContext(tenant=viewer.caller.tenant, actor=viewer.caller.actor())
        try:
            application.execute(spec, ctx, cmd, ids)
        except (DomainError, AppError) as exc:
            problem = _problem(exc)
            target.message = (
                f"{problem.title}: {problem.detail}" if problem.detail else problem.title
            )
            return render(request, viewer, year, unit_code, forms, problem.status)
        return portal.redirect(request, f"/ho-so/{year}/{unit_code}?xong={command}", 303)
