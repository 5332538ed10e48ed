"""The unit's CCHC self-scoring sheet (``/ho-so/cchc/{year}/cham-diem``).

Every component criterion with its rule in words, the score input the rule allows, evidence
files (type-checked and hashed like the collective self-assessment's, kept in the same evidence
store only after the command succeeded), an explanation where evidence lacks, and "flag as
unreasonable"; the head's approval and the submission; replies to supplement requests. Each form
is one command of the JSON API (``record_self_score``, ``flag_criterion``,
``approve_self_report``, ``submit_self_report``, ``withdraw_self_report``,
``reply_to_supplement``), validated by its model; errors beside the field, nothing stored.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any, Final

from fastapi import FastAPI, Request
from fastapi import Path as PathParam
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from assessment.adapters.evidence_store import (
    EvidenceStore,
    StoredEvidence,
    build_evidence_store,
    check_evidence,
)
from assessment.application.registry.api import unit_id as unit_id_for
from assessment.application.service import AssessmentApplication
from assessment.entrypoints.web.cchc.common import PREFIX, UNIT_ROLES, answer_from_form, run_form
from assessment.entrypoints.web.cchc.view import load_view, recorded_evidence
from shared.problems import AppError
from shared.web import threaded
from shared.web.pages import NavItem, Portal, Viewer

TEMPLATES: Final = Path(__file__).resolve().parent / "templates"
Year = Annotated[int, PathParam(ge=2000, le=2100)]
Code = Annotated[str, PathParam(pattern=r"^[0-9A-Za-z.]{1,20}$")]
UnitCode = Annotated[str, PathParam(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
MAX_FILES: Final = 10
ACTIONS: Final = {
    "phe-duyet": "approve_self_report",
    "gui": "submit_self_report",
    "rut": "withdraw_self_report",
}


def evidence_store(request: Request) -> EvidenceStore:
    evidence: EvidenceStore | None = getattr(request.app.state, "evidence", None)
    if evidence is None:  # production: the assessment database, built on first use
        evidence = request.app.state.evidence = build_evidence_store()
    return evidence


async def read_uploads(
    form: Any, name: str, limit: int
) -> tuple[list[tuple[StoredEvidence, bytes]], str | None, int]:
    """The files of one input, checked by content and name: (files, error, status)."""
    files = []
    for upload in form.getlist(name)[:MAX_FILES]:
        if not isinstance(upload, UploadFile) or not upload.filename:
            continue
        data = await upload.read()
        try:
            files.append((check_evidence(upload.filename, data, limit), data))
        except AppError as exc:
            return [], exc.detail or exc.title, exc.status
    return files, None, 200


def latest_year(app: AssessmentApplication, viewer: Viewer) -> int | None:
    """The latest year the viewer's unit has a scoring file (ids are derived from tenant, year
    and unit, so each year is one lookup through the application's query)."""
    code = viewer.caller.acting_for
    if not code:
        return None
    for year in range(date.today().year + 1, 2000 - 1, -1):
        found, _ = load_view(app, viewer, year, code)
        if found is not None:
            return year
    return None


