"""Survey results per unit, read from plain rows (the XLSX adapter hands over the cells).

Header: Mã đơn vị | Tên đơn vị | Số phiếu | then one column per surveyed criterion, named by its
STT (e.g. "26", "27"), holding the satisfaction percentage (0–100, decimal comma allowed). Every
problem names its row; a file with any problem stores nothing.
"""

from __future__ import annotations

from typing import Any

from assessment.domain.cchc.errors import SheetRejected
from assessment.domain.cchc.sheet import _cell, norm
from assessment.domain.cchc.tree import SetContent
from assessment.domain.cchc.values import HUNDRED, ZERO, Method, fmt, to_decimal
from assessment.domain.kernel.errors import DomainError, ValidationFailed

SURVEY_SHEET = "Kết quả điều tra"
UNIT_COLUMN = "mã đơn vị"
RESPONDENTS_COLUMN = "số phiếu"


def read_survey(
    header: list[Any],
    rows: list[tuple[int, list[Any]]],
    content: SetContent,
    known_units: set[str],
) -> dict[str, dict[str, dict[str, Any]]]:
    """unit code → surveyed criterion → {"percent", "respondents"}."""
    problems: list[dict[str, Any]] = []

    def problem(row: int | None, detail: str) -> None:
        problems.append(
            {"sheet": SURVEY_SHEET, "row": row, "code": SheetRejected.code, "detail": detail}
        )

    names = [norm(h) for h in header]
    surveyed = {n.code for n in content.leaves() if n.method is Method.SURVEY}
    if UNIT_COLUMN not in names:
        problem(1, "thiếu cột 'Mã đơn vị'")
        raise SheetRejected(problems)
    unit_at = names.index(UNIT_COLUMN)
    votes_at = names.index(RESPONDENTS_COLUMN) if RESPONDENTS_COLUMN in names else None
    columns: dict[str, int] = {}
    for i, raw in enumerate(header):
        code = _cell(raw).removeprefix("TC ").strip()
        if i in (unit_at, votes_at) or norm(raw) == "tên đơn vị" or not code:
            continue
        if code not in surveyed:
            problem(1, f"cột '{raw}' không phải tiêu chí điều tra xã hội học của bộ tiêu chí")
        else:
            columns[code] = i
    if not columns and not problems:
        problem(1, "không có cột nào cho tiêu chí điều tra xã hội học")
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for number, cells in rows:
        values = [_cell(c) for c in cells]
        if not any(values):
            continue
        unit = values[unit_at] if unit_at < len(values) else ""
        try:
            if unit not in known_units:
                raise ValidationFailed(f"mã đơn vị '{unit}' không có trong khối")
            if unit in out:
                raise ValidationFailed(f"đơn vị '{unit}' xuất hiện hai lần")
            votes = None
            if votes_at is not None and votes_at < len(values) and values[votes_at]:
                count = to_decimal(values[votes_at], "số phiếu")
                if count != count.to_integral_value() or count < 0:
                    raise ValidationFailed("số phiếu phải là số nguyên không âm")
                votes = int(count)
            results = {}
            for code, at in columns.items():
                percent = to_decimal(values[at] if at < len(values) else "", f"tỉ lệ cột {code}")
                if not ZERO <= percent <= HUNDRED:
                    raise ValidationFailed(f"tỉ lệ cột {code} phải trong 0–100 %")
                results[code] = {"percent": fmt(percent), "respondents": votes}
            out[unit] = results
        except DomainError as exc:
            problem(number, exc.detail)
    if problems:
        raise SheetRejected(problems)
    return out
