"""Dates are bounded, and the same way when a cycle is planned and when a deadline changes
(issue 9, item 5: a deadline of 9999-12-31 was accepted by the change and broke the board)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from assessment.application.collective.commands import ChangeDeadline, PlanCycle


def plan(deadline: str) -> PlanCycle:
    return PlanCycle.model_validate(
        {"year": 2026, "plan_reference": "KH 1", "deadlines": {"self_assessment": deadline}}
    )


def change(deadline: str) -> ChangeDeadline:
    return ChangeDeadline.model_validate(
        {"step": "self_assessment", "deadline": deadline, "reason": "Lùi hạn"}
    )


@pytest.mark.parametrize("make", [plan, change])
@pytest.mark.parametrize("bad", ["9999-12-31", "2101-01-01", "1899-12-31"])
def test_out_of_range_deadline_refused_at_creation_and_change(make, bad):
    with pytest.raises(ValidationError) as err:
        make(bad)
    assert "Ngày phải trong khoảng" in str(err.value)


@pytest.mark.parametrize("make", [plan, change])
@pytest.mark.parametrize("good", ["2026-12-15", "2100-12-31", "1900-01-01"])
def test_in_range_deadline_accepted_and_sent_as_iso(make, good):
    cmd = make(good)
    dumped = cmd.model_dump(mode="json")
    assert good in str(dumped)
