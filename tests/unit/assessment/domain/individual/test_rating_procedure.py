"""The procedure of NĐ 90/2020 Điều 17–18 [R11][R12][R13] (NĐ 335 likewise) as one aggregate."""

from __future__ import annotations

from datetime import date

import pytest

from assessment.domain.individual.assess import (
    Authority,
    check_competence,
    competent_authority,
    evaluate,
)
from assessment.domain.individual.errors import (
    FinalisedBeforeDecree48,
    InvalidInput,
    LevelForced,
    MinutesNotApproved,
    NotCompetent,
    PreviousAgencyOpinionMissing,
    ReasonRequired,
    StepAlreadyDone,
    StepOutOfOrder,
)
from assessment.domain.individual.rating import IndividualRating, rating_id_for
from assessment.domain.individual.rules.decree_90_48 import Decree90
from assessment.domain.individual.settings import IndividualSettings
from assessment.domain.individual.values import Category, Position
from assessment.domain.kernel.values import Level
from builders import at
from individual_builders import (
    HEAD_ACTOR,
    PERSON_ACTOR,
    SETTINGS,
    TCCB_ACTOR,
    decide,
    facts,
    open_rating,
    person,
    walk_to_proposal,
)

OK = Decree90(amended_by_48=True).evaluate(facts(), SETTINGS)
GOOD = Level.GOOD.value


def test_full_procedure_events_in_order_with_topics_tenant_and_actor() -> None:
    p = person()
    r = open_rating(p)
    walk_to_proposal(r, OK, GOOD)
    decide(r, OK, GOOD)
    r.notify(
        actor=TCCB_ACTOR,
        occurred_at=at("2024-12-11T08:00Z"),
        notified_on="2024-12-11",
        channel="văn bản",
    )
    r.publish(
        actor=TCCB_ACTOR,
        occurred_at=at("2024-12-12T08:00Z"),
        published_on="2024-12-12",
        channel="cổng thông tin nội bộ",
    )
    names = [type(e).__qualname__ for e in r.collect_events()]
    assert names == [
        "IndividualRating.Opened",
        "IndividualRating.SelfAssessed",
        "IndividualRating.MeetingMinuted",
        "IndividualRating.MinutesApproved",
        "IndividualRating.PartyCommitteeCommented",
        "IndividualRating.PersonnelProposed",
        "IndividualRating.Decided",
        "IndividualRating.Notified",
        "IndividualRating.Published",
    ]
    assert r.level is Level.GOOD and r.id == rating_id_for(p.id, 2024)
    assert r.decision and r.decision["late"] is False
    assert r.form == "mau_02"


@pytest.mark.parametrize(
    ("category", "form"), [("can_bo", "mau_01"), ("cong_chuc", "mau_02"), ("vien_chuc", "mau_03")]
)
def test_r11_form_by_category_wrong_form_refused(category: str, form: str) -> None:
    r = open_rating(person(category=category))
    assert r.form == form
    with pytest.raises(InvalidInput):
        r.self_assess(
            actor=PERSON_ACTOR,
            occurred_at=at("2024-11-20T00:00Z"),
            form="mau_09",
            content={"a": "b"},
            proposed_level=GOOD,
        )


def test_nd335_self_assessment_is_the_score_sheet() -> None:
    assert open_rating(person(), 2026, outcome_rule_set="decree_335").form == "phieu_diem_335"


def test_r12_meeting_needs_the_self_assessment_and_party_needs_approved_minutes() -> None:
    r = open_rating(person())
    with pytest.raises(StepOutOfOrder):
        r.minute_meeting(
            actor=TCCB_ACTOR,
            occurred_at=at("2024-11-25T00:00Z"),
            minutes_number="1",
            held_on="2024-11-25",
            attendees=5,
            comments=[{"by": "a", "text": "b"}],
        )
    r.self_assess(
        actor=PERSON_ACTOR,
        occurred_at=at("2024-11-20T00:00Z"),
        form="mau_02",
        content={"ket_qua": "x"},
        proposed_level=GOOD,
    )
    with pytest.raises(StepAlreadyDone):
        r.self_assess(
            actor=PERSON_ACTOR,
            occurred_at=at("2024-11-20T00:00Z"),
            form="mau_02",
            content={"ket_qua": "x"},
            proposed_level=GOOD,
        )
    r.minute_meeting(
        actor=TCCB_ACTOR,
        occurred_at=at("2024-11-25T00:00Z"),
        minutes_number="1",
        held_on="2024-11-25",
        attendees=5,
        comments=[{"by": "a", "text": "b"}],
    )
    with pytest.raises(MinutesNotApproved) as err:
        r.comment_by_party_committee(
            actor=TCCB_ACTOR,
            occurred_at=at("2024-11-26T00:00Z"),
            document_number="NX-1",
            comments="Nhất trí",
        )
    assert err.value.code == "individual.minutes_not_approved"
    r.approve_minutes(
        actor=TCCB_ACTOR, occurred_at=at("2024-11-25T00:00Z"), approved_on="2024-11-25"
    )
    with pytest.raises(StepOutOfOrder):
        r.propose(
            actor=TCCB_ACTOR,
            occurred_at=at("2024-12-01T00:00Z"),
            proposed_level=GOOD,
            summary="x",
            outcome=OK,
        )


