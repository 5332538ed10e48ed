"""The written form of a scoring rule, as provinces print it in the "cách chấm điểm" column.

Read and written the same way, so an exported set imports back unchanged:

- ``mức`` (options): ``Đúng hạn: 1; Trễ hạn: 0,5; Không ban hành: 0``
- ``có/không``: ``Có: 1; Không: 0``
- ``tỉ lệ`` (percent): ``Từ 90% trở lên: 2; Từ 70% đến dưới 90%: 1; Dưới 70%: 0`` — the
  phrases fix the boundaries: "từ A" holds A, "trên A" does not, "đến B" holds B, "đến dưới B"
  does not; "A%" alone is exactly A;
- ``số liệu`` (number, source in its own column): ``0: 2; Từ 1 đến 3: 1; Trên 3: 0``;
- ``điểm`` (free points): ``Bước 0,25`` (empty means 0,25);
- ``điều tra`` (survey): empty.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Any

from assessment.domain.cchc.errors import RuleInvalid
from assessment.domain.cchc.rules import Band, Rule
from assessment.domain.cchc.values import HUNDRED, ZERO, fmt, to_decimal
from assessment.domain.kernel.errors import ValidationFailed

KINDS = {
    "mức": "options",
    "muc": "options",
    "có/không": "yes_no",
    "co/khong": "yes_no",
    "tỉ lệ": "percent",
    "tỷ lệ": "percent",
    "ti le": "percent",
    "số liệu": "number",
    "so lieu": "number",
    "điểm": "points",
    "diem": "points",
    "điều tra": "survey",
    "dieu tra": "survey",
}
KIND_NAMES = {
    "options": "mức",
    "yes_no": "có/không",
    "percent": "tỉ lệ",
    "number": "số liệu",
    "points": "điểm",
    "survey": "điều tra",
}
_NUM = r"(\d+(?:[.,]\d+)?)"


def slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_only = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "_", ascii_only).strip("_") or "muc"


def _num(text: str) -> Decimal:
    return to_decimal(text, "số")


def _pairs(text: str) -> list[tuple[str, Decimal]]:
    out = []
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        label, sep, value = part.rpartition(":")
        value = re.sub(r"\s*điểm\s*$", "", value.strip(), flags=re.IGNORECASE)
        if not sep or not label.strip():
            raise RuleInvalid(f"'{part}': cần dạng 'mức: điểm'")
        try:
            out.append((label.strip(), _num(value)))
        except ValidationFailed:
            raise RuleInvalid(f"'{part}': điểm '{value}' không phải là số") from None
    if not out:
        raise RuleInvalid("cách chấm điểm để trống")
    return out


def _band(cond: str, pts: Decimal, percent: bool) -> Band:
    """One condition in the legal phrasing → an interval with exact inclusive/exclusive ends."""
    unit = "%" if percent else ""
    top = HUNDRED if percent else None
    c = re.sub(r"\s+", " ", cond.strip().lower()).replace(" %", "%")
    c = c.removeprefix("đạt ").removeprefix("có ")
    u = re.escape(unit)
    patterns: list[tuple[str, Any]] = [
        (rf"^(từ|trên) {_NUM}{u} đến (dưới )?{_NUM}{u}$", "range"),
        (rf"^(từ {_NUM}{u} trở lên|≥ ?{_NUM}{u})$", "ge"),
        (rf"^(trên {_NUM}{u}|> ?{_NUM}{u})$", "gt"),
        (rf"^(dưới {_NUM}{u}|< ?{_NUM}{u})$", "lt"),
        (rf"^(đến {_NUM}{u}|≤ ?{_NUM}{u})$", "le"),
        (rf"^{_NUM}{u}$", "eq"),
    ]
    for pattern, shape in patterns:
        m = re.match(pattern, c)
        if not m:
            continue
        nums = [g for g in m.groups() if g and re.fullmatch(_NUM, g)]
        if shape == "range":
            low, high = _num(nums[0]), _num(nums[1])
            return Band(low, m.group(1) == "từ", high, m.group(3) is None, pts)
        value = _num(nums[0])
        if shape == "ge":
            return Band(value, True, top, True, pts)
        if shape == "gt":
            return Band(value, False, top, True, pts)
        if shape == "lt":
            return Band(ZERO, True, value, False, pts)
        if shape == "le":
            return Band(ZERO, True, value, True, pts)
        return Band(value, True, value, True, pts)
    raise RuleInvalid(
        f"không hiểu điều kiện '{cond}' (dùng: 'từ A{unit} trở lên', 'từ A{unit} đến dưới "
        f"B{unit}', 'trên A{unit} đến B{unit}', 'dưới B{unit}', 'A{unit}')"
    )


def parse_rule(kind_text: str, text: str, source: str = "") -> dict[str, Any]:
    """The rule's dict form from its two cells (kind and written rule)."""
    kind = KINDS.get(re.sub(r"\s+", " ", (kind_text or "").strip().lower()))
    if kind is None:
        allowed = ", ".join(KIND_NAMES.values())
        raise RuleInvalid(f"kiểu chấm '{kind_text}' không có; chọn một trong: {allowed}")
    text = (text or "").strip()
    if kind in ("options", "yes_no"):
        pairs = _pairs(text)
        options = [{"code": slug(label), "label": label, "points": fmt(p)} for label, p in pairs]
        if kind == "yes_no":
            for option in options:
                if option["code"] not in ("co", "khong"):
                    raise RuleInvalid(
                        f"cách chấm có/không chỉ có 'Có' và 'Không', không có '{option['label']}'"
                    )
        return {"kind": kind, "options": options}
    if kind in ("percent", "number"):
        bands = [_band(label, p, kind == "percent").to_dict() for label, p in _pairs(text)]
        return {"kind": kind, "bands": bands, "source": source.strip()}
    if kind == "points":
        m = re.fullmatch(rf"(?:bước\s*)?{_NUM}?", text.lower())
        if m is None:
            raise RuleInvalid(f"cách chấm 'điểm' ghi 'Bước 0,25', không phải '{text}'")
        return {"kind": kind, "step": fmt(_num(m.group(1))) if m.group(1) else "0.25"}
    return {"kind": kind, "source": source.strip()}


