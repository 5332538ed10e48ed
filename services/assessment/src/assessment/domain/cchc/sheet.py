"""A criteria set in the shape provinces publish, read from and written to plain rows.

Sheet "Bộ tiêu chí": STT | Lĩnh vực, tiêu chí, tiêu chí thành phần | Điểm tối đa | Kiểu chấm |
Cách chấm điểm | Nguồn số liệu | Tài liệu kiểm chứng | Cơ quan thẩm định | Loại điểm. The STT
fixes the level: Roman numerals (I, II, …) are fields, whole numbers criteria, "1.2" the second
component of criterion 1. An optional last row "Tổng cộng" (no STT) gives the total.
Sheet "Thông số": rows of key | value (| value): Tổng điểm, Nhóm (label, lower bound %), Cách
kết hợp (cộng / tỉ trọng), Tỉ trọng điều tra, Phân định bằng điểm, Số chữ số thập phân.

Every problem is reported with its sheet and row; a file with any problem stores nothing
(``SheetRejected``). This module is pure: the XLSX adapter hands it cell values.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Any

from assessment.domain.cchc.errors import SheetRejected
from assessment.domain.cchc.rule_text import describe_rule, parse_rule, slug
from assessment.domain.cchc.tree import SetContent
from assessment.domain.cchc.values import Level, NodeKind, fmt, to_decimal
from assessment.domain.kernel.errors import DomainError, ValidationFailed

CRITERIA_SHEET = "Bộ tiêu chí"
PARAMS_SHEET = "Thông số"
COLUMNS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("stt", "STT", ("stt", "số thứ tự", "tt")),
    (
        "title",
        "Lĩnh vực, tiêu chí, tiêu chí thành phần",
        ("lĩnh vực/tiêu chí/tiêu chí thành phần", "nội dung", "tên tiêu chí", "tiêu chí"),
    ),
    ("max_points", "Điểm tối đa", ("điểm chuẩn", "thang điểm")),
    ("kind", "Kiểu chấm", ("loại cách chấm",)),
    ("rule", "Cách chấm điểm", ("cách chấm", "phương pháp chấm điểm", "hướng dẫn chấm")),
    ("source", "Nguồn số liệu", ("nguồn dữ liệu",)),
    ("evidence", "Tài liệu kiểm chứng", ("tài liệu kiểm chứng cần có", "minh chứng")),
    ("appraisers", "Cơ quan thẩm định", ("cơ quan chấm", "đơn vị thẩm định")),
    ("point_kind", "Loại điểm", ("điểm thưởng/trừ",)),
)
REQUIRED = ("stt", "title", "max_points")
ROMAN = re.compile(r"^(?=[IVXLC])M*(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})$")
TIE_BREAK_NAMES = {
    "điểm thẩm định": "appraised_points",
    "điểm điều tra": "survey_points",
    "chênh lệch tự chấm": "self_gap",
}
POINT_KINDS = {"": NodeKind.REGULAR, "thưởng": NodeKind.BONUS, "trừ": NodeKind.PENALTY}
COMBINATION_NAMES = {"cộng": "sum", "sum": "sum", "tỉ trọng": "weighted", "weighted": "weighted"}


def norm(text: Any) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", str(text or "")).strip().lower())


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return fmt(value)
    return unicodedata.normalize("NFC", str(value)).strip()


def map_header(header: list[Any]) -> dict[str, int]:
    """Canonical column key → position, from the header's Vietnamese names (with aliases)."""
    lookup: dict[str, str] = {}
    for key, name, aliases in COLUMNS:
        for alias in (name, *aliases):
            lookup[norm(alias)] = key
    found: dict[str, int] = {}
    for position, title in enumerate(header):
        column = lookup.get(norm(title))
        if column and column not in found:
            found[column] = position
    return found


def _level_and_parent(stt: str, last_field: str | None) -> tuple[Level, str | None]:
    if ROMAN.match(stt):
        return Level.FIELD, None
    if re.fullmatch(r"\d+", stt):
        return Level.CRITERION, last_field
    m = re.fullmatch(r"(\d+)\.(\d+)", stt)
    if m:
        return Level.COMPONENT, m.group(1)
    raise ValidationFailed(
        f"STT '{stt}' không rõ cấp (I, II… là lĩnh vực; 1, 2… tiêu chí; 1.1 tiêu chí thành phần)"
    )