def test_agency_without_party_committee_skips_that_step() -> None:
    r = open_rating(person(), party_committee=False)
    walk_to_proposal(r, OK, GOOD)
    decide(r, OK, GOOD)
    assert r.level is Level.GOOD


def test_decision_needs_the_personnel_proposal() -> None:
    r = open_rating(person())
    with pytest.raises(StepOutOfOrder) as err:
        decide(r, OK, GOOD)
    assert err.value.code == "individual.step_order"


def test_r11_head_is_rated_by_the_superior_agency_staff_by_the_head() -> None:
    head = competent_authority(Position.HEAD, Category.CIVIL_SERVANT, "SNN", "UBND")
    staff = competent_authority(Position.DEPUTY, Category.CIVIL_SERVANT, "SNN", "UBND")
    assert head == Authority("UBND", True) and staff == Authority("SNN", True)
    with pytest.raises(NotCompetent):
        competent_authority(Position.HEAD, Category.CIVIL_SERVANT, "SNN", None)
    check_competence(staff, agency_id="SNN", is_head=True)
    with pytest.raises(NotCompetent) as err:
        check_competence(staff, agency_id="SNN", is_head=False)
    assert err.value.code == "individual.not_competent"
    with pytest.raises(NotCompetent):
        check_competence(head, agency_id="SNN", is_head=True)


def test_decision_by_an_incompetent_authority_is_refused() -> None:
    r = open_rating(person(position="head"), authority="UBND")
    head_ok = Decree90(amended_by_48=True).evaluate(
        facts(position=Position.HEAD, unit_level=Level.GOOD), SETTINGS
    )
    walk_to_proposal(r, head_ok, GOOD)
    with pytest.raises(NotCompetent):
        decide(r, head_ok, GOOD, agency="SNN")
    decide(r, head_ok, GOOD, agency="UBND")


def test_r9_transfer_needs_the_old_agency_opinion_unless_dissolved() -> None:
    r = open_rating(person(), previous=("STC", "SXD"))
    walk_to_proposal(r, OK, GOOD)
    with pytest.raises(PreviousAgencyOpinionMissing) as err:
        decide(r, OK, GOOD)
    assert "STC" in err.value.detail and "R9" in err.value.detail
    r.record_previous_opinion(
        actor=TCCB_ACTOR,
        occurred_at=at("2024-12-02T00:00Z"),
        agency_id="STC",
        opinion="Hoàn thành tốt",
        proposed_level=GOOD,
    )
    with pytest.raises(InvalidInput):
        r.record_previous_opinion(
            actor=TCCB_ACTOR, occurred_at=at("2024-12-02T00:00Z"), agency_id="SYT", opinion="x"
        )
    r.record_previous_opinion(
        actor=TCCB_ACTOR,
        occurred_at=at("2024-12-02T00:00Z"),
        agency_id="SXD",
        opinion="",
        agency_dissolved=True,
    )
    decide(r, OK, GOOD)


@pytest.mark.parametrize(("on", "late"), [("2024-12-15", 0), ("2024-12-16", 1), ("2025-01-10", 26)])
def test_r9_decision_after_15_12_is_accepted_and_marked_late(on: str, late: int) -> None:
    r = open_rating(person())
    walk_to_proposal(r, OK, GOOD)
    decide(r, OK, GOOD, on=on)
    assert r.decision is not None
    assert r.decision["late"] is bool(late) and r.decision["late_by_days"] == late
    assert r.decision["deadline"] == "2024-12-15"


def test_r33_special_agencies_deadline_is_15_01_next_year() -> None:
    s = IndividualSettings(decision_deadline_next_year=True)
    assert s.decision_deadline(2026) == date(2027, 1, 15)
    assert IndividualSettings(decision_deadline_day=10).decision_deadline(2026) == date(
        2026, 12, 10
    )


