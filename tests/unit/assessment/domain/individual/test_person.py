"""A person's file: category, position, employment, transfers, absences, discipline."""

from __future__ import annotations

from fractions import Fraction

import pytest

from assessment.domain.individual.assess import evaluate, facts_for, previous_agencies
from assessment.domain.individual.errors import InvalidInput, PersonInactive
from assessment.domain.individual.person import Person, person_id_for
from assessment.domain.individual.values import Category
from builders import at
from individual_builders import HEAD_ACTOR, SETTINGS, TENANT, person

WHEN = at("2024-06-01T08:00+07:00")


def test_registered_event_is_nested_past_tense_with_topic_tenant_and_actor() -> None:
    p = person()
    (event,) = p.collect_events()
    assert type(event).__qualname__ == "Person.Registered"
    assert event.TOPIC == "assessment.Person.Registered"  # type: ignore[attr-defined]
    assert event.tenant == TENANT and event.actor == HEAD_ACTOR  # type: ignore[attr-defined]
    assert p.id == person_id_for(TENANT, "CB001")
    assert p.category is Category.CIVIL_SERVANT


def test_only_what_rating_needs_is_kept() -> None:
    p = person()
    (event,) = p.collect_events()
    fields = set(event.__dict__) - {
        "originator_id",
        "originator_version",
        "originator_topic",
        "timestamp",
    }
    assert fields == {
        "tenant",
        "actor",
        "occurred_at",
        "code",
        "full_name",
        "category",
        "agency_id",
        "unit_id",
        "position",
        "leadership_collective",
        "job_position",
        "task_group",
        "employed_from",
        "account",
    }


def test_bad_category_or_position_is_refused_in_vietnamese() -> None:
    with pytest.raises(InvalidInput) as err:
        person(category="nhan_vien")
    assert "đối tượng" in err.value.detail and err.value.code == "individual.validation_failed"
    with pytest.raises(InvalidInput):
        person(position="chief")


def test_transfer_splits_time_by_agency_and_requires_the_old_opinion_at_six_months() -> None:
    """NĐ 90/2020 [R9]: ≥ 6 months at the old agency → its opinion is combined."""
    p = person()
    p.transfer(
        actor=HEAD_ACTOR,
        occurred_at=WHEN,
        effective_date="2024-07-01",
        agency_id="STC",
        position="deputy",
        job_position="Phó trưởng phòng",
        task_group="lanh_dao_phong",
        decision_number="QĐ 77",
    )
    assert p.service_time(2024).by_agency == {"SNN": 6, "STC": 6}
    assert previous_agencies(p, 2024) == ("SNN",)
    assert facts_for(p, 2024).position.value == "deputy"
    q = person("CB002")
    q.transfer(
        actor=HEAD_ACTOR,
        occurred_at=WHEN,
        effective_date="2024-06-30",
        agency_id="STC",
        position="staff",
        job_position="Chuyên viên",
        task_group="chuyen_vien",
        decision_number="QĐ 78",
    )
    assert q.service_time(2024).by_agency["SNN"] == Fraction(6) - Fraction(1, 30)
    assert previous_agencies(q, 2024) == ()


def test_transfer_before_the_current_period_is_refused() -> None:
    p = person(employed_from="2024-03-01")
    with pytest.raises(PersonInactive):
        p.transfer(
            actor=HEAD_ACTOR,
            occurred_at=WHEN,
            effective_date="2024-03-01",
            agency_id="STC",
            position="staff",
            job_position="CV",
            task_group="cv",
            decision_number="QĐ 1",
        )


def test_employment_ended_and_restarted_counts_both_periods() -> None:
    p = person()
    p.end_employment(actor=HEAD_ACTOR, occurred_at=WHEN, last_day="2024-02-29", reason="Nghỉ")
    with pytest.raises(PersonInactive):
        p.end_employment(actor=HEAD_ACTOR, occurred_at=WHEN, last_day="2024-03-31", reason="x")
    p.start_employment(
        actor=HEAD_ACTOR,
        occurred_at=WHEN,
        start="2024-09-01",
        agency_id="SNN",
        position="staff",
        job_position="CV",
        task_group="chuyen_vien",
    )
    assert p.service_time(2024).employed == 6
    assert evaluate(p, 2024, SETTINGS).outcome.rated


def test_absence_is_recorded_with_its_kind() -> None:
    p = person()
    p.record_absence(
        actor=HEAD_ACTOR,
        occurred_at=WHEN,
        kind="maternity",
        start="2024-01-01",
        end="2024-06-30",
        reference="GCN 1",
    )
    with pytest.raises(InvalidInput):
        p.record_absence(
            actor=HEAD_ACTOR, occurred_at=WHEN, kind="holiday", start="2024-01-01", end="2024-01-02"
        )
    with pytest.raises(InvalidInput):
        p.record_absence(
            actor=HEAD_ACTOR, occurred_at=WHEN, kind="sick", start="2024-02-02", end="2024-02-01"
        )
    assert p.service_time(2024).maternity == 6


