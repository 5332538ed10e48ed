"""Ranking within one block: order, ties, bands — as the criteria set defines them.

- The index is rounded half up to the set's ``rank_precision`` (2 by default: the figure a
  province publishes, e.g. 89,45 %) and units are ordered on that figure, high → low.
- Equal figures are separated by the set's tie-break keys, in order: ``appraised_points``
  (more first), ``survey_points`` (more first), ``self_gap`` (smaller |self − appraised| first),
  ``field:<code>`` (higher field index first). Units still equal share a rank ("1, 2, 2, 4") and
  are reported as tied; a set with no tie-break keys reports every equal figure as a tie.
- The band is read on the same rounded figure: lower bounds inclusive, so with "Nhóm I từ 90 %
  trở lên" and "Nhóm II từ 80 % đến dưới 90 %" exactly 90,00 is Nhóm I.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from assessment.domain.cchc.index import IndexResult
from assessment.domain.cchc.tree import RankBand, SetContent

LOWEST = Decimal(-1)


@dataclass(frozen=True)
class RankedRow:
    result: IndexResult
    published_index: Decimal
    rank: int
    band: RankBand | None
    tied_with: tuple[str, ...]  # unit ids sharing this rank
    separated_by: str | None  # the tie-break key that placed it below an equal figure


def published_index(result: IndexResult, precision: int) -> Decimal:
    return result.index.quantize(Decimal(1).scaleb(-precision), rounding=ROUND_HALF_UP)


def _key_value(result: IndexResult, key: str) -> Decimal:
    """Larger is better for every key (the gap is negated)."""
    if key == "appraised_points":
        return result.appraised_points + result.bonus - result.penalty
    if key == "survey_points":
        return result.survey_points
    if key == "self_gap":
        return -abs(result.self_points - (result.appraised_points + result.bonus - result.penalty))
    value = result.field_indices.get(key.removeprefix("field:"))
    return LOWEST if value is None else value


def rank(content: SetContent, results: list[IndexResult]) -> list[RankedRow]:
    precision = content.rank_precision
    keys = content.tie_break

    keyed = [
        (r, (published_index(r, precision), *(_key_value(r, k) for k in keys))) for r in results
    ]
    keyed.sort(key=lambda pair: (tuple(-v for v in pair[1]), pair[0].name, pair[0].unit_id))
    groups: list[list[tuple[IndexResult, tuple[Decimal, ...]]]] = []
    for pair in keyed:
        if groups and groups[-1][0][1] == pair[1]:
            groups[-1].append(pair)
        else:
            groups.append([pair])
    rows: list[RankedRow] = []
    for group in groups:
        head, key = group[0]
        separated_by = None
        if rows:
            above = rows[-1].result
            if published_index(above, precision) == key[0]:
                separated_by = next(
                    (k for k in keys if _key_value(above, k) != _key_value(head, k)), None
                )
        ids = tuple(r.unit_id for r, _ in group) if len(group) > 1 else ()
        position = len(rows)
        for member, _ in group:
            rows.append(
                RankedRow(
                    result=member,
                    published_index=key[0],
                    rank=position + 1,
                    band=content.band_for(key[0]),
                    tied_with=tuple(i for i in ids if i != member.unit_id),
                    separated_by=separated_by,
                )
            )
    return rows
