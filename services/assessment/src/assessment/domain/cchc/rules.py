"""Scoring rules of a component criterion, with exact arithmetic and exact boundaries.

Each rule turns an *answer* (what the unit or the appraiser states) into points:

- ``options``: named outcomes, e.g. on time 1; late 0,5; not issued 0 — answer ``{"option": c}``;
- ``yes_no``: answer ``{"yes": true|false}``;
- ``percent``: bands over 0–100 % that cover it exactly once, each bound inclusive or not, so
  "từ 70% đến dưới 90%" holds 70 but not 90 — answer ``{"percent": "90"}`` or
  ``{"numerator": 9, "denominator": 10}`` (compared as a fraction, never rounded first);
- ``number``: bands over a count read from data (e.g. overdue dossiers), 0 to unbounded, with
  the data ``source`` named — answer ``{"value": "3"}``;
- ``points``: the appraiser's judgement in steps (e.g. 0,25) up to the maximum —
  answer ``{"points": "1,5"}``;
- ``survey``: points = maximum × satisfaction % ÷ 100, rounded half up to 0,01 — answer
  ``{"percent": "85,3"}`` (from the survey import).

The best outcome of every rule must equal the criterion's maximum (checked), so a sheet whose
rule and maximum disagree is refused.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from assessment.domain.cchc.errors import RuleInvalid, ScoreOutsideRule
from assessment.domain.cchc.values import HUNDRED, ZERO, fmt, points, to_decimal
from assessment.domain.kernel.errors import ValidationFailed

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Band:
    """An interval of the answer with its points; ``high=None`` means unbounded."""

    low: Decimal
    low_inclusive: bool
    high: Decimal | None
    high_inclusive: bool
    points: Decimal

    def contains(self, x: Fraction) -> bool:
        low = Fraction(self.low)
        if x < low or (x == low and not self.low_inclusive):
            return False
        if self.high is None:
            return True
        high = Fraction(self.high)
        return x < high or (x == high and self.high_inclusive)

    def to_dict(self) -> dict[str, Any]:
        return {
            "low": fmt(self.low),
            "low_inclusive": self.low_inclusive,
            "high": None if self.high is None else fmt(self.high),
            "high_inclusive": self.high_inclusive,
            "points": fmt(self.points),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Band:
        high = data.get("high")
        return cls(
            low=to_decimal(data.get("low", "0"), "cận dưới"),
            low_inclusive=bool(data.get("low_inclusive", True)),
            high=None if high is None else to_decimal(high, "cận trên"),
            high_inclusive=bool(data.get("high_inclusive", False)),
            points=points(data.get("points"), "điểm của khoảng"),
        )


def _check_cover(bands: tuple[Band, ...], top: Decimal | None, what: str) -> None:
    """Bands sorted by ``low`` must tile [0, top] (or [0, ∞)) with no gap and no overlap."""
    if not bands:
        raise RuleInvalid(f"{what}: cần ít nhất một khoảng")
    ordered = sorted(bands, key=lambda b: b.low)
    if ordered[0].low != ZERO or not ordered[0].low_inclusive:
        raise RuleInvalid(f"{what}: khoảng đầu tiên phải bắt đầu từ 0 (tính cả 0)")
    for prev, nxt in itertools.pairwise(ordered):
        if prev.high is None:
            raise RuleInvalid(f"{what}: khoảng không giới hạn trên phải là khoảng cuối")
        if prev.high != nxt.low:
            raise RuleInvalid(
                f"{what}: các khoảng bị hở hoặc chồng nhau ở {fmt(prev.high)} / {fmt(nxt.low)}"
            )
        if prev.high_inclusive == nxt.low_inclusive:
            state = "thuộc cả hai khoảng" if prev.high_inclusive else "không thuộc khoảng nào"
            raise RuleInvalid(f"{what}: giá trị {fmt(prev.high)} {state}")
    for band in ordered:
        if band.high is not None and (
            band.high < band.low or (band.high == band.low and not band.high_inclusive)
        ):
            raise RuleInvalid(f"{what}: khoảng rỗng từ {fmt(band.low)} đến {fmt(band.high)}")
    last = ordered[-1]
    if top is None:
        if last.high is not None:
            raise RuleInvalid(f"{what}: khoảng cuối phải không giới hạn trên ('trở lên')")
    elif last.high != top or not last.high_inclusive:
        raise RuleInvalid(f"{what}: khoảng cuối phải kết thúc ở {fmt(top)} (tính cả {fmt(top)})")


def _percent_of(answer: dict[str, Any]) -> Fraction:
    if "numerator" in answer or "denominator" in answer:
        num, den = answer.get("numerator"), answer.get("denominator")
        if not isinstance(num, int) or not isinstance(den, int) or isinstance(num, bool):
            raise ScoreOutsideRule("tử số và mẫu số phải là số nguyên")
        if den <= 0 or num < 0 or num > den:
            raise ScoreOutsideRule(f"tỉ lệ {num}/{den} không hợp lệ (0 ≤ tử ≤ mẫu, mẫu > 0)")
        return Fraction(num * 100, den)
    if "percent" not in answer:
        raise ScoreOutsideRule("cần 'percent' hoặc 'numerator' và 'denominator'")
    try:
        value = to_decimal(answer["percent"], "tỉ lệ %")
    except ValidationFailed as exc:
        raise ScoreOutsideRule(exc.detail) from None
    if not ZERO <= value <= HUNDRED:
        raise ScoreOutsideRule(f"tỉ lệ phải trong khoảng 0–100 %, không phải {fmt(value)}")
    return Fraction(value)


@dataclass(frozen=True)
class Rule:
    kind: str
    options: tuple[tuple[str, str, Decimal], ...] = ()  # (code, label, points)
    bands: tuple[Band, ...] = ()
    source: str = ""
    step: Decimal = CENT

    # ------------------------------------------------------------ construction
    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Rule:
        kind = str(data.get("kind", ""))
        if kind in ("options", "yes_no"):
            raw = data.get("options") or []
            if kind == "yes_no" and not raw:
                raw = [
                    {"code": "co", "label": "Có", "points": data.get("yes", "0")},
                    {"code": "khong", "label": "Không", "points": data.get("no", "0")},
                ]
            opts = []
            for item in raw:
                code = str(item.get("code", "")).strip()
                if not code:
                    raise RuleInvalid("mỗi mức chấm cần một mã")
                label = str(item.get("label") or code).strip()
                opts.append((code, label, points(item.get("points"), f"điểm của mức '{label}'")))
            return cls(kind=kind, options=tuple(opts))
        if kind in ("percent", "number"):
            bands = tuple(Band.from_dict(b) for b in data.get("bands") or [])
            return cls(kind=kind, bands=bands, source=str(data.get("source") or "").strip())
        if kind == "points":
            return cls(kind=kind, step=points(data.get("step", "0.25"), "bước điểm"))
        if kind == "survey":
            return cls(kind=kind, source=str(data.get("source") or "").strip())
        raise RuleInvalid(
            f"loại cách chấm '{kind}' không có; chọn: options, yes_no, percent, number, "
            "points, survey"
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind}
        if self.kind in ("options", "yes_no"):
            out["options"] = [
                {"code": c, "label": lb, "points": fmt(p)} for c, lb, p in self.options
            ]
        elif self.kind in ("percent", "number"):
            out["bands"] = [b.to_dict() for b in sorted(self.bands, key=lambda b: b.low)]
            if self.source:
                out["source"] = self.source
        elif self.kind == "points":
            out["step"] = fmt(self.step)
        elif self.source:
            out["source"] = self.source
        return out

    # ------------------------------------------------------------ checks
    def best(self, max_points: Decimal) -> Decimal:
        if self.kind in ("options", "yes_no"):
            return max(p for _, _, p in self.options)
        if self.kind in ("percent", "number"):
            return max(b.points for b in self.bands)
        return max_points

    def validate(self, max_points: Decimal) -> None:
        if self.kind in ("options", "yes_no"):
            if len(self.options) < 2:
                raise RuleInvalid("cần ít nhất hai mức chấm")
            codes = [c for c, _, _ in self.options]
            if len(set(codes)) != len(codes):
                raise RuleInvalid("mã mức chấm bị trùng")
            if self.kind == "yes_no" and sorted(codes) != ["co", "khong"]:
                raise RuleInvalid("cách chấm có/không cần đúng hai mức 'co' và 'khong'")
        elif self.kind == "percent":
            _check_cover(self.bands, HUNDRED, "khoảng tỉ lệ %")
        elif self.kind == "number":
            _check_cover(self.bands, None, "khoảng số liệu")
            if not self.source:
                raise RuleInvalid("cách chấm theo số liệu cần nêu nguồn số liệu")
        elif self.kind == "points" and (self.step <= 0 or max_points % self.step != 0):
            raise RuleInvalid(f"bước điểm {fmt(self.step)} phải chia hết điểm tối đa")
        best = self.best(max_points)
        if best != max_points:
            raise RuleInvalid(
                f"điểm cao nhất của cách chấm ({fmt(best)}) khác điểm tối đa ({fmt(max_points)})"
            )

    # ------------------------------------------------------------ scoring
    def score(self, answer: dict[str, Any], max_points: Decimal) -> Decimal:
        """Points for ``answer``; ``ScoreOutsideRule`` if the answer does not fit the rule."""
        if not isinstance(answer, dict):
            raise ScoreOutsideRule("câu trả lời phải là một đối tượng")
        if self.kind == "options":
            code = str(answer.get("option", ""))
            for c, _, p in self.options:
                if c == code:
                    return p
            allowed = ", ".join(c for c, _, _ in self.options)
            raise ScoreOutsideRule(f"mức '{code}' không có; chọn một trong: {allowed}")
        if self.kind == "yes_no":
            yes = answer.get("yes")
            if not isinstance(yes, bool):
                raise ScoreOutsideRule("cần 'yes': true hoặc false")
            return dict((c, p) for c, _, p in self.options)["co" if yes else "khong"]
        if self.kind in ("percent", "number"):
            if self.kind == "percent":
                x = _percent_of(answer)
            else:
                try:
                    value = to_decimal(answer.get("value"), "số liệu")
                except ValidationFailed as exc:
                    raise ScoreOutsideRule(exc.detail) from None
                if value < 0:
                    raise ScoreOutsideRule("số liệu không được âm")
                x = Fraction(value)
            for band in self.bands:
                if band.contains(x):
                    return band.points
            raise ScoreOutsideRule("giá trị không thuộc khoảng nào")  # pragma: no cover
        if self.kind == "points":
            try:
                given = points(answer.get("points"), "điểm")
            except ValidationFailed as exc:
                raise ScoreOutsideRule(exc.detail) from None
            if given > max_points or given % self.step != 0:
                raise ScoreOutsideRule(
                    f"điểm {fmt(given)} phải từ 0 đến {fmt(max_points)}, bước {fmt(self.step)}"
                )
            return given
        # survey
        share = _percent_of(answer)
        exact = Decimal(share.numerator) / Decimal(share.denominator) * max_points / HUNDRED
        return exact.quantize(CENT, rounding=ROUND_HALF_UP)
