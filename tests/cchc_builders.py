"""Builders for CCHC tests: the demo set, actors, and answers that reach a chosen total.

``plan_answers`` is how the tests *construct* per-criterion scores: published results give
totals per unit (or only block averages), never the per-criterion answers, so the tests pick
answers through each criterion's real rule until the unit's total is exactly the one wanted.
"""

from __future__ import annotations

import itertools
from datetime import datetime
from decimal import Decimal
from typing import Any

from assessment.domain.cchc import demo, sheet
from assessment.domain.cchc.criteria_set import CriteriaSet
from assessment.domain.cchc.rules import Rule
from assessment.domain.cchc.tree import Node, SetContent
from assessment.domain.cchc.values import Method, NodeKind, fmt
from builders import at, evidence

HOME_AFFAIRS = {"subject": "snv.cchc", "role": "home_affairs", "acting_for": "SNV"}
UNIT_OFFICER = {"subject": "u.canbo", "role": "unit_officer", "acting_for": "U"}
UNIT_HEAD = {"subject": "u.giamdoc", "role": "unit_head", "acting_for": "U"}
JUSTICE = {"subject": "stp.thamdinh", "role": "sector_reviewer", "acting_for": "STP"}
COUNCIL = {"subject": "hd.chutich", "role": "home_affairs", "acting_for": "SNV"}
T0 = at("2021-01-04T08:00:00+07:00")
DEADLINE = "2021-01-15T17:00:00+07:00"


def demo_content(block: str = "so_nganh") -> dict[str, Any]:
    return sheet.read_set(demo.HEADER, demo.rows(), demo.params(block))


def published_set(
    block: str = "so_nganh",
    *,
    tenant: str = "t",
    year: int = 2020,
    content: dict[str, Any] | None = None,
) -> CriteriaSet:
    s = CriteriaSet.draft(
        tenant=tenant,
        actor=HOME_AFFAIRS,
        occurred_at=at("2020-03-01T08:00:00+07:00"),
        year=year,
        block=block,
        title=f"Bộ tiêu chí CCHC {block} {year}",
        content=content or demo_content(block),
    )
    s.publish(
        actor=HOME_AFFAIRS,
        occurred_at=at("2020-03-05T08:00:00+07:00"),
        decision_number="123/QĐ-UBND",
        decision_date="2020-03-05",
        signer="Chủ tịch UBND tỉnh",
    )
    return s


def outcomes(node: Node) -> list[Decimal]:
    rule = node.rule
    assert rule is not None
    if rule.kind in ("options", "yes_no"):
        return sorted({p for _, _, p in rule.options}, reverse=True)
    if rule.kind in ("percent", "number"):
        return sorted({b.points for b in rule.bands}, reverse=True)
    steps = int(node.max_points / rule.step)
    return [node.max_points - rule.step * i for i in range(steps + 1)]


def answer_for(rule: Rule, points: Decimal) -> dict[str, Any]:
    """An answer the rule turns into exactly ``points``."""
    if rule.kind == "options":
        return {"option": next(c for c, _, p in rule.options if p == points)}
    if rule.kind == "yes_no":
        return {"yes": dict((c, p) for c, _, p in rule.options)["co"] == points}
    if rule.kind in ("percent", "number"):
        band = next(b for b in rule.bands if b.points == points)
        if band.low_inclusive:
            value = band.low
        elif band.high is not None:
            value = (band.low + band.high) / 2
        else:
            value = band.low + 1
        return {"percent": fmt(value)} if rule.kind == "percent" else {"value": fmt(value)}
    if rule.kind == "points":
        return {"points": fmt(points)}
    raise AssertionError(rule.kind)


def plan_answers(content: SetContent, total: Decimal) -> dict[str, tuple[dict[str, Any], Decimal]]:
    """Answers per appraised leaf whose points add up to exactly ``total``."""
    leaves = [
        n for n in content.leaves() if n.method is Method.APPRAISAL and n.kind is NodeKind.REGULAR
    ]
    free = [n for n in leaves if n.rule is not None and n.rule.kind == "points"]
    fixed = [n for n in leaves if n not in free]
    deficit = sum((n.max_points for n in leaves), Decimal(0)) - total
    reserve = min(deficit, Decimal(2))
    chosen: dict[str, Decimal] = {}
    for node in fixed:
        best = node.max_points
        for value in outcomes(node):
            if node.max_points - value <= deficit - reserve:
                best = value
        chosen[node.code] = best
        deficit -= node.max_points - best
    for values in itertools.product(*(outcomes(n) for n in free)):
        if (
            sum((n.max_points - v for n, v in zip(free, values, strict=True)), Decimal(0))
            == deficit
        ):
            chosen.update({n.code: v for n, v in zip(free, values, strict=True)})
            break
    else:
        raise AssertionError(f"no answers reach {total}")
    out = {}
    for node in leaves:
        assert node.rule is not None
        out[node.code] = (answer_for(node.rule, chosen[node.code]), chosen[node.code])
    assert sum((p for _, p in out.values()), Decimal(0)) == total
    return out


def self_score_all(
    scoring: Any,
    criteria: CriteriaSet,
    answers: dict[str, tuple[dict[str, Any], Decimal]],
    when: datetime = T0,
) -> None:
    for i, (code, (answer, _)) in enumerate(answers.items()):
        kw: dict[str, Any] = (
            {"evidence": [evidence(f"{code}.pdf")]}
            if i % 3
            else {"explanation": f"Đơn vị tự chấm {code} theo báo cáo năm, chưa có văn bản."}
        )
        scoring.record_self_score(
            criteria=criteria, actor=UNIT_OFFICER, occurred_at=when, code=code, answer=answer, **kw
        )