def test_r15_party_and_administrative_discipline_for_one_violation_count_in_one_year() -> None:
    """NĐ 48/2023 [R15]: one violation, party discipline 2024 and administrative 2025 →
    counted in 2024 only."""
    p = person()
    p.record_discipline(
        actor=HEAD_ACTOR,
        occurred_at=WHEN,
        violation_id="VP-1",
        track="party",
        form="khien_trach",
        decided_on="2024-11-02",
        decision_number="QĐ-KL 1",
    )
    p.record_discipline(
        actor=HEAD_ACTOR,
        occurred_at=WHEN,
        violation_id="VP-1",
        track="administrative",
        form="khien_trach",
        decided_on="2025-02-03",
        decision_number="QĐ-KL 2",
    )
    assert p.violations_counting_in(2024) == ["VP-1"]
    assert p.violations_counting_in(2025) == []


def test_r15_a_counted_violation_is_not_counted_again() -> None:
    p = person()
    p.record_discipline(
        actor=HEAD_ACTOR,
        occurred_at=WHEN,
        violation_id="VP-2",
        track="administrative",
        form="canh_cao",
        decided_on="2024-12-20",
        decision_number="QĐ-KL 3",
    )
    p.mark_counted(actor=HEAD_ACTOR, occurred_at=WHEN, violation_id="VP-2", year=2025)
    assert p.violations_counting_in(2024) == []
    assert p.violations_counting_in(2025) == ["VP-2"]


def test_degradation_and_unit_violation_are_per_year() -> None:
    p = person(position="head")
    p.find_degradation(
        actor=HEAD_ACTOR, occurred_at=WHEN, found_on="2024-05-01", reference="KL 5-KL/UBKT"
    )
    p.find_unit_violation(
        actor=HEAD_ACTOR, occurred_at=WHEN, found_on="2025-05-01", kind="waste", reference="KL 9"
    )
    with pytest.raises(InvalidInput):
        p.find_unit_violation(
            actor=HEAD_ACTOR, occurred_at=WHEN, found_on="2025-05-01", kind="late", reference="KL 9"
        )
    assert p.degraded_in(2024) and not p.degraded_in(2025)
    assert p.unit_violation_in(2025) and not p.unit_violation_in(2024)


def test_position_change_keeps_the_agency() -> None:
    p = person()
    p.change_position(
        actor=HEAD_ACTOR,
        occurred_at=WHEN,
        effective_date="2024-04-01",
        position="head",
        job_position="Giám đốc",
        task_group="lanh_dao_so",
        decision_number="QĐ 5",
    )
    assert p.current["agency_id"] == "SNN" and p.current["position"] == "head"
    assert p.period_on(at("2024-03-31T00:00Z").date())["position"] == "staff"  # type: ignore[index]
    assert isinstance(p, Person)


def test_file_readable_only_by_those_the_rules_name_and_reads_by_others_recorded() -> None:
    from assessment.domain.individual.access import PersonFileLog, Reader, read_basis
    from assessment.domain.individual.errors import FileAccessDenied

    staff = Person.register(
        tenant=TENANT,
        actor=HEAD_ACTOR,
        occurred_at=WHEN,
        code="CB100",
        full_name="Lê Văn C",
        category="cong_chuc",
        agency_id="SNN",
        position="staff",
        job_position="CV",
        task_group="cv",
        employed_from="2020-01-01",
        account="le.van.c",
    )
    head = person("CB101", position="head")

    def basis(p: Person, subject: str, role: str, unit: str | None) -> str:
        return read_basis(p, Reader(subject, role, unit), superior_agency_id="UBND")

    assert basis(staff, "le.van.c", "official", "SNN") == "self"
    assert basis(staff, "gd.snn", "unit_head", "SNN") == "rater"
    assert basis(staff, "tccb.snn", "personnel", "SNN") == "personnel"
    assert basis(staff, "snv", "home_affairs", "SNV") == "home_affairs"
    assert basis(staff, "kt", "auditor", None) == "auditor"
    assert basis(head, "ct.ubnd", "unit_head", "UBND") == "rater"
    assert basis(head, "chu-tich", "chairman", "UBND") == "rater"  # the rater of a head
    for subject, role, unit in (
        ("gd.stc", "unit_head", "STC"),  # head of another agency
        ("tccb.stc", "personnel", "STC"),  # personnel body of another agency
        ("dong.nghiep", "official", "SNN"),  # a colleague
        ("tt", "inspector", "TTT"),
        ("chu-tich", "chairman", "UBND"),  # the chairman rates heads, not their staff
    ):
        with pytest.raises(FileAccessDenied) as err:
            basis(staff, subject, role, unit)
        assert err.value.code == "individual.file_access_denied"
    with pytest.raises(FileAccessDenied):
        basis(head, "gd.snn", "unit_head", "SNN")  # a head is not their own rater

    log = PersonFileLog.open(
        tenant=TENANT, actor=HEAD_ACTOR, occurred_at=WHEN, person_id=staff.id, year=2024
    )
    log.record_read(
        actor=HEAD_ACTOR,
        occurred_at=WHEN,
        reader=Reader("gd.snn", "unit_head", "SNN"),
        basis="rater",
        what="phiếu đánh giá năm 2024",
    )
    log.record_read(
        actor=HEAD_ACTOR,
        occurred_at=WHEN,
        reader=Reader("le.van.c", "official", "SNN"),
        basis="self",
        what="phiếu của tôi",
    )
    events = log.collect_events()
    assert [type(e).__name__ for e in events] == ["Opened", "ReadRecorded"]
    assert events[1].reader_subject == "gd.snn" and log.reads == 1  # type: ignore[attr-defined]
