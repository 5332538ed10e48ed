"""From a person's file to the rules: the facts of a year, the rule set, its outcome, who is
competent to decide, and whose opinion must be combined after a transfer."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from assessment.domain.individual import rules, scoring
from assessment.domain.individual.errors import NotCompetent
from assessment.domain.individual.person import Person
from assessment.domain.individual.rules.base import Outcome, RatingFacts, RuleSet, TaskStats
from assessment.domain.individual.service_time import SIX_MONTHS, ServiceTime
from assessment.domain.individual.settings import IndividualSettings
from assessment.domain.individual.sheet import ScoreSheet
from assessment.domain.individual.values import Category, Position
from assessment.domain.kernel.values import Level

SRC_AUTHORITY = "NĐ 90/2020, Điều 17–18 (thẩm quyền đánh giá, xếp loại) [R11]"


@dataclass(frozen=True)
class Evaluation:
    rule_set: RuleSet
    facts: RatingFacts
    outcome: Outcome
    previous_agencies: tuple[str, ...]  # opinions to combine (≥ 6 months there in the year)


def facts_for(
    person: Person,
    year: int,
    *,
    unit_level: Level | None = None,
    score: Decimal | None = None,
    tasks: TaskStats | None = None,
    decided_on: date | None = None,
    service: ServiceTime | None = None,
) -> RatingFacts:
    period = person.last_period_in(year) or person.current
    return RatingFacts(
        year=year,
        category=person.category,
        position=Position(period["position"]),
        service=service or person.service_time(year),
        violations=tuple(person.violations_counting_in(year)),
        degraded=person.degraded_in(year),
        unit_violation=person.unit_violation_in(year),
        unit_level=unit_level,
        score=score,
        tasks=tasks,
        decided_on=decided_on,
    )


def previous_agencies(
    person: Person, year: int, service: ServiceTime | None = None
) -> tuple[str, ...]:
    """NĐ 90/2020 [R9]: the new agency rates, combining the old one's opinion when the person
    worked there 6 months or more in the year (unless it no longer exists)."""
    period = person.last_period_in(year) or person.current
    current = period["agency_id"]
    by_agency = (service or person.service_time(year)).by_agency
    return tuple(sorted(a for a, m in by_agency.items() if a != current and m >= SIX_MONTHS))


def evaluate(
    person: Person,
    year: int,
    settings: IndividualSettings,
    *,
    side: str = "state",
    unit_level: Level | None = None,
    score: Decimal | None = None,
    tasks: TaskStats | None = None,
    decided_on: date | None = None,
) -> Evaluation:
    rule_set = rules.select(year, person.category, settings, side=side, decided_on=decided_on)
    service = person.service_time(year)
    facts = facts_for(
        person,
        year,
        unit_level=unit_level,
        score=score,
        tasks=tasks,
        decided_on=decided_on,
        service=service,
    )
    return Evaluation(
        rule_set=rule_set,
        facts=facts,
        outcome=rule_set.evaluate(facts, settings),
        previous_agencies=previous_agencies(person, year, service),
    )


@dataclass(frozen=True)
class Authority:
    """Who decides: an agency, and whether its head must sign (always, here)."""

    agency_id: str
    head_of_agency: bool


def competent_authority(
    position: Position, category: Category, agency_id: str, superior_agency_id: str | None
) -> Authority:
    """A head (and a cadre) is rated by the head of the directly superior agency; deputies and
    other staff by the head of their agency [R11]."""
    if position is Position.HEAD or category is Category.CADRE:
        if not superior_agency_id:
            raise NotCompetent(
                "chưa xác định cơ quan cấp trên trực tiếp để đánh giá người đứng đầu "
                f"[{SRC_AUTHORITY}]"
            )
        return Authority(agency_id=superior_agency_id, head_of_agency=True)
    return Authority(agency_id=agency_id, head_of_agency=True)


def check_competence(required: Authority, *, agency_id: str, is_head: bool) -> None:
    if agency_id != required.agency_id or (required.head_of_agency and not is_head):
        raise NotCompetent(
            f"người quyết định phải là người đứng đầu cơ quan '{required.agency_id}' "
            f"[{SRC_AUTHORITY}]"
        )


def year_score_of(sheets: Iterable[ScoreSheet], settings: IndividualSettings) -> Decimal | None:
    """NĐ 335/2025 [R30][R33]: the year's score from the approved periods; a period without an
    approved sheet (not worked) is left out."""
    return scoring.year_score(
        (s.approved_total for s in sheets if s.approved_total is not None), settings
    )
