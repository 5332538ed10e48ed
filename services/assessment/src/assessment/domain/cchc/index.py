"""The CCHC index of one unit, computed exactly (``Decimal``) from its appraised and survey points.

index = points obtained ÷ applicable maximum × 100, where a criterion declared not applicable to
the unit drops out of both (its maximum leaves the denominator). The set says how the appraised
part and the survey part combine:

- ``sum``: (appraised + survey + bonus − penalty) ÷ (appraised max + survey max) × 100;
- ``weighted`` (survey weight w): (appraised + bonus − penalty) ÷ appraised max × (100 − w)
  + survey ÷ survey max × w, so the survey keeps its weight whatever was excluded.

In a year without a survey (``survey_held=False``) the appraised part alone is rescaled to 100
(DOMAIN §5.2, Hà Nội: "without a survey the appraised self-score is rescaled to 100"). The index
is held to 0–100 (bonus points cannot lift it above 100). Field indices are each field's points
over its own applicable maximum (DOMAIN §5.1: sub-indices are % of their own maximum).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from assessment.domain.cchc.tree import SetContent
from assessment.domain.cchc.values import HUNDRED, ZERO, Method, NodeKind


@dataclass(frozen=True)
class UnitScores:
    """What the index needs of one unit: final points per leaf, and its exclusions."""

    unit_id: str
    name: str
    appraised: Mapping[str, Decimal]  # appraisal leaves (regular, bonus, penalty) → points
    survey: Mapping[str, Decimal] = field(default_factory=dict)  # survey leaves → points
    excluded: frozenset[str] = frozenset()
    self_scored: Mapping[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class IndexResult:
    unit_id: str
    name: str
    index: Decimal
    appraised_points: Decimal
    appraised_max: Decimal
    survey_points: Decimal
    survey_max: Decimal
    bonus: Decimal
    penalty: Decimal
    self_points: Decimal
    rescaled: bool
    field_indices: dict[str, Decimal | None]
    missing: tuple[str, ...]  # applicable leaves with no final score (counted as 0)


def _ratio(numerator: Decimal, denominator: Decimal) -> Decimal:
    return numerator / denominator * HUNDRED if denominator else ZERO


def compute_index(content: SetContent, scores: UnitScores, *, survey_held: bool) -> IndexResult:
    excluded = content.excluded_leaves(scores.excluded)
    totals = {
        (Method.APPRAISAL, NodeKind.REGULAR): ZERO,
        (Method.SURVEY, NodeKind.REGULAR): ZERO,
        (Method.APPRAISAL, NodeKind.BONUS): ZERO,
        (Method.APPRAISAL, NodeKind.PENALTY): ZERO,
    }
    self_total = ZERO
    field_points: dict[str, Decimal] = {}
    field_max: dict[str, Decimal] = {}
    missing: list[str] = []
    for leaf in content.leaves():
        if leaf.code in excluded:
            continue
        method = leaf.method or Method.APPRAISAL
        source = scores.survey if method is Method.SURVEY else scores.appraised
        got = source.get(leaf.code)
        if got is None:
            if method is Method.APPRAISAL or survey_held:
                missing.append(leaf.code)
            got = ZERO
        key = (method, leaf.kind)
        if key in totals:
            totals[key] += got
        if leaf.kind is NodeKind.REGULAR and (method is Method.APPRAISAL or survey_held):
            top = content.field_of(leaf.code).code
            field_points[top] = field_points.get(top, ZERO) + got
            field_max[top] = field_max.get(top, ZERO) + leaf.max_points
        if method is Method.APPRAISAL:
            mine = scores.self_scored.get(leaf.code, ZERO)
            self_total += -mine if leaf.kind is NodeKind.PENALTY else mine
    appraised = totals[(Method.APPRAISAL, NodeKind.REGULAR)]
    survey = totals[(Method.SURVEY, NodeKind.REGULAR)]
    bonus = totals[(Method.APPRAISAL, NodeKind.BONUS)]
    penalty = totals[(Method.APPRAISAL, NodeKind.PENALTY)]
    appraised_max = content.max_of(Method.APPRAISAL, scores.excluded)
    survey_max = content.max_of(Method.SURVEY, scores.excluded) if survey_held else ZERO
    adjusted = appraised + bonus - penalty
    rescaled = not survey_held and content.max_of(Method.SURVEY, ()) > 0
    if not survey_held or not survey_max:
        index = _ratio(adjusted, appraised_max)
    elif content.combination == "weighted":
        weight = content.survey_weight or ZERO
        index = (
            _ratio(adjusted, appraised_max) * (HUNDRED - weight) / HUNDRED
            + _ratio(survey, survey_max) * weight / HUNDRED
        )
    else:
        index = _ratio(adjusted + survey, appraised_max + survey_max)
    index = min(HUNDRED, max(ZERO, index))
    fields: dict[str, Decimal | None] = {}
    for root in content.roots():
        if root.kind is NodeKind.REGULAR:
            top_max = field_max.get(root.code, ZERO)
            fields[root.code] = _ratio(field_points[root.code], top_max) if top_max else None
    return IndexResult(
        unit_id=scores.unit_id,
        name=scores.name,
        index=index,
        appraised_points=appraised,
        appraised_max=appraised_max,
        survey_points=survey if survey_held else ZERO,
        survey_max=survey_max,
        bonus=bonus,
        penalty=penalty,
        self_points=self_total,
        rescaled=rescaled,
        field_indices=fields,
        missing=tuple(missing),
    )
