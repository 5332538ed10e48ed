"""What the individual handlers share: the tenant's settings, the caller's reach on an agency,
the facts and outcome of a rating (with the unit's collective result and the year's score), the
quota of a scope, and the record of a read of someone's file."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar
from uuid import UUID

import assessment.application.collective.api as collective
import assessment.application.registry.api as registry
from assessment.application.kernel.executor import Read, Run
from assessment.application.kernel.permissions import Forbidden
from assessment.domain.individual.access import PersonFileLog, Reader, log_id_for, read_basis
from assessment.domain.individual.assess import Evaluation, evaluate, year_score_of
from assessment.domain.individual.errors import PersonInactive, UnitResultPending
from assessment.domain.individual.person import Person, person_id_for
from assessment.domain.individual.quota import ExcellentQuota, quota_id_for
from assessment.domain.individual.rating import IndividualRating
from assessment.domain.individual.scoring import year_score
from assessment.domain.individual.settings import IndividualSettings
from assessment.domain.individual.sheet import (
    APPROVAL_EVENTS,
    ScoreSheet,
    approved_total_of,
    sheet_id_for,
)
from assessment.domain.individual.tenant_settings import RatingSettings, settings_id_for
from assessment.domain.individual.values import PeriodKind, Position
from assessment.domain.kernel.base import TenantAggregate
from assessment.domain.kernel.values import VN_TZ, Level

A = TypeVar("A", bound=TenantAggregate)


def today(run: Read | Run) -> date:
    now = getattr(run, "now", None)
    assert now is not None
    return now.astimezone(VN_TZ).date()


def one(read: Read, cls: type[A], ident: UUID) -> A | None:
    """The tenant's aggregate or None, in one store read (``find`` asks twice: exists, load)."""
    return read.load_many(cls, [ident], "").get(ident)


def settings_of(read: Read) -> IndividualSettings:
    found = one(read, RatingSettings, settings_id_for(read.tenant))
    return found.settings if found is not None else IndividualSettings()


def reach(run: Run, agency_code: str, year: int) -> None:
    """The caller's role may act on ``agency_code`` (own unit = the agency in the token)."""
    run.authorize_for(registry.unit_id(run.tenant, agency_code), year)


def require_self(run: Run, person: Person) -> None:
    """An official acts only on their own file."""
    if run.ctx.actor.get("role") == "official" and (
        not person.account or person.account != run.ctx.actor.get("subject")
    ):
        raise Forbidden("cán bộ, công chức, viên chức chỉ thao tác trên hồ sơ của chính mình")


def person(read: Read, person_id: UUID) -> Person:
    return read.load(Person, person_id, "cán bộ")


def person_by_code(read: Read, code: str) -> Person:
    return read.load(Person, person_id_for(read.tenant, code), f"cán bộ '{code}'")


def period_in(p: Person, year: int) -> dict[str, Any]:
    period = p.last_period_in(year)
    if period is None:
        raise PersonInactive(f"'{p.code}' không công tác trong năm {year}")
    return period


def sheets_of(read: Read, p: Person, year: int, kind: PeriodKind) -> list[ScoreSheet]:
    """The person's sheets of ``year`` in period order, in one store read (a missing period
    was not worked)."""
    return sheets_by_person(read, [p], year, kind)[p.id]


def sheets_by_person(
    read: Read, people: Sequence[Person], year: int, kind: PeriodKind
) -> dict[UUID, list[ScoreSheet]]:
    """Every person's sheets of ``year`` in period order, all in one store read."""
    last = 12 if kind is PeriodKind.MONTH else 4
    ids = {
        p.id: [sheet_id_for(p.id, year, kind.value, n) for n in range(1, last + 1)] for p in people
    }
    found = read.load_many(ScoreSheet, [i for v in ids.values() for i in v], "phiếu theo dõi")
    return {pid: [found[i] for i in v if i in found] for pid, v in ids.items()}


def approved_totals(
    read: Read, people: Sequence[Person], year: int, kind: PeriodKind
) -> dict[UUID, list[Decimal]]:
    """Every person's approved period totals of ``year`` in period order — what the year's
    score is made of — from the sheets' approval events alone, all in one store read."""
    last = 12 if kind is PeriodKind.MONTH else 4
    ids = {
        p.id: [sheet_id_for(p.id, year, kind.value, n) for n in range(1, last + 1)] for p in people
    }
    found = read.events_of([i for v in ids.values() for i in v], APPROVAL_EVENTS)
    totals = {pid: [approved_total_of(found.get(i, ())) for i in v] for pid, v in ids.items()}
    return {pid: [t for t in v if t is not None] for pid, v in totals.items()}


def person_and_sheets(
    read: Read,
    person_id: UUID,
    year: int,
    kind: PeriodKind | None,
    also: Sequence[UUID] = (),
) -> tuple[Person, list[ScoreSheet] | None, dict[UUID, Any]]:
    """A person, (``kind`` given) their sheets of ``year`` in period order, and the tenant's
    aggregates among ``also``, in one store read; the person missing, another tenant's or not a
    person: NotFound, as ``person``."""
    last = 0 if kind is None else 12 if kind is PeriodKind.MONTH else 4
    ids = [sheet_id_for(person_id, year, kind.value, n) for n in range(1, last + 1)] if kind else []
    found = read.load_many(TenantAggregate, [person_id, *ids, *also], "cán bộ")
    p = found.get(person_id)
    if not isinstance(p, Person):
        p = person(read, person_id)  # raises NotFound
    extra = {i: found[i] for i in also if i in found}
    if kind is None:
        return p, None, extra
    return p, [x for i in ids if isinstance(x := found.get(i), ScoreSheet)], extra


