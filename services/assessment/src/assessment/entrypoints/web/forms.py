"""What the pages of several contexts share: running a command or a query from a form and
turning what goes wrong into Vietnamese messages beside the fields.

A form is validated by the JSON API's own command model and run by the same executor
(``app.execute``); a refusal changes nothing and comes back as a message on the page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final
from uuid import UUID

from pydantic import ValidationError

from assessment.application.permissions import MATRIX
from assessment.application.service import AssessmentApplication, CommandContext
from assessment.domain.kernel.errors import DomainError
from assessment.entrypoints.api.errors import translate
from shared.problems import AppError
from shared.web import formats
from shared.web.pages import Viewer

MESSAGES: Final = {
    "missing": "Trường này là bắt buộc.",
    "string_too_short": "Trường này là bắt buộc.",
    "too_short": "Cần ít nhất một giá trị.",
    "literal_error": "Hãy chọn một giá trị trong danh sách.",
    "date_from_datetime_parsing": "Ngày không hợp lệ (dd/mm/yyyy).",
    "date_parsing": "Ngày không hợp lệ (dd/mm/yyyy).",
    "uuid_parsing": "Mã không hợp lệ.",
    "int_parsing": "Hãy nhập một số nguyên.",
    "string_pattern_mismatch": "Giá trị không đúng định dạng (không có khoảng trắng).",
    "string_too_long": "Giá trị quá dài.",
}


def ctx_of(viewer: Viewer) -> CommandContext:
    return CommandContext(tenant=viewer.caller.tenant, actor=viewer.caller.actor())


def problem_of(exc: Exception) -> AppError:
    if isinstance(exc, AppError):
        return exc
    found = translate(exc)
    if found is None:
        raise exc
    return found


def said(problem: AppError) -> str:
    return f"{problem.title}: {problem.detail}" if problem.detail else problem.title


def field_errors(exc: ValidationError, messages: Mapping[str, str] | None = None) -> dict[str, str]:
    """The model's errors by dotted field name (``decision.number``), in Vietnamese: the
    model's own message for a value it refused (``Ngày phải trong khoảng …``), ``messages``
    (by pydantic error type) before ours for the rest."""
    table = {**MESSAGES, **(messages or {})}
    out: dict[str, str] = {}
    for err in exc.errors():
        loc = [str(p) for p in err["loc"] if not isinstance(p, int)]
        key = ".".join(loc) or "?"
        if err["type"] == "value_error" and err["type"] not in table:
            refusal = str(err.get("ctx", {}).get("error", err["msg"])).split(" / ")[0]
            out.setdefault(key, refusal.rstrip(".") + ".")
        else:
            out.setdefault(key, table.get(err["type"], f"Không hợp lệ: {err['msg']}"))
    return out


def vn_day(form: Mapping[str, Any], name: str, errors: dict[str, str]) -> str | None:
    """A dd/mm/yyyy field as ISO (the command's ``Day``), or an error beside it."""
    raw = str(form.get(name) or "").strip()
    if not raw:
        return None
    try:
        return formats.parse_vn_date(raw).isoformat()
    except ValueError as exc:
        errors[name] = str(exc)
        return None


def text(form: Mapping[str, Any], name: str) -> str | None:
    raw = form.get(name)
    value = raw.strip() if isinstance(raw, str) else ""
    return value or None


def lines(form: Mapping[str, Any], name: str) -> list[list[str]]:
    """A textarea of one entry a line, its parts separated by ``|``."""
    raw = form.get(name)
    rows = raw.splitlines() if isinstance(raw, str) else []
    return [[p.strip() for p in row.split("|")] for row in rows if row.strip()]


def compact(value: Any) -> Any:
    """An empty field is a missing one: drop ``None`` from the body (the model then says
    "required" or takes its default)."""
    if isinstance(value, dict):
        return {k: compact(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [compact(v) for v in value]
    return value


class Refused(Exception):
    """A form that did not run: errors by field and/or one message, with its status."""

    def __init__(self, status: int, errors: dict[str, str], message: str | None = None) -> None:
        super().__init__(message or "refused")
        self.status = status
        self.errors = errors
        self.message = message


def run_command(
    app: AssessmentApplication,
    viewer: Viewer,
    name: str,
    body: dict[str, Any],
    ids: Mapping[str, UUID],
    errors: dict[str, str] | None = None,
    rename: Callable[[str], str] = lambda k: k,
    messages: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Validate ``body`` by command ``name``'s model and run it; raise :class:`Refused`.
    ``errors``: what the page found already (a bad date); ``rename``: model field → form
    field; ``messages``: the page's own wording by pydantic error type."""
    spec = app.catalogue.commands[name]
    found = dict(errors or {})
    cmd = None
    try:
        cmd = spec.model.model_validate(compact(body))
    except ValidationError as exc:
        for key, message in field_errors(exc, messages).items():
            found.setdefault(rename(key), message)
    if cmd is None or found:
        raise Refused(422, found)
    try:
        return app.execute(spec, ctx_of(viewer), cmd, ids)
    except (DomainError, AppError) as exc:
        problem = problem_of(exc)
        raise Refused(problem.status, {}, said(problem)) from None


def may(viewer: Viewer, permission: str) -> bool:
    """Whether the viewer's role has a row for ``permission`` in the one matrix (the page
    shows the form; the executor still checks the scope)."""
    return viewer.role in MATRIX.get(permission, {})