def _describe_band(band: Band, percent: bool) -> str:
    u = "%" if percent else ""
    low = _vi(band.low)
    top = HUNDRED if percent else None
    if band.high is not None and band.low == band.high:
        return f"{low}{u}"
    if band.high == top and (top is None or band.high_inclusive):
        return f"Từ {low}{u} trở lên" if band.low_inclusive else f"Trên {low}{u}"
    high = _vi(band.high) if band.high is not None else ""
    if band.low == ZERO and band.low_inclusive:
        return f"Đến {high}{u}" if band.high_inclusive else f"Dưới {high}{u}"
    start = "Từ" if band.low_inclusive else "Trên"
    end = "đến" if band.high_inclusive else "đến dưới"
    return f"{start} {low}{u} {end} {high}{u}"


def _vi(value: Decimal) -> str:
    text = fmt(value)
    return text.replace(".", ",")


def describe_rule(rule: Rule) -> tuple[str, str]:
    """(kind cell, rule cell) in the form ``parse_rule`` reads."""
    name = KIND_NAMES[rule.kind]
    if rule.kind in ("options", "yes_no"):
        return name, "; ".join(f"{label}: {_vi(p)}" for _, label, p in rule.options)
    if rule.kind in ("percent", "number"):
        parts = [
            f"{_describe_band(b, rule.kind == 'percent')}: {_vi(b.points)}"
            for b in sorted(rule.bands, key=lambda b: b.low, reverse=True)
        ]
        return name, "; ".join(parts)
    if rule.kind == "points":
        return name, f"Bước {_vi(rule.step)}"
    return name, ""
