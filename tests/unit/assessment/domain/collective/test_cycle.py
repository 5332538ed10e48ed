"""Cycle planning: content groups and deadlines."""

from __future__ import annotations

import uuid

import pytest

from assessment.domain.collective.cycle import Cycle, cycle_id_for
from assessment.domain.collective.values import Step, deadline_instant
from assessment.domain.kernel.errors import ValidationFailed
from builders import ACTOR, at


def plan(**kw: object) -> Cycle:
    args: dict[str, object] = dict(
        tenant="t",
        actor=ACTOR,
        occurred_at=at("2024-10-01T00:00Z"),
        year=2024,
        title=None,
        plan_reference="KH 1/KH-UBND",
        content_groups=None,
        deadlines=None,
    )
    args.update(kw)
    return Cycle.plan(**args)  # type: ignore[arg-type]


def test_one_cycle_per_tenant_and_year() -> None:
    assert plan().id == cycle_id_for("t", 2024)
    assert cycle_id_for("t", 2024) != cycle_id_for("u", 2024)


def test_custom_deadline_overrides_the_template() -> None:
    c = plan(deadlines={"self_assessment": "2024-12-31"})
    assert c.deadlines["self_assessment"] == "2024-12-31"
    assert c.deadlines["sector_review"] == "2024-11-10"


@pytest.mark.parametrize(
    "bad",
    [{"publication": "2024-12-01"}, {"nope": "2024-12-01"}, {"self_assessment": "31/12/2024"}],
)
def test_bad_deadlines_are_refused(bad: dict[str, str]) -> None:
    with pytest.raises(ValidationFailed):
        plan(deadlines=bad)


def test_duplicate_content_group_codes_are_refused() -> None:
    with pytest.raises(ValidationFailed, match="trùng"):
        plan(content_groups=[{"code": "a", "title": "A"}, {"code": "a", "title": "B"}])


def test_deadline_is_the_end_of_the_day_in_vietnam() -> None:
    c = plan()
    assert c.deadline_for(Step.SELF_ASSESSMENT) == at("2024-12-10T17:00:00Z")
    assert deadline_instant(at("2024-12-10T00:00Z").date()).utcoffset() is not None


def test_enrolling_twice_is_a_no_op() -> None:
    c = plan()
    u = uuid.uuid4()
    assert c.enrol(actor=ACTOR, occurred_at=at("2024-10-02T00:00Z"), unit_ids=[u, u]) == [u]
    assert c.enrol(actor=ACTOR, occurred_at=at("2024-10-02T00:00Z"), unit_ids=[u]) == []
    assert c.unit_ids == [str(u)]