def include_unit_sheet(app: FastAPI, portal: Portal) -> None:
    portal.add_templates(TEMPLATES)
    portal.add_nav(
        NavItem(
            f"{PREFIX}/cham-diem", "Chấm điểm CCHC", "CCHC self-scoring", UNIT_ROLES, group="cchc"
        )
    )

    def render(
        request: Request,
        viewer: Viewer,
        year: int,
        *,
        errors: dict[str, str] | None = None,
        values: dict[str, str] | None = None,
        message: str | None = None,
        status_code: int = 200,
    ) -> Response:
        code = viewer.caller.acting_for or ""
        view, problem = load_view(request.app.state.assessment, viewer, year, code)
        return portal.render(
            request,
            "cchc_unit_sheet.html",
            {
                "problem": problem,
                "v": view,
                "year": year,
                "errors": errors or {},
                "values": values or {},
                "message": message,
                "can_edit": viewer.role in UNIT_ROLES,
                "is_head": viewer.role == "unit_head",
                "done": request.query_params.get("xong"),
            },
            viewer=viewer,
            title=f"Chấm điểm CCHC {year}",
            status_code=problem.status if problem and status_code == 200 else status_code,
        )

    def own(request: Request, viewer: Viewer, year: int) -> Response | None:
        if viewer.role in UNIT_ROLES and viewer.caller.acting_for:
            return None
        return render(
            request, viewer, year, status_code=403,
            message="Chỉ cán bộ, thủ trưởng của đơn vị được tự chấm điểm của đơn vị.",
        )  # fmt: skip

    @app.get(f"{PREFIX}/cham-diem", include_in_schema=False)
    @threaded.page
    def latest(request: Request) -> Response:
        viewer = threaded.require_viewer(request)
        year = request.query_params.get("nam", "")
        if year.isdigit() and 2000 <= int(year) <= 2100:
            target = int(year)
        else:
            target = latest_year(request.app.state.assessment, viewer) or date.today().year
        return portal.redirect(request, f"{PREFIX}/{target}/cham-diem")

    @app.get(f"{PREFIX}/{{year}}/cham-diem", include_in_schema=False)
    @threaded.page
    def sheet(request: Request, year: Year) -> Response:
        viewer = threaded.require_viewer(request)
        return render(request, viewer, year)

    @app.post(f"{PREFIX}/{{year}}/cham-diem/tu-cham/{{code}}", include_in_schema=False)
    @threaded.page
    def self_score(request: Request, year: Year, code: Code) -> Response:
        viewer = threaded.require_viewer(request)
        refused = own(request, viewer, year)
        if refused is not None:
            return refused
        application: AssessmentApplication = request.app.state.assessment
        view, _ = load_view(application, viewer, year, viewer.caller.acting_for or "")
        line = next((x for x in view.lines if x.node["code"] == code), None) if view else None
        if view is None or line is None or not line.scored:
            return render(request, viewer, year, status_code=404, message="Không có tiêu chí này.")
        form = threaded.form(request, max_files=MAX_FILES, max_fields=20)
        values = {f"{code}.{k}": v for k, v in form.items() if isinstance(v, str)}
        limit = portal.settings.upload_max_bytes
        files, bad, status = threaded.wait(read_uploads, form, "evidence", limit)
        errors = {f"{code}.evidence": bad} if bad else {}
        if status == 413:
            return render(request, viewer, year, errors=errors, values=values, status_code=413)
        kept = list((line.mine or {}).get("evidence", []))
        new = [{"name": c.name, "sha256": c.sha256, "size": c.size} for c, _ in files]
        known = {e["sha256"] for e in kept}
        body = {
            "code": code,
            "answer": answer_from_form(line.node["rule"], form),
            "evidence": kept + [e for e in new if e["sha256"] not in known],
            "explanation": str(form.get("explanation") or "").strip(),
        }
        done = run_form(
            application, viewer, "record_self_score", body, {"scoring_id": view.scoring_id},
            errors=errors, prefix=f"{code}.",
        )  # fmt: skip
        if not done.ok:
            if done.message:
                done.errors.setdefault(f"{code}.answer", done.message)
            return render(
                request, viewer, year, errors=done.errors, values=values, status_code=done.status
            )
        store = evidence_store(request)
        for checked, data in files:  # the command succeeded: now keep the bytes by their hash
            store.put(viewer.caller.tenant, checked.name, data)
        return portal.redirect(request, f"{PREFIX}/{year}/cham-diem?xong=tu-cham#tc-{code}")

    @app.post(f"{PREFIX}/{{year}}/cham-diem/phan-anh/{{code}}", include_in_schema=False)
    @threaded.page
    def flag(request: Request, year: Year, code: Code) -> Response:
        viewer = threaded.require_viewer(request)
        refused = own(request, viewer, year)
        if refused is not None:
            return refused
        application: AssessmentApplication = request.app.state.assessment
        view, _ = load_view(application, viewer, year, viewer.caller.acting_for or "")
        if view is None:
            return render(request, viewer, year)
        form = threaded.form(request, max_files=0, max_fields=10)
        reasons = str(form.get("reasons") or "").strip()
        unit = unit_id_for(viewer.caller.tenant, viewer.caller.acting_for or "")
        body = {"unit_id": str(unit), "code": code, "reasons": reasons}
        done = run_form(
            application, viewer, "flag_criterion", body, {"set_id": view.scoring["set_id"]},
            prefix=f"{code}.flag.",
        )  # fmt: skip
        if not done.ok:
            errors = done.errors
            if done.message:
                errors[f"{code}.flag.reasons"] = done.message
            values = {f"{code}.flag.reasons": reasons}
            return render(
                request, viewer, year, errors=errors, values=values, status_code=done.status
            )
        return portal.redirect(request, f"{PREFIX}/{year}/cham-diem?xong=phan-anh#tc-{code}")

    @app.post(f"{PREFIX}/{{year}}/cham-diem/tra-loi/{{request_id}}", include_in_schema=False)
    @threaded.page
    def reply(
        request: Request, year: Year, request_id: Annotated[str, PathParam(pattern=r"^YC-\d{1,4}$")]
    ) -> Response:
        viewer = threaded.require_viewer(request)
        refused = own(request, viewer, year)
        if refused is not None:
            return refused
        application: AssessmentApplication = request.app.state.assessment
        view, _ = load_view(application, viewer, year, viewer.caller.acting_for or "")
        if view is None:
            return render(request, viewer, year)
        form = threaded.form(request, max_files=MAX_FILES, max_fields=10)
        text = str(form.get("text") or "").strip()
        prefix = f"{request_id}."
        values = {prefix + "text": text}
        files, bad, status = threaded.wait(
            read_uploads, form, "evidence", portal.settings.upload_max_bytes
        )
        errors = {prefix + "evidence": bad} if bad else {}
        if status == 413:
            return render(request, viewer, year, errors=errors, values=values, status_code=413)
        body = {
            "request_id": request_id,
            "text": text,
            "evidence": [{"name": c.name, "sha256": c.sha256, "size": c.size} for c, _ in files],
        }
        done = run_form(
            application, viewer, "reply_to_supplement", body, {"scoring_id": view.scoring_id},
            errors=errors, prefix=prefix,
        )  # fmt: skip
        if not done.ok:
            if done.message:
                done.errors.setdefault(prefix + "text", done.message)
            return render(
                request, viewer, year, errors=done.errors, values=values, status_code=done.status
            )
        store = evidence_store(request)
        for checked, data in files:
            store.put(viewer.caller.tenant, checked.name, data)
        return portal.redirect(request, f"{PREFIX}/{year}/cham-diem?xong=tra-loi")

    @app.post(f"{PREFIX}/{{year}}/cham-diem/{{action}}", include_in_schema=False)
    @threaded.page
    def report_step(
        request: Request, year: Year, action: Annotated[str, PathParam(max_length=20)]
    ) -> Response:
        viewer = threaded.require_viewer(request)
        refused = own(request, viewer, year)
        if refused is not None:
            return refused
        command = ACTIONS.get(action)
        application: AssessmentApplication = request.app.state.assessment
        view, _ = load_view(application, viewer, year, viewer.caller.acting_for or "")
        if command is None or view is None:
            return render(request, viewer, year, status_code=404, message="Không có thao tác này.")
        form = threaded.form(request, max_files=0, max_fields=10)
        body = {k: v.strip() for k, v in form.items() if isinstance(v, str) and k != "csrftoken"}
        done = run_form(
            application, viewer, command, body, {"scoring_id": view.scoring_id}, prefix=f"{action}."
        )
        if not done.ok:
            values = {f"{action}.{k}": v for k, v in body.items()}
            return render(
                request, viewer, year, errors=done.errors, values=values, message=done.message,
                status_code=done.status,
            )  # fmt: skip
        return portal.redirect(request, f"{PREFIX}/{year}/cham-diem?xong={action}")

    @app.get(f"{PREFIX}/{{year}}/{{unit_code}}/minh-chung/{{sha256}}", include_in_schema=False)
    @threaded.page
    def evidence(
        request: Request,
        year: Year,
        unit_code: UnitCode,
        sha256: Annotated[str, PathParam(pattern="^[0-9a-f]{64}$")],
    ) -> Response:
        viewer = threaded.require_viewer(request)
        view, _ = load_view(request.app.state.assessment, viewer, year, unit_code)
        item = recorded_evidence(view.scoring, sha256) if view else None
        data = evidence_store(request).get(viewer.caller.tenant, sha256) if item else None
        if item is None or data is None:
            return Response(
                "Không tìm thấy tài liệu / Not found", status_code=404,
                media_type="text/plain; charset=utf-8", headers=portal.headers(),
            )  # fmt: skip
        from urllib.parse import quote

        media = check_evidence(item["name"], data, len(data)).media_type
        disposition = f"attachment; filename*=UTF-8''{quote(item['name'], safe='')}"
        return Response(
            data, media_type=media,
            headers={**portal.headers(), "Content-Disposition": disposition},
        )  # fmt: skip
