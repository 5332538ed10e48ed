"""Rules of the five steps (seed 001) on the UnitAssessment aggregate, no servers."""

from __future__ import annotations

import uuid

import pytest

from assessment.domain.collective.cycle import Cycle
from assessment.domain.collective.unit_assessment import UnitAssessment
from assessment.domain.collective.values import Step
from assessment.domain.kernel.errors import (
    NothingToReopen,
    ReasonRequired,
    StepClosed,
    StepOrderViolation,
    ValidationFailed,
)
from builders import ACTOR, at, thorough_groups

CODES = ["tham_muu", "nhiem_vu", "ky_luat"]


@pytest.fixture
def cycle() -> Cycle:
    return Cycle.plan(
        tenant="dong-nai",
        actor=ACTOR,
        occurred_at=at("2013-10-01T09:00+07:00"),
        year=2013,
        title=None,
        plan_reference="KH 2013",
        content_groups=None,
        deadlines=None,
    )


@pytest.fixture
def ua(cycle: Cycle) -> UnitAssessment:
    return UnitAssessment.open(
        tenant="dong-nai",
        actor=ACTOR,
        occurred_at=at("2013-10-01T09:00+07:00"),
        cycle_id=cycle.id,
        unit_id=uuid.uuid4(),
        year=2013,
    )


def submit_self(ua: UnitAssessment, cycle: Cycle, when: str = "2013-12-05T10:00+07:00") -> None:
    ua.submit_self_assessment(
        actor=ACTOR,
        occurred_at=at(when),
        deadline=cycle.deadline_for(Step.SELF_ASSESSMENT),
        group_codes=CODES,
        groups=thorough_groups(),
        proposed_level="hoan_thanh_tot",
    )


def consolidate(ua: UnitAssessment, cycle: Cycle) -> None:
    ua.consolidate(
        actor=ACTOR,
        occurred_at=at("2013-12-28T10:00+07:00"),
        deadline=cycle.deadline_for(Step.CONSOLIDATION),
        summary="Tổng hợp",
        proposed_level="hoan_thanh_tot",
    )


def caucus(ua: UnitAssessment, cycle: Cycle) -> None:
    ua.review_by_caucus(
        actor=ACTOR,
        occurred_at=at("2014-01-05T10:00+07:00"),
        deadline=cycle.deadline_for(Step.CAUCUS_REVIEW),
        comment="Thống nhất",
        proposed_level=None,
    )


def test_seed_001_deadlines_are_the_default_template(cycle: Cycle) -> None:
    assert cycle.deadlines == {
        "sector_review": "2013-11-10",
        "self_assessment": "2013-12-10",
        "member_review": "2013-12-10",
        "consolidation": "2013-12-31",
        "caucus_review": "2014-01-10",
        "recognition": "2014-01-10",
    }
    assert [g["code"] for g in cycle.content_groups] == CODES


def test_self_assessment_on_time_is_not_late(ua: UnitAssessment, cycle: Cycle) -> None:
    submit_self(ua, cycle, "2013-12-10T23:59+07:00")
    assert ua.self_assessment is not None
    assert ua.self_assessment["late_by_seconds"] == 0


def test_late_submission_is_accepted_and_marked_with_lateness(
    ua: UnitAssessment, cycle: Cycle
) -> None:
    submit_self(ua, cycle, "2013-12-12T10:00+07:00")
    assert ua.self_assessment is not None
    # deadline = end of 10/12 Vietnam time; 1 day 10 hours late
    assert ua.self_assessment["late_by_seconds"] == 34 * 3600


def test_second_self_assessment_is_refused_as_closed(ua: UnitAssessment, cycle: Cycle) -> None:
    submit_self(ua, cycle)
    with pytest.raises(StepClosed):
        submit_self(ua, cycle)