def people_by_id(read: Read, idents: Sequence[UUID], what: str = "cán bộ") -> dict[UUID, Person]:
    """The tenant's people among ``idents`` in one store read; a missing one is refused with
    the same NotFound as a single load, in the order given."""
    found = read.load_many(Person, idents, what)
    for ident in idents:
        if ident not in found:
            person(read, ident)  # raises NotFound
    return found


class UnitLevels:
    """The units' recognised collective levels, each looked up once per command."""

    def __init__(self, read: Read) -> None:
        self.read = read
        self.found: dict[tuple[str, int], Level | None] = {}

    def of(self, agency_id: str, year: int) -> Level | None:
        key = (agency_id, year)
        if key not in self.found:
            level = collective.recognised_level(
                self.read, registry.unit_id(self.read.tenant, agency_id), year
            )
            self.found[key] = Level(level) if level else None
        return self.found[key]


@dataclass
class Rated:
    """A rating with its person, the facts and outcome of its year, and the score used."""

    rating: IndividualRating
    person: Person
    evaluation: Evaluation | None  # None: a head before the unit's result (lenient only)
    score: Decimal | None

    @property
    def ev(self) -> Evaluation:
        assert self.evaluation is not None
        return self.evaluation


def evaluated(
    read: Read,
    rating: IndividualRating,
    settings: IndividualSettings,
    on: date,
    *,
    lenient_head: bool = False,
    p: Person | None = None,
    sheets: Sequence[ScoreSheet] | None = None,
    totals: Sequence[Decimal] | None = None,
    unit_levels: UnitLevels | None = None,
) -> Rated:
    """The rule set's outcome for ``rating`` decided on ``on``. ``lenient_head``: before the
    unit's result exists (self-assessment), a head's outcome is left out (``evaluation`` None).
    A batch passes the person, their sheets of the year (or only their approved totals) and the
    unit levels it already read."""
    p = p if p is not None else person(read, rating.person_id)
    score = None
    assessed = rating.steps.get("self_assessment", {}).get("score")
    if assessed is not None:  # the sheets as they stood at the self-assessment
        score = Decimal(assessed)
    elif rating.rule_set in ("decree_335", "party_366"):
        if totals is not None and sheets is None:
            score = year_score(totals, settings)
        else:
            if sheets is None:
                sheets = sheets_of(read, p, rating.year, settings.scoring_period)
            score = year_score_of(sheets, settings)
    unit_level = None
    if rating.position == Position.HEAD.value:
        unit_level = (unit_levels or UnitLevels(read)).of(rating.agency_id, rating.year)
    try:
        ev = evaluate(
            p,
            rating.year,
            settings,
            side=rating.side,
            unit_level=unit_level,
            score=score,
            decided_on=rating.rule_date(on),
        )
    except UnitResultPending:
        if not lenient_head:
            raise
        return Rated(rating=rating, person=p, evaluation=None, score=score)
    return Rated(rating=rating, person=p, evaluation=ev, score=score)


class Reach:
    """The caller's reach on each agency and the agencies' parents, each checked or read once
    per command (a batch on one agency's people asks once, not once a row)."""

    def __init__(self, run: Run) -> None:
        self.run = run
        self.checked: set[tuple[str, int]] = set()
        self.parents: dict[str, str | None] = {}

    def check(self, agency_code: str, year: int) -> None:
        if (agency_code, year) not in self.checked:
            reach(self.run, agency_code, year)
            self.checked.add((agency_code, year))

    def parent_of(self, agency_code: str) -> str | None:
        if agency_code not in self.parents:
            self.parents[agency_code] = registry.unit_of_code(self.run, agency_code)["parent_code"]
        return self.parents[agency_code]


def quota_for(run: Run, rating: IndividualRating) -> ExcellentQuota:
    ident = quota_id_for(run.tenant, rating.agency_id, rating.task_group, rating.year, rating.side)
    found = one(run, ExcellentQuota, ident)
    if found is not None:
        return found
    return ExcellentQuota.open(
        tenant=run.tenant,
        **run.by,
        agency_id=rating.agency_id,
        task_group=rating.task_group,
        year=rating.year,
        side=rating.side,
    )


def recorded_read(run: Run, p: Person, year: int, what: str) -> list[PersonFileLog]:
    """Check who reads ``p``'s file; record the read unless it is the person themself."""
    superior = registry.unit_of_code(run, p.current["agency_id"])["parent_code"]
    actor = run.ctx.actor
    reader = Reader(str(actor.get("subject")), str(actor.get("role")), actor.get("acting_for"))
    basis = read_basis(p, reader, superior_agency_id=superior)
    if basis == "self":
        return []
    log = run.find(PersonFileLog, log_id_for(p.id, year), "nhật ký")
    if log is None:
        log = PersonFileLog.open(tenant=run.tenant, **run.by, person_id=p.id, year=year)
    log.record_read(**run.by, reader=reader, basis=basis, what=what)
    return [log]


def reader_target(run: Run, p: Person) -> str:
    """The agency a reader's reach is checked on: a head's rater acts for the superior."""
    if run.ctx.actor.get("role") in ("unit_head", "chairman") and p.current["position"] == "head":
        parent = registry.unit_of_code(run, p.current["agency_id"])["parent_code"]
        return str(parent or p.current["agency_id"])
    return str(p.current["agency_id"])
