"""The verifiable draw of case files for a unit (SAMPLING.md) and its public verification.

- ``GET {prefix}/{id}/don-vi/{unit_code}/rut-mau``: the record — register hash, parameters
  hash, each party's commitment and reveal, the seed and the sample per field — and, once drawn,
  the sample recomputed here from the published record alone (``verify_record``) beside it.
  Forms: commit the register (the team), commit a secret value, reveal it (the team and the
  unit's head); the second reveal draws.
- ``GET|POST /kiem-chung-mau``: anyone, signed in or not, pastes a published record (JSON) and
  sees it re-derived — seed, commitments, recomputed sample — or refused with the code of the
  first mismatch (SAMPLING.md §9).
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Final
from uuid import UUID

from fastapi import FastAPI, Request
from fastapi import Path as PathParam
from fastapi.responses import Response

from assessment.application.registry.api import unit_id as unit_id_for
from assessment.application.service import AssessmentApplication
from assessment.domain.inspection.sampling import SamplingError
from assessment.domain.inspection.sampling_verify import verify_record
from assessment.domain.kernel.errors import DomainError
from assessment.entrypoints.web.forms import Refused, ctx_of, may, problem_of, run_command, text
from shared.problems import AppError
from shared.web import threaded
from shared.web.pages import Portal, Viewer

Code = Annotated[str, PathParam(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
ACTIONS: Final = {
    "chot-so": ("commit_sample_register", None),
    "cam-ket": ("commit_sample_value", "commitment"),
    "cong-bo": ("reveal_sample_value", "value"),
}
VERIFY_PATH: Final = "/kiem-chung-mau"
MAX_RECORD: Final = 5_000_000


def verification(record: dict[str, Any]) -> dict[str, Any]:
    """The record re-derived from itself: ``ok`` with the recomputed seed and samples, or the
    code and message of the first mismatch."""
    try:
        found = verify_record(record)
    except SamplingError as exc:
        return {"ok": False, "code": exc.code, "message": str(exc), "message_en": exc.detail_en}
    except (TypeError, ValueError, KeyError, AttributeError):
        return {
            "ok": False,
            "code": "sampling.malformed",
            "message": "bản ghi không đúng cấu trúc",
            "message_en": "the record is malformed",
        }
    same = found.samples == record.get("samples")
    return {
        "ok": same,
        "code": None if same else "sampling.sample_mismatch",
        "message": None if same else "mẫu công bố khác mẫu tính lại",
        "message_en": None,
        "seed": found.seed,
        "register_hash": found.register_hash,
        "parameters_hash": found.parameters_hash,
        "entry_count": found.entry_count,
        "samples": found.samples,
    }


def include_sampling_pages(app: FastAPI, portal: Portal, prefix: str) -> None:
    path = f"{prefix}/{{inspection_id}}/don-vi/{{unit_code}}/rut-mau"
    portal.body_limits[VERIFY_PATH] = MAX_RECORD

    def render(
        request: Request,
        viewer: Viewer,
        inspection_id: UUID,
        code: str,
        *,
        failed: str | None = None,
        errors: dict[str, str] | None = None,
        message: str | None = None,
        status_code: int = 200,
    ) -> Response:
        application: AssessmentApplication = request.app.state.assessment
        unit_id = unit_id_for(viewer.caller.tenant, code)
        ctx: dict[str, Any] = {
            "inspection_id": inspection_id,
            "unit_code": code,
            "record": None,
            "check": None,
            "problem": None,
            "failed": failed,
            "errors": errors or {},
            "message": message,
            "done": request.query_params.get("xong"),
            "can_commit_register": may(viewer, "commit_sample_register"),
            "can_take_part": may(viewer, "commit_sample_value"),
            "party": "team" if viewer.role == "inspector" else "unit",
        }
        try:
            record = application.get_sampling_record(ctx_of(viewer), inspection_id, unit_id)
        except (DomainError, AppError) as exc:
            problem = problem_of(exc)
            if problem.status != 404:
                ctx["problem"] = problem
                status_code = problem.status
            record = None
        if record is not None:
            ctx["record"] = record
            if record.get("samples") is not None:
                ctx["check"] = verification(record)
            ctx["record_json"] = json.dumps(record, ensure_ascii=False, indent=1)
        return portal.render(
            request,
            "inspection_sampling.html",
            ctx,
            viewer=viewer,
            title=f"Rút mẫu hồ sơ {code}",
            status_code=status_code,
        )

    @app.get(path, include_in_schema=False)
    @threaded.page
    def sampling(request: Request, inspection_id: UUID, unit_code: Code) -> Response:
        viewer = threaded.require_viewer(request)
        return render(request, viewer, inspection_id, unit_code)

    @app.post(path + "/{action}", include_in_schema=False)
    @threaded.page
    def act(
        request: Request,
        inspection_id: UUID,
        unit_code: Code,
        action: Annotated[str, PathParam(max_length=20)],
    ) -> Response:
        viewer = threaded.require_viewer(request)
        found = ACTIONS.get(action)
        if found is None or not may(viewer, found[0]):
            return render(
                request,
                viewer,
                inspection_id,
                unit_code,
                status_code=403,
                message="Vai trò của bạn không được thực hiện thao tác này.",
            )
        command, field = found
        form = threaded.form(request, max_files=0, max_fields=5)
        body = {} if field is None else {field: (text(form, field) or "").lower()}
        ids = {
            "inspection_id": inspection_id,
            "unit_id": unit_id_for(viewer.caller.tenant, unit_code),
        }
        try:
            run_command(request.app.state.assessment, viewer, command, body, ids)
        except Refused as r:
            return render(
                request,
                viewer,
                inspection_id,
                unit_code,
                failed=action,
                errors=r.errors,
                message=r.message,
                status_code=r.status,
            )
        return portal.redirect(
            request, f"{prefix}/{inspection_id}/don-vi/{unit_code}/rut-mau?xong={action}", 303
        )

    def render_verify(
        request: Request, viewer: Viewer | None, ctx: dict[str, Any], status_code: int = 200
    ) -> Response:
        base = {"record_text": "", "check": None, "error": None}
        return portal.render(
            request,
            "inspection_verify.html",
            base | ctx,
            viewer=viewer,
            title="Kiểm chứng mẫu hồ sơ",
            status_code=status_code,
        )

    @app.get(VERIFY_PATH, include_in_schema=False)
    @threaded.page
    def verify_form(request: Request) -> Response:
        return render_verify(request, threaded.current_viewer(request), {})

    @app.post(VERIFY_PATH, include_in_schema=False)
    @threaded.page
    def verify(request: Request) -> Response:
        viewer = threaded.current_viewer(request)
        form = threaded.form(request, max_files=0, max_fields=5, max_part_size=MAX_RECORD)
        raw = text(form, "record") or ""
        try:
            record = json.loads(raw)
        except ValueError:
            return render_verify(
                request,
                viewer,
                {"record_text": raw, "error": "Không đọc được bản ghi: cần JSON hợp lệ."},
                422,
            )
        check = verification(record)
        return render_verify(
            request, viewer, {"record_text": raw, "check": check}, 200 if check["ok"] else 422
        )