def test_self_assessment_must_cover_every_content_group(ua: UnitAssessment, cycle: Cycle) -> None:
    groups = thorough_groups(("tham_muu", "nhiem_vu"))
    with pytest.raises(ValidationFailed, match="ky_luat"):
        ua.submit_self_assessment(
            actor=ACTOR,
            occurred_at=at("2013-12-01T10:00+07:00"),
            deadline=None,
            group_codes=CODES,
            groups=groups,
            proposed_level="hoan_thanh",
        )
    assert ua.self_assessment is None
    assert ua.collect_events()[-1].__class__ is UnitAssessment.Opened


def test_evidence_needs_a_sha256(ua: UnitAssessment) -> None:
    groups = thorough_groups()
    groups["ky_luat"]["evidence"] = [{"name": "x.pdf", "sha256": "abc", "size": 1}]
    with pytest.raises(ValidationFailed, match="sha256"):
        ua.submit_self_assessment(
            actor=ACTOR,
            occurred_at=at("2013-12-01T10:00+07:00"),
            deadline=None,
            group_codes=CODES,
            groups=groups,
            proposed_level="hoan_thanh",
        )


def test_perfunctory_signals_for_a_report_without_limitations_or_evidence(
    ua: UnitAssessment,
) -> None:
    groups = {c: {"results": "Hoàn thành.", "limitations": "", "evidence": []} for c in CODES}
    ua.submit_self_assessment(
        actor=ACTOR,
        occurred_at=at("2013-12-01T10:00+07:00"),
        deadline=None,
        group_codes=CODES,
        groups=groups,
        proposed_level="hoan_thanh_xuat_sac",
    )
    assert ua.self_assessment is not None
    signals = ua.self_assessment["perfunctory_signals"]
    assert "ky_luat: không nêu hạn chế" in signals
    assert "tham_muu: không có tài liệu kiểm chứng" in signals
    assert len(signals) == 9


def test_consolidation_needs_the_self_assessment(ua: UnitAssessment, cycle: Cycle) -> None:
    with pytest.raises(StepOrderViolation):
        consolidate(ua, cycle)


def test_consolidation_records_missing_sources_and_closes_steps_1_to_3(
    ua: UnitAssessment, cycle: Cycle
) -> None:
    submit_self(ua, cycle)
    consolidate(ua, cycle)
    assert ua.consolidation is not None
    assert ua.consolidation["missing_sources"] == ["sector_review", "member_review"]
    with pytest.raises(StepClosed):
        ua.submit_member_review(
            actor=ACTOR,
            occurred_at=at("2013-12-29T10:00+07:00"),
            deadline=None,
            assignment_reference="QĐ 1770",
            comment="muộn",
            proposed_level=None,
        )
    with pytest.raises(StepClosed):
        ua.submit_sector_review(
            actor=ACTOR,
            occurred_at=at("2013-12-29T10:00+07:00"),
            deadline=None,
            reviewer_unit_id="SYT",
            comment="muộn",
            proposed_level=None,
            published=True,
        )


def test_each_sector_agency_reviews_once_and_can_publish(ua: UnitAssessment) -> None:
    kw = dict(
        actor=ACTOR,
        occurred_at=at("2013-11-01T10:00+07:00"),
        deadline=None,
        comment="Tốt",
        proposed_level="hoan_thanh_tot",
        published=False,
    )
    ua.submit_sector_review(reviewer_unit_id="SYT", **kw)  # type: ignore[arg-type]
    ua.submit_sector_review(reviewer_unit_id="STC", **kw)  # type: ignore[arg-type]
    with pytest.raises(StepClosed):
        ua.submit_sector_review(reviewer_unit_id="SYT", **kw)  # type: ignore[arg-type]
    ua.publish_sector_review(
        actor=ACTOR, occurred_at=at("2013-11-02T10:00+07:00"), reviewer_unit_id="SYT"
    )
    assert ua.sector_reviews["SYT"]["published"] is True
    assert ua.sector_reviews["STC"]["published"] is False


