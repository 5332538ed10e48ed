"""What the rating handlers share, batch or single: opening a rating with what a batch has
already read, a batch's ratings in one store read, and decisions with the quota of each scope
(one transaction: the handler saves what these return)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

from assessment.application.individual.support import (
    Reach,
    UnitLevels,
    evaluated,
    people_by_id,
    period_in,
    quota_for,
    settings_of,
    today,
)
from assessment.application.kernel.catalogue import Outcome
from assessment.application.kernel.executor import Run
from assessment.domain.individual import rules
from assessment.domain.individual.assess import competent_authority, previous_agencies
from assessment.domain.individual.person import Person
from assessment.domain.individual.quota import ExcellentQuota, quota_id_for
from assessment.domain.individual.rating import IndividualRating, rating_id_for
from assessment.domain.individual.settings import IndividualSettings
from assessment.domain.individual.values import Position
from assessment.domain.kernel.errors import AlreadyExists, ValidationFailed


def open_one(
    run: Run,
    p: Person,
    year: int,
    side: str,
    party_committee: bool,
    *,
    settings: IndividualSettings | None = None,
    reached: Reach | None = None,
    taken: set[UUID] | None = None,
) -> IndividualRating:
    """``settings``, ``reached``, ``taken``: what a batch already read (else read here)."""
    ident = rating_id_for(p.id, year, side)
    if (ident in taken) if taken is not None else run.exists(ident):
        raise AlreadyExists(f"hồ sơ xếp loại năm {year} của '{p.code}' đã có")
    settings = settings or settings_of(run)
    reached = reached or Reach(run)
    at = period_in(p, year)
    agency = at["agency_id"]
    reached.check(agency, year)
    rule_set = rules.select(year, p.category, settings, side=side, decided_on=today(run))
    superior = reached.parent_of(agency)
    authority = competent_authority(Position(at["position"]), p.category, agency, superior)
    return IndividualRating.open(
        tenant=run.tenant,
        **run.by,
        person_id=p.id,
        agency_id=agency,
        unit_id=at["unit_id"],
        year=year,
        category=p.category,
        position=at["position"],
        task_group=at["task_group"],
        rule_set=rule_set.code,
        authority=authority,
        previous_agencies=previous_agencies(p, year),
        side=side,
        party_committee=party_committee,
    )


def ratings_in_order(run: Run, idents: Sequence[UUID]) -> list[IndividualRating]:
    """The ratings of a batch in one store read, in order (a missing one: NotFound, as a
    single load; one id twice is refused, as two commands on it would conflict)."""
    found = run.load_many(IndividualRating, idents, "hồ sơ xếp loại")
    if len(set(idents)) != len(idents):
        raise ValidationFailed("một hồ sơ xếp loại xuất hiện hai lần trong cùng một lệnh")
    return [found.get(i) or run.load(IndividualRating, i, "hồ sơ xếp loại") for i in idents]


def decide_all(
    run: Run, ratings: Sequence[tuple[IndividualRating, str | None]], number: str, on: str
) -> Outcome:
    settings = settings_of(run)
    day = date.fromisoformat(on)
    acting = str(run.ctx.actor.get("acting_for") or "")
    is_head = run.ctx.actor.get("role") in ("unit_head", "chairman")
    scopes: dict[UUID, tuple[ExcellentQuota, dict[str, str | None], dict[str, str]]] = {}
    touched: list[Any] = []
    people = people_by_id(run, [r.person_id for r, _ in ratings])
    levels = UnitLevels(run)
    for rating, level in ratings:
        rated = evaluated(
            run, rating, settings, day, p=people[rating.person_id], unit_levels=levels
        )
        ev = rated.ev
        rating.decide(
            **run.by,
            level=level,
            decision_number=number,
            decided_on=on,
            decider_agency_id=acting,
            decider_is_head=is_head,
            outcome=ev.outcome,
            settings=settings,
            score=rated.score,
            violations=ev.facts.violations,
        )
        if level is not None:
            for violation in ev.facts.violations:
                rated.person.mark_counted(**run.by, violation_id=violation, year=rating.year)
            touched.append(rated.person)
        ident = quota_id_for(
            run.tenant, rating.agency_id, rating.task_group, rating.year, rating.side
        )
        if ident not in scopes:
            scopes[ident] = (quota_for(run, rating), {}, {})
        scopes[ident][1][str(rating.person_id)] = level
        scopes[ident][2][str(rating.person_id)] = rules.quota_source(ev.rule_set)
        touched.append(rating)
    for quota, entries, sources in scopes.values():
        first_source = next(iter(sources.values()))
        quota.record(
            **run.by, entries=entries, settings=settings, source=first_source, sources=sources
        )
        touched.append(quota)
    first = ratings[0][0]
    late = any(r.decision and r.decision["late"] for r, _ in ratings)
    items = [
        {"id": str(r.id), "level": lv, "late": bool(r.decision and r.decision["late"])}
        for r, lv in ratings
    ]
    return touched, {"id": str(first.id), "version": first.version, "late": late, "items": items}
