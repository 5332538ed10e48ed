"""Who may read a person's rating file, and the record of each read by someone else.
Readable by the person themself, their raters (the head of their agency; for a head, the head
of the directly superior agency, or its chairman), the personnel body of their agency, the
Department of Home Affairs and auditors of the tenant — nobody else (house rule: personal data
only to those the rules name; reads of it recorded). Every read by someone other than the
person is an event of ``PersonFileLog`` (one log per person and year).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from assessment.domain.individual.errors import FileAccessDenied
from assessment.domain.individual.person import Person
from assessment.domain.individual.values import Position, text
from assessment.domain.kernel.base import TenantAggregate

LOG_NAMESPACE = uuid.UUID("8f1e2d3c-4b5a-5968-8776-a5b4c3d2e1f0")

SELF = "self"
RATER = "rater"
PERSONNEL = "personnel"
HOME_AFFAIRS = "home_affairs"
AUDITOR = "auditor"


@dataclass(frozen=True)
class Reader:
    subject: str
    role: str
    unit: str | None


def read_basis(person: Person, reader: Reader, *, superior_agency_id: str | None) -> str:
    """The ground on which ``reader`` may read ``person``'s file, or a refusal."""
    if person.account and reader.subject == person.account:
        return SELF
    if reader.role == "home_affairs":
        return HOME_AFFAIRS
    if reader.role == "auditor":
        return AUDITOR
    agency = person.current["agency_id"]
    if reader.role == "personnel" and reader.unit == agency:
        return PERSONNEL
    is_head = person.current["position"] == Position.HEAD.value
    if reader.role == "unit_head" or (reader.role == "chairman" and is_head):
        # the chairman rates the heads of the agencies directly under the people's committee
        rater_agency = superior_agency_id if is_head else agency
        if rater_agency is not None and reader.unit == rater_agency:
            return RATER
    raise FileAccessDenied(
        "hồ sơ đánh giá chỉ được xem bởi chính người đó, người có thẩm quyền đánh giá, bộ phận "
        "tổ chức cán bộ của cơ quan, Sở Nội vụ và kiểm toán"
    )


def log_id_for(person_id: UUID, year: int) -> UUID:
    return uuid.uuid5(LOG_NAMESPACE, f"{person_id}/{year}")


class PersonFileLog(TenantAggregate):
    TOPIC = "assessment.PersonFileLog"

    class Event(TenantAggregate.Event):
        TOPIC = "assessment.PersonFileLog.Event"

    class Opened(Event, TenantAggregate.Created):
        TOPIC = "assessment.PersonFileLog.Opened"
        person_id: str
        year: int

    class ReadRecorded(Event):
        TOPIC = "assessment.PersonFileLog.ReadRecorded"
        reader_subject: str
        reader_role: str
        reader_unit: str | None
        basis: str
        what: str

        def apply(self, aggregate: Any) -> None:
            aggregate.reads += 1

    def __init__(
        self, tenant: str, actor: dict[str, Any], occurred_at: datetime, person_id: str, year: int
    ) -> None:
        self.tenant = tenant
        self.person_id = UUID(person_id)
        self.year = year
        self.reads = 0

    @classmethod
    def open(
        cls,
        *,
        tenant: str,
        actor: dict[str, Any],
        occurred_at: datetime,
        person_id: UUID,
        year: int,
    ) -> PersonFileLog:
        return cls._create(
            cls.Opened,
            id=log_id_for(person_id, year),
            tenant=tenant,
            actor=actor,
            occurred_at=occurred_at,
            person_id=str(person_id),
            year=year,
        )

    def record_read(
        self,
        *,
        actor: dict[str, Any],
        occurred_at: datetime,
        reader: Reader,
        basis: str,
        what: str,
    ) -> None:
        if basis == SELF:
            return
        self._trigger(
            self.ReadRecorded,
            actor=actor,
            occurred_at=occurred_at,
            reader_subject=reader.subject,
            reader_role=reader.role,
            reader_unit=reader.unit,
            basis=basis,
            what=text(what, "nội dung xem", limit=200),
        )