def test_r15_disciplined_excellent_proposal_is_refused_at_every_step() -> None:
    forced = Decree90(amended_by_48=True).evaluate(facts(violations=("VP-9",)), SETTINGS)
    r = open_rating(person())
    with pytest.raises(LevelForced):
        r.self_assess(
            actor=PERSON_ACTOR,
            occurred_at=at("2024-11-20T00:00Z"),
            form="mau_02",
            content={"ket_qua": "x"},
            proposed_level=Level.EXCELLENT.value,
            outcome=forced,
        )
    walk_to_proposal(r, forced, Level.NOT_COMPLETED.value)
    with pytest.raises(LevelForced):
        decide(r, forced, Level.EXCELLENT.value)
    r.decide(
        actor=HEAD_ACTOR,
        occurred_at=at("2024-12-10T00:00Z"),
        level="khong_hoan_thanh",
        decision_number="QĐ 1",
        decided_on="2024-12-10",
        decider_agency_id="SNN",
        decider_is_head=True,
        outcome=forced,
        settings=SETTINGS,
        violations=("VP-9",),
    )
    assert r.collect_events()[-1].violations_counted == ["VP-9"]  # type: ignore[attr-defined]


def test_reviewed_not_rated_is_a_decision_without_level() -> None:
    from individual_builders import full_year

    st = full_year(absent=(("sick", date(2024, 1, 1), date(2024, 9, 30)),))
    out = Decree90(amended_by_48=True).evaluate(facts(service=st), SETTINGS)
    r = open_rating(person())
    walk_to_proposal(r, out, None)
    decide(r, out, None)
    assert r.decision is not None and r.decision["level"] is None and r.level is None


def test_seed002_redo_keeps_the_earlier_rating_in_history() -> None:
    r = open_rating(person())
    with pytest.raises(StepOutOfOrder):
        r.redo(actor=HEAD_ACTOR, occurred_at=at("2025-01-05T00:00Z"), reason="x", basis="decree_90")
    walk_to_proposal(r, OK, Level.EXCELLENT.value)
    decide(r, OK, Level.EXCELLENT.value)
    with pytest.raises(StepAlreadyDone):
        decide(r, OK, GOOD)
    with pytest.raises(ReasonRequired):
        r.redo(actor=HEAD_ACTOR, occurred_at=at("2025-01-05T00:00Z"), reason=" ", basis="x")
    r.redo(
        actor=HEAD_ACTOR,
        occurred_at=at("2025-01-05T00:00Z"),
        reason="Sở Nội vụ kiểm tra: xếp loại chưa đúng quy định",
        basis="decree_90_48",
    )
    assert r.decision is None and r.steps == {}
    assert r.history[0]["decision"]["level"] == Level.EXCELLENT.value
    assert r.history[0]["redone_for"].startswith("Sở Nội vụ")
    walk_to_proposal(r, OK, GOOD)
    decide(r, OK, GOOD, on="2025-01-10")
    assert r.level is Level.GOOD and r.decision and r.decision["late"]


def test_r15_results_finalised_before_15_09_2023_are_not_reopened_under_48() -> None:
    p = person()
    r = open_rating(p, 2022, outcome_rule_set="decree_90")
    out = evaluate(p, 2022, SETTINGS, decided_on=date(2022, 12, 10)).outcome
    walk_to_proposal(r, out, GOOD, year=2022)
    decide(r, out, GOOD, on="2022-12-10")
    with pytest.raises(FinalisedBeforeDecree48) as err:
        r.redo(
            actor=HEAD_ACTOR,
            occurred_at=at("2023-10-01T00:00Z"),
            reason="theo NĐ 48",
            basis="decree_90_48",
        )
    assert err.value.code == "individual.finalised_before_decree_48"
    r.redo(
        actor=HEAD_ACTOR,
        occurred_at=at("2023-10-01T00:00Z"),
        reason="sai quy trình",
        basis="decree_90",
    )
    assert r.rule_date(date(2023, 10, 5)) == date(2022, 12, 10)
    assert evaluate(p, 2022, SETTINGS, decided_on=r.rule_date(date(2023, 10, 5))).rule_set.code == (
        "decree_90"
    )


def test_notice_and_publication_only_after_the_decision_and_once() -> None:
    r = open_rating(person())
    with pytest.raises(StepOutOfOrder):
        r.notify(
            actor=TCCB_ACTOR,
            occurred_at=at("2024-12-11T00:00Z"),
            notified_on="2024-12-11",
            channel="văn bản",
        )
    with pytest.raises(StepOutOfOrder):
        r.publish(
            actor=TCCB_ACTOR,
            occurred_at=at("2024-12-11T00:00Z"),
            published_on="2024-12-11",
            channel="bảng tin",
        )
    walk_to_proposal(r, OK, GOOD)
    decide(r, OK, GOOD)
    r.notify(
        actor=TCCB_ACTOR,
        occurred_at=at("2024-12-11T00:00Z"),
        notified_on="2024-12-11",
        channel="văn bản",
    )
    with pytest.raises(StepAlreadyDone):
        r.notify(
            actor=TCCB_ACTOR,
            occurred_at=at("2024-12-11T00:00Z"),
            notified_on="2024-12-11",
            channel="văn bản",
        )
    assert isinstance(r, IndividualRating)
