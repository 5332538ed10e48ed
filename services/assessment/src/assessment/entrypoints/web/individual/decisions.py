"""The head's scoring page and the personnel body's meeting minutes, for a list of ratings.

- ``GET /ho-so/ca-nhan/quyet-dinh?r=<rating id>&r=…``: the people to rate (the list page of
  reporting links here with the agency's undecided ratings), each with their self-assessment and
  the personnel body's proposal beside the level to decide; the cap on "excellent" of each task
  group as counts used/allowed, recomputed live (htmx ``POST …/quyet-dinh/han-muc`` on every
  change, the application's ``preview_quota``); ``POST /ho-so/ca-nhan/quyet-dinh`` runs
  ``decide_ratings`` (one decision number, the quota checked on the batch). Over the cap or a
  level out of range: the Vietnamese message beside the field, nothing stored.
- ``GET /ho-so/ca-nhan/bien-ban?r=…`` and ``POST``: the agency's rating meeting (biên bản, its
  approval, the party committee's document, the proposals) through ``record_agency_round``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from fastapi import FastAPI, Request
from fastapi.responses import Response
from pydantic import ValidationError

from assessment.application.individual import files, reads
from assessment.application.individual.commands import DecideRatings, RecordAgencyRound
from assessment.application.service import AssessmentApplication
from assessment.entrypoints.web.individual.common import (
    LEVEL_CODES,
    LEVEL_CODES_ON_FIELD,
    PREFIX,
    QUOTA_CODE,
    ctx_of,
    globals_for,
    is_domain,
    message_of,
    parse_day,
    parse_level,
    problem_of,
)
from shared.problems import AppError
from shared.web import threaded
from shared.web.pages import Portal, Viewer

MAX_ROWS = 500
DECIDE = ("individual_decide.html", "decide_ratings", f"{PREFIX}/quyet-dinh")
ROUND = ("individual_round.html", "record_agency_round", f"{PREFIX}/bien-ban")
ROUND_FIELDS = {
    "minutes_number": "Hãy ghi số biên bản.",
    "attendees": "Số người dự họp phải là số nguyên dương.",
    "comment_by": "Hãy ghi người nhận xét.",
    "comment_text": "Hãy ghi ý kiến nhận xét.",
    "summary": "Hãy ghi nội dung tổng hợp.",
}


def _ids(values: list[str]) -> list[UUID]:
    out: list[UUID] = []
    for raw in values[:MAX_ROWS]:
        try:
            ident = UUID(raw)
        except ValueError:
            continue
        if ident not in out:
            out.append(ident)
    return out


def _posted(request: Request, fields: int) -> tuple[list[UUID], dict[str, str]]:
    """The ratings listed in a posted form (``r``) and its text fields (in a page thread)."""
    form = threaded.form(request, max_files=0, max_fields=MAX_ROWS * 2 + fields)
    ids = _ids([v for v in form.getlist("r") if isinstance(v, str)])
    return ids, {k: v for k, v in form.items() if isinstance(v, str)}


def _levels(
    rows: list[Any],
    values: dict[str, str],
    errors: dict[str, str],
    waiting: Callable[[dict[str, Any]], bool],
) -> list[tuple[str, str | None]]:
    """The level posted for each rating still ``waiting`` (``level.<id>``); one out of the four
    levels is refused beside its field."""
    out = []
    for row in rows:
        r = row["rating"]
        if waiting(r):
            name = f"level.{r['id']}"
            out.append((r["id"], parse_level(values.get(name, ""), errors, name)))
    return out


def _load(request: Request, viewer: Viewer, ids: list[UUID]) -> tuple[list[Any], list[str]]:
    """Each rating's file (a recorded read each); refusals listed, not fatal to the page."""
    application: AssessmentApplication = request.app.state.assessment
    rows, refused = [], []
    for ident in ids:
        try:
            rows.append(
                application.execute(
                    files.READ_RATING_FILE, ctx_of(viewer), reads.ReadFile(), {"rating_id": ident}
                )
            )
        except Exception as exc:
            if not is_domain(exc):
                raise
            refused.append(f"{ident}: {message_of(problem_of(exc))}")
    return rows, refused


