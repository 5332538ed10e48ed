"""Builders for the individual-rating tests: people, facts and a rating walked to a step."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from assessment.domain.individual.assess import Authority, evaluate
from assessment.domain.individual.person import Person
from assessment.domain.individual.rating import IndividualRating
from assessment.domain.individual.rules.base import Outcome, RatingFacts
from assessment.domain.individual.service_time import service_time
from assessment.domain.individual.settings import IndividualSettings
from assessment.domain.individual.values import Category, Position
from assessment.domain.kernel.values import Level
from builders import at

TENANT = "dong-nai"
PERSON_ACTOR = {"subject": "nv.an", "role": "person", "acting_for": "SNN"}
HEAD_ACTOR = {"subject": "gd.snn", "role": "unit_head", "acting_for": "SNN"}
TCCB_ACTOR = {"subject": "tccb.snn", "role": "personnel", "acting_for": "SNN"}
SETTINGS = IndividualSettings()


def person(
    code: str = "CB001",
    *,
    category: str = "cong_chuc",
    position: str = "staff",
    agency: str = "SNN",
    employed_from: str = "2015-01-01",
    task_group: str = "chuyen_vien",
) -> Person:
    return Person.register(
        tenant=TENANT,
        actor=HEAD_ACTOR,
        occurred_at=at("2024-01-02T08:00+07:00"),
        code=code,
        full_name="Nguyễn Văn An",
        category=category,
        agency_id=agency,
        unit_id="P.KH",
        position=position,
        job_position="Chuyên viên kế hoạch",
        task_group=task_group,
        employed_from=employed_from,
    )


def full_year(year: int = 2024, *, absent: tuple[tuple[str, date, date], ...] = ()) -> Any:
    return service_time(year, [(date(2010, 1, 1), None, "SNN")], absent)


def facts(
    year: int = 2024,
    *,
    category: Category = Category.CIVIL_SERVANT,
    position: Position = Position.STAFF,
    **kw: Any,
) -> RatingFacts:
    kw.setdefault("service", full_year(year))
    return RatingFacts(year=year, category=category, position=position, **kw)


def open_rating(
    p: Person,
    year: int = 2024,
    *,
    outcome_rule_set: str = "decree_90_48",
    authority: str = "SNN",
    previous: tuple[str, ...] = (),
    party_committee: bool = True,
) -> IndividualRating:
    period = p.current
    return IndividualRating.open(
        tenant=TENANT,
        actor=TCCB_ACTOR,
        occurred_at=at(f"{year}-11-01T08:00+07:00"),
        person_id=p.id,
        agency_id=period["agency_id"],
        unit_id=period["unit_id"],
        year=year,
        category=p.category,
        position=period["position"],
        task_group=period["task_group"],
        rule_set=outcome_rule_set,
        authority=Authority(agency_id=authority, head_of_agency=True),
        previous_agencies=previous,
        party_committee=party_committee,
    )


def walk_to_proposal(
    r: IndividualRating, outcome: Outcome, level: str | None, *, year: int = 2024
) -> None:
    """Self-assessment, meeting, minutes, party committee, personnel proposal."""
    r.self_assess(
        actor=PERSON_ACTOR,
        occurred_at=at(f"{year}-11-20T08:00+07:00"),
        form=r.form,
        content={"ket_qua": "Hoàn thành các nhiệm vụ được giao", "han_che": "Còn chậm một báo cáo"},
        proposed_level=level or Level.COMPLETED.value,
    )
    r.minute_meeting(
        actor=TCCB_ACTOR,
        occurred_at=at(f"{year}-11-25T08:00+07:00"),
        minutes_number="BB-12",
        held_on=f"{year}-11-25",
        attendees=12,
        comments=[{"by": "Trưởng phòng", "text": "Đồng ý với đề xuất"}],
    )
    r.approve_minutes(
        actor=TCCB_ACTOR, occurred_at=at(f"{year}-11-25T10:00+07:00"), approved_on=f"{year}-11-25"
    )
    if r.party_committee:
        r.comment_by_party_committee(
            actor=TCCB_ACTOR,
            occurred_at=at(f"{year}-11-27T08:00+07:00"),
            document_number="12-NX/ĐU",
            comments="Chi bộ nhất trí",
        )
    r.propose(
        actor=TCCB_ACTOR,
        occurred_at=at(f"{year}-12-01T08:00+07:00"),
        proposed_level=level,
        summary="Tổng hợp ý kiến cuộc họp và cấp ủy",
        outcome=outcome,
    )


def decide(
    r: IndividualRating,
    outcome: Outcome,
    level: str | None,
    *,
    on: str = "2024-12-10",
    agency: str = "SNN",
    is_head: bool = True,
    score: Decimal | None = None,
) -> None:
    r.decide(
        actor=HEAD_ACTOR,
        occurred_at=at(f"{on}T09:00+07:00"),
        level=level,
        decision_number="QĐ-15/SNN",
        decided_on=on,
        decider_agency_id=agency,
        decider_is_head=is_head,
        outcome=outcome,
        settings=SETTINGS,
        score=score,
    )


__all__ = ["evaluate"]


# ------------------------------------------------------------ a staff list as an XLSX workbook
STAFF_HEADER = [
    "Mã cán bộ",
    "Họ và tên",
    "Đối tượng",
    "Mã cơ quan",
    "Chức vụ",
    "Vị trí việc làm",
    "Nhóm nhiệm vụ",
    "Ngày bắt đầu công tác",
    "Tài khoản",
]


def staff_workbook(rows: list[list[Any]]) -> bytes:
    """A workbook whose first sheet is ``STAFF_HEADER`` then ``rows`` (openpyxl)."""
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(STAFF_HEADER)
    for row in rows:
        sheet.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
