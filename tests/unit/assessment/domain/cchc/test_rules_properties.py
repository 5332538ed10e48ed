"""Property tests: any tiling of 0–100 % into bands places every value in exactly one band, and
its written form reads back to the same rule."""

from __future__ import annotations

import itertools
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.domain.cchc.rule_text import describe_rule, parse_rule
from assessment.domain.cchc.rules import Band, Rule

cuts = st.lists(st.integers(min_value=1, max_value=9999), min_size=0, max_size=5, unique=True)


@st.composite
def tilings(draw: st.DrawFn) -> Rule:
    bounds = [Decimal(0), *sorted(Decimal(c) / 100 for c in draw(cuts)), Decimal(100)]
    bands = []
    for i, (low, high) in enumerate(itertools.pairwise(bounds)):
        low_in = i == 0 or draw(st.booleans())
        bands.append([low, low_in, high])
    # the upper bound's inclusion is fixed by the next band's lower bound
    tiles = []
    for i, (low, low_in, high) in enumerate(bands):
        high_in = i == len(bands) - 1 or not bands[i + 1][1]
        tiles.append(Band(low, low_in, high, high_in, Decimal(len(bands) - 1 - i)))
    return Rule(kind="percent", bands=tuple(tiles))


@settings(max_examples=150, deadline=None)
@given(rule=tilings(), x=st.fractions(min_value=0, max_value=100))
def test_every_percentage_is_in_exactly_one_band(rule: Rule, x: Fraction) -> None:
    rule.validate(max(b.points for b in rule.bands))
    assert sum(1 for b in rule.bands if b.contains(x)) == 1
    for b in rule.bands:  # the bounds themselves too
        for edge in (Fraction(b.low), Fraction(b.high or 0)):
            assert sum(1 for c in rule.bands if c.contains(edge)) == 1


@settings(max_examples=150, deadline=None)
@given(rule=tilings())
def test_written_form_reads_back(rule: Rule) -> None:
    again = Rule.from_dict(parse_rule(*describe_rule(rule)))
    assert sorted(again.bands, key=lambda b: b.low) == sorted(rule.bands, key=lambda b: b.low)