def _scopes(
    request: Request, viewer: Viewer, rows: list[Any], chosen: dict[str, str | None]
) -> list[dict[str, Any]]:
    """The quota of every task group on the page, with the levels chosen on it."""
    application: AssessmentApplication = request.app.state.assessment
    groups: dict[tuple[str, str, int, str], dict[str, str | None]] = {}
    for row in rows:
        r = row["rating"]
        key = (r["agency_id"], r["task_group"], r["year"], r["side"])
        pending = groups.setdefault(key, {})
        if r["decision"] is None and r["id"] in chosen:
            pending[r["person_id"]] = chosen[r["id"]]
    out = []
    for (agency, group, year, side), levels in groups.items():
        cmd = files.PreviewQuota.model_validate(
            {"agency_id": agency, "task_group": group, "year": year, "side": side, "levels": levels}
        )
        try:
            use = application.execute(files.PREVIEW_QUOTA, ctx_of(viewer), cmd, {})
        except Exception as exc:
            if not is_domain(exc):
                raise
            continue
        out.append(use)
    return out


def include_decision_pages(app: FastAPI, portal: Portal) -> None:
    def chosen_of(rows: list[Any], values: dict[str, str] | None) -> dict[str, str | None]:
        out: dict[str, str | None] = {}
        for row in rows:
            r = row["rating"]
            if values is not None:
                raw = values.get(f"level.{r['id']}", "")
            else:
                raw = (r["steps"].get("proposal") or {}).get("proposed_level") or ""
            out[r["id"]] = raw if raw in LEVEL_CODES else None
        return out

    def render(
        request: Request,
        viewer: Viewer,
        ids: list[UUID],
        template: str,
        *,
        values: dict[str, str] | None = None,
        errors: dict[str, str] | None = None,
        message: str | None = None,
        status_code: int = 200,
    ) -> Response:
        rows, refused = _load(request, viewer, ids)
        chosen = chosen_of(rows, values)
        return portal.render(
            request,
            template,
            globals_for(
                {
                    "rows": rows,
                    "refused": refused,
                    "chosen": chosen,
                    "scopes": _scopes(request, viewer, rows, chosen),
                    "values": values or {},
                    "errors": errors or {},
                    "message": message,
                    "done": request.query_params.get("xong") == "1",
                }
            ),
            viewer=viewer,
            title="Xếp loại cá nhân" if template == DECIDE[0] else "Biên bản họp",
            status_code=status_code,
        )

    def submit(
        request: Request,
        viewer: Viewer,
        ids: list[UUID],
        page: tuple[str, str, str],
        cmd: Any,
        values: dict[str, str],
        errors: dict[str, str],
        beside: Callable[[AppError], dict[str, str]] | None = None,
    ) -> Response:
        """Run the page's command (``cmd`` None: the form was refused) and go back to the list
        with ``xong=1``; a refusal re-renders the page with the message (and beside the
        fields ``beside`` names), nothing stored."""
        template, command, path = page
        if cmd is None or errors:
            kw: dict[str, Any] = {"values": values, "errors": errors, "status_code": 422}
            return render(request, viewer, ids, template, **kw)
        application: AssessmentApplication = request.app.state.assessment
        try:
            application.execute(application.catalogue.commands[command], ctx_of(viewer), cmd, {})
        except Exception as exc:
            if not is_domain(exc):
                raise
            problem = problem_of(exc)
            errors.update(beside(problem) if beside is not None else {})
            return render(
                request,
                viewer,
                ids,
                template,
                values=values,
                errors=errors,
                message=message_of(problem),
                status_code=problem.status,
            )
        query = "&".join(f"r={i}" for i in ids)
        return portal.redirect(request, f"{path}?{query}&xong=1", 303)

    # ------------------------------------------------------------ the head's decisions
    @app.get(f"{PREFIX}/quyet-dinh", include_in_schema=False)
    @threaded.page
    def decide_page(request: Request) -> Response:
        viewer = threaded.require_viewer(request)
        ids = _ids(request.query_params.getlist("r"))
        return render(request, viewer, ids, DECIDE[0])

    @app.post(f"{PREFIX}/quyet-dinh/han-muc", include_in_schema=False)
    @threaded.page
    def quota_preview(request: Request) -> Response:
        viewer = threaded.require_viewer(request)
        ids, values = _posted(request, 10)
        rows, _ = _load(request, viewer, ids)
        scopes = _scopes(request, viewer, rows, chosen_of(rows, values))
        return portal.render(request, "individual_quota.html", {"scopes": scopes}, viewer=viewer)

    @app.post(f"{PREFIX}/quyet-dinh", include_in_schema=False)
    @threaded.page
    def decide(request: Request) -> Response:
        viewer = threaded.require_viewer(request)
        ids, values = _posted(request, 10)
        errors: dict[str, str] = {}
        number = values.get("decision_number", "").strip()
        if not number:
            errors["decision_number"] = "Hãy ghi số quyết định."
        day = parse_day(values.get("decided_on", ""), errors, "decided_on")
        rows, _ = _load(request, viewer, ids)
        chosen = _levels(rows, values, errors, lambda r: r["decision"] is None)
        decisions = [{"rating_id": i, "level": level} for i, level in chosen]
        if not decisions:
            errors.setdefault(
                "decision_number", "Không còn người nào chờ quyết định trong danh sách."
            )
        cmd = None
        if not errors:
            body = {"decisions": decisions, "decision_number": number, "decided_on": day}
            try:
                cmd = DecideRatings.model_validate(body)
            except ValidationError:
                errors["decision_number"] = "Quyết định không hợp lệ."

        def beside_levels(problem: AppError) -> dict[str, str]:
            if problem.code == QUOTA_CODE:  # beside every "excellent" chosen in the batch
                return {
                    f"level.{d['rating_id']}": message_of(problem)
                    for d in decisions
                    if d["level"] == "hoan_thanh_xuat_sac"
                }
            if problem.code in LEVEL_CODES_ON_FIELD and len(decisions) == 1:
                return {f"level.{decisions[0]['rating_id']}": message_of(problem)}
            return {}  # a refusal of one of several: the message above the list

        return submit(request, viewer, ids, DECIDE, cmd, values, errors, beside_levels)

    # ------------------------------------------------------------ the agency's meeting
    @app.get(f"{PREFIX}/bien-ban", include_in_schema=False)
    @threaded.page
    def round_page(request: Request) -> Response:
        viewer = threaded.require_viewer(request)
        ids = _ids(request.query_params.getlist("r"))
        return render(request, viewer, ids, ROUND[0])

    @app.post(f"{PREFIX}/bien-ban", include_in_schema=False)
    @threaded.page
    def record_round(request: Request) -> Response:
        viewer = threaded.require_viewer(request)
        ids, values = _posted(request, 20)
        errors: dict[str, str] = {}
        for name, message in ROUND_FIELDS.items():
            if not values.get(name, "").strip():
                errors[name] = message
        held_on = parse_day(values.get("held_on", ""), errors, "held_on")
        attendees = values.get("attendees", "").strip()
        if attendees and (not attendees.isdigit() or int(attendees) < 1):
            errors["attendees"] = ROUND_FIELDS["attendees"]
        rows, _ = _load(request, viewer, ids)
        chosen = _levels(
            rows, values, errors, lambda r: "proposal" not in r["steps"] and r["decision"] is None
        )
        proposals = [{"rating_id": i, "proposed_level": level} for i, level in chosen]
        if not proposals:
            errors.setdefault(
                "minutes_number", "Không còn người nào chờ họp nhận xét trong danh sách."
            )
        cmd = None
        if not errors:
            body = {
                "proposals": proposals,
                "minutes_number": values["minutes_number"].strip(),
                "held_on": held_on,
                "attendees": int(attendees),
                "comments": [
                    {"by": values["comment_by"].strip(), "text": values["comment_text"].strip()}
                ],
                "party_document_number": values.get("party_document_number", "").strip() or None,
                "party_comments": values.get("party_comments", "").strip() or None,
                "summary": values["summary"].strip(),
            }
            try:
                cmd = RecordAgencyRound.model_validate(body)
            except ValidationError as exc:
                for err in exc.errors():
                    name = str(err["loc"][0]) if err["loc"] else "minutes_number"
                    errors.setdefault(name, "Giá trị không hợp lệ.")
        return submit(request, viewer, ids, ROUND, cmd, values, errors)
