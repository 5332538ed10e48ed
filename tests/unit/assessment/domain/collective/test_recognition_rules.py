"""Recognition rules found missing (issue 9, item 5): the decision's date is not in the future
(Vietnam time) and not before the caucus review; a recognised level other than the one put
forward (the last adjustment, else Home Affairs' level) needs a reason. Each refusal has its
own stable code and changes nothing."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from assessment.domain.collective.cycle import Cycle
from assessment.domain.collective.errors import (
    DecisionBeforeCaucusReview,
    DecisionDateInFuture,
    RecognitionReasonRequired,
)
from assessment.domain.collective.unit_assessment import UnitAssessment
from assessment.domain.collective.values import Step
from builders import ACTOR, at, thorough_groups

CODES = ["tham_muu", "nhiem_vu", "ky_luat"]


@pytest.fixture
def ready() -> UnitAssessment:
    """A unit through the caucus review (05/01/2014 10:00, Vietnam time), level 'good'."""
    cycle = Cycle.plan(
        tenant="dong-nai",
        actor=ACTOR,
        occurred_at=at("2013-10-01T08:00+07:00"),
        year=2013,
        title=None,
        plan_reference="KH",
        content_groups=None,
        deadlines=None,
    )
    ua = UnitAssessment.open(
        tenant="dong-nai",
        actor=ACTOR,
        occurred_at=at("2013-10-01T08:00+07:00"),
        cycle_id=cycle.id,
        unit_id=uuid.uuid4(),
        year=2013,
    )
    ua.submit_self_assessment(
        actor=ACTOR,
        occurred_at=at("2013-12-05T10:00+07:00"),
        deadline=cycle.deadline_for(Step.SELF_ASSESSMENT),
        group_codes=CODES,
        groups=thorough_groups(),
        proposed_level="hoan_thanh_tot",
    )
    ua.consolidate(
        actor=ACTOR,
        occurred_at=at("2013-12-28T10:00+07:00"),
        deadline=None,
        summary="Tổng hợp",
        proposed_level="hoan_thanh_tot",
    )
    ua.review_by_caucus(
        actor=ACTOR,
        occurred_at=at("2014-01-05T10:00+07:00"),
        deadline=None,
        comment="Thống nhất",
        proposed_level=None,
    )
    return ua


def recognise(ua: UnitAssessment, *, now: str, day: str, level: str, **kw: Any) -> None:
    ua.recognise(
        actor=ACTOR,
        occurred_at=at(now),
        deadline=None,
        decision_number="125/QĐ-UBND",
        decision_date=day,
        signer="Chủ tịch",
        level=level,
        **kw,
    )


def test_a_decision_dated_after_today_in_vietnam_is_refused(ready: UnitAssessment) -> None:
    version = ready.version
    with pytest.raises(DecisionDateInFuture) as refused:
        recognise(ready, now="2014-01-09T10:00+07:00", day="2014-01-10", level="hoan_thanh_tot")
    assert refused.value.code == "collective.decision_date_in_future"
    assert "10/01/2014" in refused.value.detail
    assert ready.version == version and ready.recognition is None
    # 18:00 UTC on 9 January is already 10 January in Vietnam: that day is today, accepted
    recognise(ready, now="2014-01-09T18:00+00:00", day="2014-01-10", level="hoan_thanh_tot")
    assert ready.recognition is not None


def test_a_decision_dated_before_the_caucus_review_is_refused(ready: UnitAssessment) -> None:
    with pytest.raises(DecisionBeforeCaucusReview) as refused:
        recognise(ready, now="2014-01-09T10:00+07:00", day="2014-01-04", level="hoan_thanh_tot")
    assert refused.value.code == "collective.decision_before_caucus_review"
    assert "05/01/2014" in refused.value.detail
    # the caucus's own day is fine
    recognise(ready, now="2014-01-09T10:00+07:00", day="2014-01-05", level="hoan_thanh_tot")


def test_a_level_other_than_the_adjusted_one_needs_a_reason(ready: UnitAssessment) -> None:
    ready.adjust_level(
        actor=ACTOR,
        occurred_at=at("2014-01-06T10:00+07:00"),
        level="hoan_thanh_xuat_sac",
        reason="Ban cán sự đề nghị",
    )
    for reason in (None, "   "):
        with pytest.raises(RecognitionReasonRequired) as refused:
            recognise(
                ready,
                now="2014-01-09T10:00+07:00",
                day="2014-01-09",
                level="hoan_thanh_tot",
                reason=reason,
            )
        assert refused.value.code == "collective.recognition_reason_required"
        assert "hoan_thanh_xuat_sac" in refused.value.detail
    assert ready.recognition is None
    recognise(
        ready,
        now="2014-01-09T10:00+07:00",
        day="2014-01-09",
        level="hoan_thanh_tot",
        reason="Chủ tịch giữ mức Ban cán sự đề nghị ban đầu",
    )
    assert ready.recognition is not None
    assert ready.recognition["reason"] == "Chủ tịch giữ mức Ban cán sự đề nghị ban đầu"


def test_the_level_put_forward_needs_no_reason(ready: UnitAssessment) -> None:
    recognise(ready, now="2014-01-09T10:00+07:00", day="2014-01-09", level="hoan_thanh_tot")
    assert ready.recognition is not None and ready.recognition["reason"] is None