def test_recognition_needs_caucus_and_a_valid_level(ua: UnitAssessment, cycle: Cycle) -> None:
    submit_self(ua, cycle)
    consolidate(ua, cycle)
    kw = dict(
        actor=ACTOR,
        occurred_at=at("2014-01-09T10:00+07:00"),
        deadline=None,
        decision_number="125/QĐ-UBND",
        decision_date="2014-01-09",
        signer="Chủ tịch",
    )
    with pytest.raises(StepOrderViolation):
        ua.recognise(level="hoan_thanh_tot", **kw)  # type: ignore[arg-type]
    caucus(ua, cycle)
    with pytest.raises(ValidationFailed):
        ua.recognise(level="gioi", **kw)  # type: ignore[arg-type]
    ua.recognise(level="hoan_thanh_tot", **kw)  # type: ignore[arg-type]
    assert ua.current_level == "hoan_thanh_tot"
    with pytest.raises(StepClosed):
        ua.adjust_level(
            actor=ACTOR, occurred_at=at("2014-01-10T10:00+07:00"), level="hoan_thanh", reason="muộn"
        )


def test_adjustment_needs_a_reason_and_changes_the_level_on_the_table(
    ua: UnitAssessment, cycle: Cycle
) -> None:
    submit_self(ua, cycle)
    consolidate(ua, cycle)
    caucus(ua, cycle)
    with pytest.raises(ReasonRequired):
        ua.adjust_level(
            actor=ACTOR,
            occurred_at=at("2014-01-06T10:00+07:00"),
            level="hoan_thanh_xuat_sac",
            reason="  ",
        )
    ua.adjust_level(
        actor=ACTOR,
        occurred_at=at("2014-01-06T10:00+07:00"),
        level="hoan_thanh_xuat_sac",
        reason="Vượt 3 chỉ tiêu",
    )
    assert ua.current_level == "hoan_thanh_xuat_sac"
    assert ua.adjustments[-1]["from_level"] == "hoan_thanh_tot"


def test_reopen_needs_a_reason_clears_dependants_and_keeps_history(
    ua: UnitAssessment, cycle: Cycle
) -> None:
    submit_self(ua, cycle)
    consolidate(ua, cycle)
    caucus(ua, cycle)
    with pytest.raises(ReasonRequired):
        ua.reopen(
            actor=ACTOR, occurred_at=at("2014-01-06T10:00+07:00"), step="self_assessment", reason=""
        )
    cleared = ua.reopen(
        actor=ACTOR,
        occurred_at=at("2014-01-06T10:00+07:00"),
        step="self_assessment",
        reason="Báo cáo chưa trung thực, làm lại",
    )
    assert cleared == ["self_assessment", "consolidation", "caucus_review"]
    assert ua.self_assessment is None and ua.consolidation is None
    events = ua.collect_events()
    kinds = [type(e).__name__ for e in events]
    # nothing erased: the first submission is still in the log, followed by the reopening
    assert kinds.count("SelfAssessmentSubmitted") == 1
    assert kinds[-1] == "StepReopened"
    submit_self(ua, cycle, "2014-01-07T10:00+07:00")
    assert ua.self_assessment is not None
    assert ua.self_assessment["late_by_seconds"] > 0


def test_reopening_an_empty_step_is_refused(ua: UnitAssessment) -> None:
    with pytest.raises(NothingToReopen):
        ua.reopen(
            actor=ACTOR, occurred_at=at("2013-12-01T10:00+07:00"), step="recognition", reason="thử"
        )


def test_every_event_carries_tenant_actor_and_business_time(
    ua: UnitAssessment, cycle: Cycle
) -> None:
    submit_self(ua, cycle)
    for event in ua.collect_events():
        assert event.tenant == "dong-nai"  # type: ignore[attr-defined]
        assert event.actor["subject"] == "snv.tonghop"  # type: ignore[attr-defined]
        assert event.occurred_at.tzinfo is not None  # type: ignore[attr-defined]
        assert type(event).TOPIC.startswith("assessment.UnitAssessment.")  # type: ignore[attr-defined]