def _params(rows: list[tuple[int, list[Any]]], problems: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {"bands": [], "tie_break": []}
    for number, cells in rows:
        key = norm(cells[0] if cells else "")
        values = [_cell(c) for c in cells[1:]]
        first = values[0] if values else ""
        try:
            if not key:
                continue
            if key == "tổng điểm":
                out["total_points"] = fmt(to_decimal(first, "tổng điểm"))
            elif key == "nhóm":
                label, bound = first, values[1] if len(values) > 1 else ""
                if not label:
                    raise ValidationFailed("nhóm cần tên")
                minimum = fmt(to_decimal(bound.rstrip("%").strip(), "ngưỡng nhóm"))
                out["bands"].append({"code": slug(label), "label": label, "min_index": minimum})
            elif key == "cách kết hợp":
                if norm(first) not in COMBINATION_NAMES:
                    raise ValidationFailed(f"cách kết hợp '{first}' không có (cộng / tỉ trọng)")
                out["combination"] = COMBINATION_NAMES[norm(first)]
            elif key == "tỉ trọng điều tra":
                out["survey_weight"] = fmt(to_decimal(first, "tỉ trọng điều tra"))
            elif key == "phân định bằng điểm":
                for item in (norm(v) for v in ", ".join(values).split(",") if v.strip()):
                    m = re.fullmatch(r"lĩnh vực (\S+)", item)
                    code = f"field:{m.group(1).upper()}" if m else TIE_BREAK_NAMES.get(item)
                    if code is None:
                        raise ValidationFailed(f"không có cách phân định '{item}'")
                    out["tie_break"].append(code)
            elif key == "số chữ số thập phân":
                out["rank_precision"] = int(to_decimal(first, "số chữ số thập phân"))
            else:
                raise ValidationFailed(f"thông số '{cells[0]}' không có")
        except DomainError as exc:
            problems.append(_problem(PARAMS_SHEET, number, exc))
    return out


def _problem(sheet: str, row: int | None, exc: DomainError) -> dict[str, Any]:
    return {"sheet": sheet, "row": row, "code": exc.code, "detail": exc.detail}


def read_set(
    header: list[Any],
    rows: list[tuple[int, list[Any]]],
    params: list[tuple[int, list[Any]]] | None = None,
) -> dict[str, Any]:
    """The content dict (``SetContent.from_dict`` form), checked; ``SheetRejected`` otherwise."""
    problems: list[dict[str, Any]] = []
    columns = map_header(header)
    missing = [name for key, name, _ in COLUMNS if key in REQUIRED and key not in columns]
    if missing:
        raise SheetRejected(
            [
                {
                    "sheet": CRITERIA_SHEET,
                    "row": 1,
                    "code": "cchc.sheet_rejected",
                    "detail": f"thiếu cột: {', '.join(missing)}",
                }
            ]
        )
    nodes: list[dict[str, Any]] = []
    row_of: dict[str, int] = {}
    last_field: str | None = None
    field_kind = NodeKind.REGULAR
    total_row: tuple[int, str] | None = None
    for number, cells in rows:
        values = {k: _cell(cells[i]) if i < len(cells) else "" for k, i in columns.items()}
        if not any(values.values()):
            continue
        stt = values.get("stt", "")
        try:
            if not stt:
                if norm(values.get("title")).startswith("tổng"):
                    total_row = (number, values.get("max_points", ""))
                    continue
                raise ValidationFailed("thiếu STT")
            if stt in row_of:
                raise ValidationFailed(f"STT '{stt}' trùng với dòng {row_of[stt]}")
            level, parent = _level_and_parent(stt, last_field)
            if level is Level.FIELD:
                last_field = stt
                pk = norm(values.get("point_kind"))
                if pk not in POINT_KINDS:
                    raise ValidationFailed(f"loại điểm '{values.get('point_kind')}' (thưởng/trừ)")
                field_kind = POINT_KINDS[pk]
            elif parent is None:
                raise ValidationFailed("tiêu chí đứng trước mọi lĩnh vực")
            node: dict[str, Any] = {
                "code": stt,
                "level": level.value,
                "title": values.get("title", ""),
                "max_points": fmt(to_decimal(values.get("max_points", ""), "điểm tối đa")),
                "parent": parent,
                "kind": field_kind.value,
            }
            if values.get("kind") or values.get("rule"):
                rule = parse_rule(
                    values.get("kind", ""), values.get("rule", ""), values.get("source", "")
                )
                node["rule"] = rule
                node["method"] = "survey" if rule["kind"] == "survey" else "appraisal"
                node["evidence"] = values.get("evidence", "")
                node["appraisers"] = [
                    a.strip() for a in re.split(r"[,;]", values.get("appraisers", "")) if a.strip()
                ]
            nodes.append(node)
            row_of[stt] = number
        except DomainError as exc:
            problems.append(_problem(CRITERIA_SHEET, number, exc))
    settings = _params(params or [], problems)
    if total_row is not None:
        try:
            written = fmt(to_decimal(total_row[1], "tổng cộng"))
            declared = settings.setdefault("total_points", written)
            if Decimal(declared) != Decimal(written):
                raise ValidationFailed(
                    f"dòng tổng cộng ghi {written}, khác tổng điểm {declared} ở trang "
                    f"'{PARAMS_SHEET}'"
                )
        except DomainError as exc:
            problems.append(_problem(CRITERIA_SHEET, total_row[0], exc))
    if problems:
        raise SheetRejected(problems)
    content = {"nodes": nodes, **settings}
    try:
        return SetContent.from_dict(content).to_dict()
    except DomainError as first:
        raise SheetRejected(_tree_problems(content, row_of, total_row, first)) from None


def _tree_problems(
    content: dict[str, Any],
    row_of: dict[str, int],
    total_row: tuple[int, str] | None,
    first: DomainError,
) -> list[dict[str, Any]]:
    """All tree problems, each on the row of the criterion it names (the total on its row,
    ranking settings on the parameter sheet)."""
    try:
        errors: list[DomainError] = list(SetContent.parse(content).problems()) or [first]
    except DomainError:
        errors = [first]
    out = []
    for exc in errors:
        m = re.match(r"^'([^']+)'", exc.detail)
        row = row_of.get(m.group(1)) if m else None
        where = CRITERIA_SHEET
        if m is None and exc.detail.startswith("tổng điểm"):
            row = total_row[0] if total_row else None
        elif m is None:
            where = PARAMS_SHEET
        out.append(_problem(where, row, exc))
    return out


def write_set(content: SetContent) -> tuple[list[str], list[list[Any]], list[list[Any]]]:
    """(header, criteria rows, parameter rows) in the published shape ``read_set`` reads."""
    header = [name for _, name, _ in COLUMNS]
    rows: list[list[Any]] = []
    kinds = {NodeKind.REGULAR: "", NodeKind.BONUS: "Thưởng", NodeKind.PENALTY: "Trừ"}
    for node in content.nodes:
        kind_cell, rule_cell = describe_rule(node.rule) if node.rule else ("", "")
        rows.append(
            [
                node.code,
                node.title,
                node.max_points,
                kind_cell,
                rule_cell,
                node.rule.source if node.rule else "",
                node.evidence,
                ", ".join(node.appraisers),
                kinds[node.kind] if node.level is Level.FIELD else "",
            ]
        )
    rows.append(["", "Tổng cộng", content.total_points, "", "", "", "", "", ""])
    names = {v: k for k, v in TIE_BREAK_NAMES.items()}
    params: list[list[Any]] = [["Tổng điểm", content.total_points]]
    params += [
        ["Nhóm", b.label, b.min_index] for b in sorted(content.bands, key=lambda b: -b.min_index)
    ]
    params.append(["Cách kết hợp", "cộng" if content.combination == "sum" else "tỉ trọng"])
    if content.survey_weight is not None:
        params.append(["Tỉ trọng điều tra", content.survey_weight])
    if content.tie_break:
        keys = [names.get(k) or f"lĩnh vực {k.removeprefix('field:')}" for k in content.tie_break]
        params.append(["Phân định bằng điểm", ", ".join(keys)])
    params.append(["Số chữ số thập phân", content.rank_precision])
    return header, rows, params
