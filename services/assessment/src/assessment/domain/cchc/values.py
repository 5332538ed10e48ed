"""Values of the CCHC context: points as ``Decimal`` (never float), unit groups, evidence."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from assessment.domain.kernel.errors import ValidationFailed

HUNDRED = Decimal(100)
ZERO = Decimal(0)
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
MAX_TEXT = 20_000


def to_decimal(value: Any, what: str = "điểm") -> Decimal:
    """Read a number written as ``"0,5"``, ``"0.5"``, ``1`` or ``Decimal``; floats are refused.

    Vietnamese documents write the decimal comma; thousands separators do not occur in points.
    """
    if isinstance(value, bool):
        raise ValidationFailed(f"'{what}' phải là số, không phải đúng/sai")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str) and _NUMBER.match(value.strip()):
        try:
            result = Decimal(value.strip().replace(",", "."))
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            raise ValidationFailed(f"'{what}' không phải là số: '{value}'") from None
    elif isinstance(value, float):
        raise ValidationFailed(f"'{what}' phải ghi dạng chuỗi thập phân (không dùng float)")
    else:
        raise ValidationFailed(f"'{what}' không phải là số: '{value}'")
    if not result.is_finite():
        raise ValidationFailed(f"'{what}' phải là số hữu hạn")
    return result


def points(value: Any, what: str = "điểm") -> Decimal:
    """Points are non-negative decimals with at most two decimal places."""
    result = to_decimal(value, what)
    if result < 0:
        raise ValidationFailed(f"'{what}' không được âm")
    if result != result.quantize(Decimal("0.01")):
        raise ValidationFailed(f"'{what}' chỉ được có tối đa hai chữ số thập phân: {value}")
    return result


def fmt(value: Decimal) -> str:
    """Canonical text of a number in events and views: no exponent, no trailing zeros."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def plain_answer(answer: dict[str, Any]) -> dict[str, Any]:
    """An answer as events store it: numbers as canonical text, so nothing is a float."""
    if not isinstance(answer, dict):
        raise ValidationFailed("câu trả lời phải là một đối tượng")
    return {k: fmt(v) if isinstance(v, Decimal) else v for k, v in answer.items() if v is not None}


def fmt_vi(value: Decimal, places: int = 2) -> str:
    """Vietnamese display: decimal comma, e.g. ``89,45``."""
    return format(value.quantize(Decimal(1).scaleb(-places)), "f").replace(".", ",")


def clean_text(value: Any, what: str, *, required: bool = True) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ValidationFailed(f"'{what}' không được để trống")
    if len(text) > MAX_TEXT:
        raise ValidationFailed(f"'{what}' dài quá {MAX_TEXT} ký tự")
    return text


class Method(StrEnum):
    """How a component criterion gets its points: appraised from evidence, or from a survey."""

    APPRAISAL = "appraisal"  # thẩm định
    SURVEY = "survey"  # điều tra xã hội học


class NodeKind(StrEnum):
    REGULAR = "regular"
    BONUS = "bonus"  # điểm thưởng: added, not in the denominator
    PENALTY = "penalty"  # điểm trừ: subtracted, not in the denominator


class Level(StrEnum):
    FIELD = "field"  # lĩnh vực
    CRITERION = "criterion"  # tiêu chí
    COMPONENT = "component"  # tiêu chí thành phần


LEVEL_LABELS = {
    Level.FIELD: "Lĩnh vực",
    Level.CRITERION: "Tiêu chí",
    Level.COMPONENT: "Tiêu chí thành phần",
}


def block_code(value: Any) -> str:
    """A unit group (khối), e.g. ``so_nganh``, ``huyen``, ``xa``: lower-case code."""
    code = str(value or "").strip()
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,39}", code):
        raise ValidationFailed(f"mã khối '{code}' không hợp lệ (chữ thường, số, gạch dưới)")
    return code


@dataclass(frozen=True)
class EvidenceRef:
    """A document in the evidence store, named by its SHA-256 (the bytes are stored apart)."""

    name: str
    sha256: str
    size: int

    @classmethod
    def parse(cls, data: dict[str, Any]) -> EvidenceRef:
        name = str(data.get("name", "")).strip()
        digest = str(data.get("sha256", "")).strip().lower()
        size = data.get("size", 0)
        if not name or len(name) > 255 or "/" in name or "\\" in name:
            raise ValidationFailed(f"tên tài liệu kiểm chứng không hợp lệ: '{name}'")
        if not _SHA256.match(digest):
            raise ValidationFailed(f"sha256 của '{name}' phải là 64 ký tự hex")
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            raise ValidationFailed(f"kích thước của '{name}' phải là số nguyên không âm")
        return cls(name, digest, size)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "sha256": self.sha256, "size": self.size}


def evidence_list(raw: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    seen: set[str] = set()
    out = []
    for item in raw or []:
        ref = EvidenceRef.parse(item)
        if ref.sha256 not in seen:
            seen.add(ref.sha256)
            out.append(ref.to_dict())
    return out
