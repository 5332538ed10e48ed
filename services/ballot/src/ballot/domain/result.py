"""The published result: per person voted on, the counts and the 96-QĐ/TW figures.

For each person: summoned, issued (codes handed out = public credentials), returned (counted
ballots, one per credential that voted), invalid (ballots that ticked the "no assessment" box,
when the election offers it), valid, and per level the count and the percentage over the
configured base (returned, valid or summoned; 2 decimals, half up, as a string). Flags: quorum
(participation ≥ the configured fraction of summoned, 2/3 by default), low confidence > 1/2 and
low confidence ≥ 2/3 of the same base. All comparisons are exact (integers), never floats.

A vote below quorum is **invalid** (DOMAIN.md §4): the report says so (``valid: false``,
``invalid_reason: "quorum_not_met"``) and publishes no consequence flag — the two
low-confidence flags are ``null``, because an invalid vote triggers no consequence. The counts
stay (they are what the board decrypted, and anyone can check them).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ballot.domain.election import ElectionConfig


QUORUM_NOT_MET = "quorum_not_met"


def percent(count: int, base: int) -> str | None:
    if base <= 0:
        return None
    value = (Decimal(count) * 100 / Decimal(base)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return str(value)


def build_report(
    config: ElectionConfig, counts: tuple[tuple[int, ...], ...], counted: int, issued: int
) -> dict[str, Any]:
    num, den = config.quorum
    quorum_met = counted * den >= num * config.summoned
    levels = config.levels
    persons = []
    for person, row in zip(config.persons, counts, strict=True):
        invalid = row[len(levels)] if config.allow_blank else 0
        valid = counted - invalid
        base = {"returned": counted, "valid": valid, "summoned": config.summoned}[
            config.percent_base
        ]
        low = row[len(levels) - 1]
        persons.append(
            {
                "id": person.id,
                "name": person.name,
                "position": person.position,
                "summoned": config.summoned,
                "issued": issued,
                "returned": counted,
                "valid": valid,
                "invalid": invalid,
                "levels": [
                    {"label": label, "count": row[i], "percent": percent(row[i], base)}
                    for i, label in enumerate(levels)
                ],
                "percent_base": config.percent_base,
                "base": base,
                "low_label": levels[-1],
                "low_over_half": (base > 0 and 2 * low > base) if quorum_met else None,
                "low_at_least_two_thirds": (base > 0 and 3 * low >= 2 * base)
                if quorum_met
                else None,
            }
        )
    return {
        "valid": quorum_met,
        "invalid_reason": None if quorum_met else QUORUM_NOT_MET,
        "scale": config.scale,
        "summoned": config.summoned,
        "issued": issued,
        "returned": counted,
        "quorum": {
            "fraction": f"{num}/{den}",
            "participants": counted,
            "required": -(-num * config.summoned // den),
            "met": quorum_met,
        },
        "percent_base": config.percent_base,
        "persons": persons,
    }
