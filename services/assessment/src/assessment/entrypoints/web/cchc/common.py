"""What the CCHC pages share: the command context of a viewer, running one command from a form
(validated by the JSON API's own command model, run by the same executor), reading a rule's
answer from a form, and placing a Vietnamese message beside the field it is about."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any, Final
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from assessment.application.service import AssessmentApplication
from assessment.domain.kernel.errors import DomainError
from assessment.entrypoints.web.forms import ctx_of as command_ctx
from assessment.entrypoints.web.forms import problem_of
from assessment.entrypoints.web.forms import said as message_of
from shared.problems import AppError
from shared.web import formats
from shared.web.pages import Viewer

PREFIX: Final = "/ho-so/cchc"
VN: Final = ZoneInfo("Asia/Ho_Chi_Minh")
UNIT_ROLES: Final = frozenset({"unit_officer", "unit_head"})
APPRAISER_ROLES: Final = frozenset({"home_affairs", "sector_reviewer"})
COUNCIL_ROLES: Final = frozenset({"home_affairs", "chairman"})
MESSAGES: Final = {
    "missing": "Trường này là bắt buộc.",
    "string_too_short": "Trường này là bắt buộc.",
    "string_too_long": "Nội dung dài quá mức cho phép.",
    "literal_error": "Hãy chọn một giá trị trong danh sách.",
    "decimal_parsing": "Hãy nhập một số (dùng dấu phẩy hoặc dấu chấm).",
    "greater_than_equal": "Giá trị không được nhỏ hơn mức cho phép.",
    "less_than_equal": "Giá trị không được lớn hơn mức cho phép.",
    "greater_than": "Giá trị phải lớn hơn 0.",
    "int_parsing": "Hãy nhập một số nguyên.",
    "too_short": "Hãy chọn ít nhất một mục.",
}


@dataclass
class FormResult:
    """What running a form gave: the command's result, or errors by field and a message."""

    result: dict[str, Any] | None = None
    errors: dict[str, str] = field(default_factory=dict)
    message: str | None = None
    status: int = 200

    @property
    def ok(self) -> bool:
        return self.result is not None


def validation_errors(exc: ValidationError, prefix: str = "") -> dict[str, str]:
    """A command model's errors by form field: the first part of each location (``answer.
    percent`` → ``percent`` for the nested answer), each with a Vietnamese message."""
    out: dict[str, str] = {}
    for err in exc.errors():
        loc = [str(p) for p in err["loc"]]
        name = loc[-1] if loc and loc[0] == "answer" else (loc[0] if loc else "?")
        out.setdefault(prefix + name, MESSAGES.get(err["type"], f"Không hợp lệ: {err['msg']}"))
    return out


def run_form(
    app: AssessmentApplication,
    viewer: Viewer,
    command: str,
    body: dict[str, Any],
    ids: dict[str, Any],
    *,
    errors: dict[str, str] | None = None,
    prefix: str = "",
) -> FormResult:
    """Validate ``body`` with the command's model, then run it; nothing runs on any error."""
    spec = app.catalogue.commands[command]
    found = dict(errors or {})
    cmd = None
    try:
        cmd = spec.model.model_validate(body)
    except ValidationError as exc:
        for key, text in validation_errors(exc, prefix).items():
            found.setdefault(key, text)
    if cmd is None or found:
        return FormResult(errors=found, status=422)
    try:
        result = app.execute(spec, command_ctx(viewer), cmd, ids)
    except (DomainError, AppError) as exc:
        p = problem_of(exc)
        return FormResult(message=message_of(p), status=p.status)
    return FormResult(result=dict(result) if isinstance(result, dict) else {"result": result})


def number_text(raw: str) -> str:
    """A number as typed in Vietnam (``0,5`` or ``0.5``; ``1.234,5`` with thousands) → ``0.5``."""
    text = raw.strip().replace(" ", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    return text


def answer_from_form(rule: dict[str, Any], form: Any, prefix: str = "") -> dict[str, Any]:
    """The ``Answer`` body for a rule from the form's fields (names as ``answer_fields`` gives)."""

    def get(name: str) -> str:
        raw = form.get(prefix + name)
        return raw.strip() if isinstance(raw, str) else ""

    kind = rule.get("kind")
    if kind == "options":
        return {"option": get("option") or None}
    if kind == "yes_no":
        chosen = get("option")
        return {"yes": None if not chosen else chosen == "co"}
    if kind == "percent":
        return {"percent": number_text(get("percent")) or None}
    if kind == "number":
        return {"value": number_text(get("value")) or None}
    return {"points": number_text(get("points")) or None}


def answer_value(rule: dict[str, Any], answer: dict[str, Any] | None) -> str:
    """What a stored answer puts back in the form's input (``co``/``khong`` for yes/no)."""
    if not answer:
        return ""
    kind = rule.get("kind")
    if kind == "yes_no":
        return "" if answer.get("yes") is None else ("co" if answer["yes"] else "khong")
    key = {"options": "option", "percent": "percent", "number": "value"}.get(kind or "", "points")
    value = answer.get(key)
    return "" if value is None else str(value).replace(".", ",") if key != "option" else value


def option_codes(rule: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(value, label, points) of an options or yes/no rule, as the form offers them."""
    if rule.get("kind") == "yes_no":
        out = []
        for opt in rule.get("options", []):
            value = "co" if opt["code"] in ("co", "yes", "true") else "khong"
            out.append((value, opt["label"], opt["points"]))
        return out
    return [(o["code"], o["label"], o["points"]) for o in rule.get("options", [])]


FIELD_WORDS: Final = (  # the most precise phrases first: "loại điểm" before "điểm tối đa"
    ("point_kind", ("loại điểm",)),
    ("kind", ("kiểu chấm",)),
    ("rule", ("cách chấm", "khoảng", "bước")),
    ("max_points", ("điểm tối đa", "tổng", "mục con")),
    ("stt", ("stt", "mã", "trùng", "đứng trước", "cấp")),
    ("title", ("tên", "nội dung")),
)


def field_for(detail: str) -> str:
    """Which cell of a criteria row a problem is about (the message goes beside it); the rule
    cell when nothing more precise is named."""
    text = (detail or "").lower()
    text = re.sub(r"^'[^']*'\s*:\s*", "", text)  # "'1.2': ..." names the row, not the cell
    for name, words in FIELD_WORDS:
        if any(w in text for w in words):
            return name
    return "rule"


def deadline_from_form(day: str, hour: str = "") -> tuple[str | None, str | None]:
    """A deadline typed as dd/mm/yyyy (and hh:mm, 17:00 by default), Vietnam time → ISO 8601
    with its offset; or an error message."""
    try:
        d = formats.parse_vn_date(day.strip())
    except ValueError as exc:
        return None, str(exc)
    try:
        t = time.fromisoformat(hour.strip()) if hour.strip() else time(17, 0)
    except ValueError:
        return None, "Giờ không hợp lệ (hh:mm)."
    return datetime.combine(d, t, VN).isoformat(), None


def day_from_form(text: str) -> tuple[str | None, str | None]:
    try:
        return formats.parse_vn_date(text.strip()).isoformat(), None
    except ValueError as exc:
        return None, str(exc)
