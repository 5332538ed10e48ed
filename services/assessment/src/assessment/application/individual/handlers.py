"""Individual handlers: one per command — load, check the caller's reach on the agency, call
the aggregate, return what to save (all of it in one transaction)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID

import assessment.application.inspection.api as inspection
import assessment.application.registry.api as registry
from assessment.application.individual import commands as c
from assessment.application.individual.support import (
    Reach,
    UnitLevels,
    approved_totals,
    evaluated,
    people_by_id,
    period_in,
    person,
    person_by_code,
    quota_for,
    reach,
    require_self,
    settings_of,
    today,
)
from assessment.application.individual.year_end import decide_all, open_one, ratings_in_order
from assessment.application.kernel.catalogue import Outcome, saved
from assessment.application.kernel.executor import Run
from assessment.domain.individual.errors import StepOutOfOrder
from assessment.domain.individual.person import Person, person_id_for
from assessment.domain.individual.quota import ExcellentQuota, quota_id_for
from assessment.domain.individual.rating import IndividualRating, rating_id_for
from assessment.domain.individual.scoring import band
from assessment.domain.individual.sheet import ScoreSheet, sheet_id_for
from assessment.domain.individual.tenant_settings import RatingSettings, settings_id_for
from assessment.domain.individual.values import PeriodKind, Position
from assessment.domain.kernel.errors import AlreadyExists
from assessment.domain.kernel.values import Level


# ------------------------------------------------------------ people
def _new_people(run: Run, rows: list[c.PersonIn]) -> list[Person]:
    year = today(run).year
    for agency in sorted({r.agency_id for r in rows}):
        registry.unit_of_code(run, agency)
        reach(run, agency, year)
    existing = run.existing([person_id_for(run.tenant, r.code) for r in rows])
    taken = [r.code for r in rows if person_id_for(run.tenant, r.code) in existing]
    if taken:
        raise AlreadyExists(f"mã cán bộ đã có: {', '.join(taken[:20])}")
    return [Person.register(tenant=run.tenant, **run.by, **r.model_dump()) for r in rows]


def register_person(run: Run, cmd: c.RegisterPerson) -> Outcome:
    return saved(*_new_people(run, [cmd]))


def import_staff(run: Run, cmd: c.ImportStaff) -> Outcome:
    new = _new_people(run, cmd.rows)
    items = [{"code": p.code, "id": str(p.id)} for p in new]
    return saved(*new, items=items)


def _person_at(run: Run, person_id: UUID) -> Person:
    p = person(run, person_id)
    reach(run, p.current["agency_id"], today(run).year)
    return p


def transfer_person(run: Run, cmd: c.TransferPerson, person_id: UUID) -> Outcome:
    p = _person_at(run, person_id)
    registry.unit_of_code(run, cmd.agency_id)
    p.transfer(**run.by, **cmd.fields())
    return saved(p)


def change_position(run: Run, cmd: c.ChangePosition, person_id: UUID) -> Outcome:
    p = _person_at(run, person_id)
    p.change_position(**run.by, **cmd.fields())
    return saved(p)


def end_employment(run: Run, cmd: c.EndEmployment, person_id: UUID) -> Outcome:
    p = _person_at(run, person_id)
    p.end_employment(**run.by, **cmd.fields())
    return saved(p)


def record_absence(run: Run, cmd: c.RecordAbsence, person_id: UUID) -> Outcome:
    p = _person_at(run, person_id)
    p.record_absence(**run.by, **cmd.fields())
    return saved(p)


def record_discipline(run: Run, cmd: c.RecordDiscipline, person_id: UUID) -> Outcome:
    p = _person_at(run, person_id)
    p.record_discipline(**run.by, **cmd.fields())
    return saved(p)


def find_degradation(run: Run, cmd: c.FindDegradation, person_id: UUID) -> Outcome:
    p = _person_at(run, person_id)
    p.find_degradation(**run.by, **cmd.fields())
    return saved(p)


def find_unit_violation(run: Run, cmd: c.FindUnitViolation, person_id: UUID) -> Outcome:
    p = _person_at(run, person_id)
    p.find_unit_violation(**run.by, **cmd.fields())
    return saved(p)


# ------------------------------------------------------------ Decree 335 score sheets
def _new_sheet(
    run: Run,
    p: Person,
    year: int,
    period: int,
    products: list[Any],
    kind: PeriodKind,
    taken: set[UUID] | None = None,
) -> ScoreSheet:
    """``taken``: the sheet ids already known to exist (else one look-up for this one)."""
    ident = sheet_id_for(p.id, year, kind.value, period)
    if (ident in taken) if taken is not None else run.exists(ident):
        raise AlreadyExists(f"phiếu kỳ {period}/{year} của '{p.code}' đã có")
    at = period_in(p, year)
    return ScoreSheet.open(
        tenant=run.tenant,
        **run.by,
        person_id=p.id,
        agency_id=at["agency_id"],
        year=year,
        period_kind=kind.value,
        period=period,
        leader=at["position"] != Position.STAFF.value,
        products=products,
    )


def open_sheet(run: Run, cmd: c.OpenSheet, person_id: UUID) -> Outcome:
    p = person(run, person_id)
    reach(run, period_in(p, cmd.year)["agency_id"], cmd.year)
    products = [x.model_dump() for x in cmd.products]
    kind = settings_of(run).scoring_period
    return saved(_new_sheet(run, p, cmd.year, cmd.period, products, kind))


def _sheet_at(run: Run, sheet_id: UUID) -> ScoreSheet:
    sheet = run.load(ScoreSheet, sheet_id, "phiếu theo dõi")
    reach(run, sheet.agency_id, sheet.year)
    require_self(run, person(run, sheet.person_id))
    return sheet


def record_products(run: Run, cmd: c.RecordProducts, sheet_id: UUID) -> Outcome:
    sheet = _sheet_at(run, sheet_id)
    sheet.record_products(**run.by, products=[x.model_dump() for x in cmd.products])
    return saved(sheet)


def confirm_objective_cause(run: Run, cmd: c.ConfirmObjectiveCause, sheet_id: UUID) -> Outcome:
    sheet = _sheet_at(run, sheet_id)
    sheet.confirm_objective_cause(**run.by, **cmd.fields())
    return saved(sheet)


def score_general(run: Run, cmd: c.ScoreGeneral, sheet_id: UUID) -> Outcome:
    sheet = _sheet_at(run, sheet_id)
    by_self = run.ctx.actor.get("role") == "official"
    sheet.score_general(**run.by, points=cmd.points, by_self=by_self, note=cmd.note)
    return saved(sheet)


def approve_sheet(run: Run, cmd: c.ApproveSheet, sheet_id: UUID) -> Outcome:
    sheet = _sheet_at(run, sheet_id)
    result = sheet.approve(**run.by, settings=settings_of(run), **cmd.fields())
    return saved(sheet, items=[{"total": str(result.total), "tasks": str(result.tasks)}])


def reopen_sheet(run: Run, cmd: c.ReopenSheet, sheet_id: UUID) -> Outcome:
    sheet = _sheet_at(run, sheet_id)
    sheet.reopen(**run.by, **cmd.fields())
    return saved(sheet)


def import_sheets(run: Run, cmd: c.ImportSheets) -> Outcome:
    settings = settings_of(run)
    reached = Reach(run)
    made: list[ScoreSheet] = []
    kind = settings.scoring_period
    # every person of the import and the existence of every sheet in one store read each, not
    # one per row (the ids follow from the codes; the checks stay in the order of the rows)
    codes = list(dict.fromkeys(i.person_code for i in cmd.sheets))
    found = run.load_many(Person, [person_id_for(run.tenant, x) for x in codes], "cán bộ")
    people = {p.code: p for p in found.values()}
    taken = run.existing(
        [
            sheet_id_for(person_id_for(run.tenant, i.person_code), cmd.year, kind.value, i.period)
            for i in cmd.sheets
        ]
    )
    for item in cmd.sheets:
        p = people.get(item.person_code) or person_by_code(run, item.person_code)
        people[item.person_code] = p
        reached.check(period_in(p, cmd.year)["agency_id"], cmd.year)
        products = [x.model_dump() for x in item.products]
        sheet = _new_sheet(run, p, cmd.year, item.period, products, kind, taken)
        taken.add(sheet.id)  # the same period twice in one file is refused too
        sheet.score_general(**run.by, points=item.general, by_self=False)
        sheet.approve(
            **run.by,
            settings=settings,
            subordinates_all_completed=item.subordinates_all_completed,
        )
        made.append(sheet)
    items = [{"id": str(s.id), "total": str(s.approved_total)} for s in made]
    return saved(*made, items=items)


# ------------------------------------------------------------ ratings
def open_rating(run: Run, cmd: c.OpenRating, person_id: UUID) -> Outcome:
    return saved(open_one(run, person(run, person_id), cmd.year, cmd.side, cmd.party_committee))


def open_ratings(run: Run, cmd: c.OpenRatings) -> Outcome:
    registry.unit_of_code(run, cmd.agency_id)
    reach(run, cmd.agency_id, cmd.year)
    settings, reached = settings_of(run), Reach(run)
    ids = [person_id_for(run.tenant, code) for code in cmd.person_codes]
    found = run.load_many(Person, ids, "cán bộ")
    taken = run.existing([rating_id_for(i, cmd.year, cmd.side) for i in ids])
    opened = []
    for code, ident in zip(cmd.person_codes, ids, strict=True):
        p = found.get(ident) or person_by_code(run, code)
        rating = open_one(
            run,
            p,
            cmd.year,
            cmd.side,
            cmd.party_committee,
            settings=settings,
            reached=reached,
            taken=taken,
        )
        taken.add(rating.id)  # a code twice in one list is refused too
        opened.append(rating)
    items = [{"person_id": str(r.person_id), "id": str(r.id)} for r in opened]
    return saved(*opened, items=items)


def _rating_at(run: Run, rating_id: UUID, *, at_authority: bool = False) -> IndividualRating:
    rating = run.load(IndividualRating, rating_id, "hồ sơ xếp loại")
    reach(run, rating.authority.agency_id if at_authority else rating.agency_id, rating.year)
    return rating


def self_assess(run: Run, cmd: c.SelfAssess, rating_id: UUID) -> Outcome:
    rating = _rating_at(run, rating_id)
    rated = evaluated(run, rating, settings_of(run), today(run), lenient_head=True)
    require_self(run, rated.person)
    outcome = rated.evaluation.outcome if rated.evaluation else None
    level = cmd.proposed_level
    if level is None and outcome is not None and outcome.score_based:
        level = outcome.highest.value if outcome.highest else Level.NOT_COMPLETED.value
    elif level is None and rated.score is not None:  # a head before the unit's result
        level = band(rated.score).value
    rating.self_assess(
        **run.by,
        form=cmd.form,
        content=dict(cmd.content),
        proposed_level=level or "",
        outcome=outcome,
        score=rated.score,
    )
    return saved(rating)


def record_previous_opinion(run: Run, cmd: c.RecordPreviousOpinion, rating_id: UUID) -> Outcome:
    rating = _rating_at(run, rating_id)
    rating.record_previous_opinion(**run.by, **cmd.fields())
    return saved(rating)


def minute_meeting(run: Run, cmd: c.MinuteMeeting, rating_id: UUID) -> Outcome:
    rating = _rating_at(run, rating_id)
    fields = cmd.fields()
    rating.minute_meeting(**run.by, **fields)
    return saved(rating)


def approve_minutes(run: Run, cmd: c.ApproveMinutes, rating_id: UUID) -> Outcome:
    rating = _rating_at(run, rating_id)
    rating.approve_minutes(**run.by, **cmd.fields())
    return saved(rating)


def comment_by_party_committee(
    run: Run, cmd: c.CommentByPartyCommittee, rating_id: UUID
) -> Outcome:
    rating = _rating_at(run, rating_id)
    rating.comment_by_party_committee(**run.by, **cmd.fields())
    return saved(rating)


def propose_level(run: Run, cmd: c.ProposeLevel, rating_id: UUID) -> Outcome:
    rating = _rating_at(run, rating_id)
    rated = evaluated(run, rating, settings_of(run), today(run))
    rating.propose(**run.by, **cmd.fields(), outcome=rated.ev.outcome)
    return saved(rating)


def record_agency_round(run: Run, cmd: c.RecordAgencyRound) -> Outcome:
    settings, on = settings_of(run), today(run)
    reached = Reach(run)
    levels = UnitLevels(run)
    done: list[IndividualRating] = []
    comments = [x.model_dump() for x in cmd.comments]
    held_on = cmd.fields()["held_on"]
    ratings = ratings_in_order(run, [item.rating_id for item in cmd.proposals])
    people = people_by_id(run, [r.person_id for r in ratings])
    kind = settings.scoring_period
    totals: dict[UUID, list[Decimal]] = {}
    for year in sorted({r.year for r in ratings}):  # everyone's totals: one read a year
        need = [
            people[r.person_id]
            for r in ratings
            if r.year == year
            and r.rule_set in ("decree_335", "party_366")
            and r.steps.get("self_assessment", {}).get("score") is None
        ]
        totals.update(approved_totals(run, need, year, kind))
    for item, rating in zip(cmd.proposals, ratings, strict=True):
        reached.check(rating.agency_id, rating.year)
        rated = evaluated(
            run,
            rating,
            settings,
            on,
            p=people[rating.person_id],
            totals=totals.get(rating.person_id),
            unit_levels=levels,
        )
        outcome = rated.ev.outcome
        level = item.proposed_level
        if level is None and outcome.score_based and outcome.highest is not None:
            level = outcome.highest.value
        if "self_assessment" not in rating.steps and rating.form == "phieu_diem_335":
            rating.self_assess(
                **run.by,
                form=rating.form,
                outcome=outcome,
                score=rated.score,
                content={"phieu_diem": "các phiếu theo dõi tháng/quý đã duyệt"},
                proposed_level=level or Level.NOT_COMPLETED.value,
            )
        rating.minute_meeting(
            **run.by,
            minutes_number=cmd.minutes_number,
            held_on=held_on,
            attendees=cmd.attendees,
            comments=comments,
        )
        rating.approve_minutes(**run.by, approved_on=held_on)
        if rating.party_committee:
            if not cmd.party_document_number or not cmd.party_comments:
                raise StepOutOfOrder("cơ quan có cấp ủy: cần số văn bản và ý kiến của cấp ủy")
            rating.comment_by_party_committee(
                **run.by, document_number=cmd.party_document_number, comments=cmd.party_comments
            )
        rating.propose(**run.by, proposed_level=level, summary=cmd.summary, outcome=outcome)
        done.append(rating)
    items = [
        {"id": str(r.id), "proposed_level": r.steps["proposal"]["proposed_level"]} for r in done
    ]
    return saved(*done, items=items)


def decide_rating(run: Run, cmd: c.DecideRating, rating_id: UUID) -> Outcome:
    rating = _rating_at(run, rating_id, at_authority=True)
    return decide_all(run, [(rating, cmd.level)], cmd.decision_number, cmd.fields()["decided_on"])


def decide_ratings(run: Run, cmd: c.DecideRatings) -> Outcome:
    ratings = ratings_in_order(run, [d.rating_id for d in cmd.decisions])
    reached = Reach(run)
    for rating in ratings:  # the caller's reach at each authority, checked once per agency
        reached.check(rating.authority.agency_id, rating.year)
    batch = [(r, d.level) for r, d in zip(ratings, cmd.decisions, strict=True)]
    return decide_all(run, batch, cmd.decision_number, cmd.fields()["decided_on"])


def acknowledge_findings(run: Run, cmd: c.AcknowledgeFindings, rating_id: UUID) -> Outcome:
    rating = _rating_at(run, rating_id, at_authority=True)
    p = person(run, rating.person_id)
    found = inspection.findings_by_decision(run, cmd.inspection_decision, p.account or "")
    rating.acknowledge_findings(
        **run.by,
        inspection_id=found["inspection_id"],
        decision_number=cmd.inspection_decision,
        findings=found["findings"],
        note=cmd.note,
    )
    return saved(rating)


def notify_rating(run: Run, cmd: c.NotifyRating, rating_id: UUID) -> Outcome:
    rating = _rating_at(run, rating_id)
    rating.notify(**run.by, **cmd.fields())
    return saved(rating)


def publish_rating(run: Run, cmd: c.PublishRating, rating_id: UUID) -> Outcome:
    rating = _rating_at(run, rating_id)
    rating.publish(**run.by, **cmd.fields())
    return saved(rating)


def redo_rating(run: Run, cmd: c.RedoRating, rating_id: UUID) -> Outcome:
    rating = _rating_at(run, rating_id, at_authority=True)
    rating.redo(**run.by, **cmd.fields())
    quota = quota_for(run, rating)
    quota.record(
        **run.by,
        entries={str(rating.person_id): None},
        settings=settings_of(run),
        source="seed 002",
    )
    return saved(rating, quota)


# ------------------------------------------------------------ quota, settings
def override_quota(run: Run, cmd: c.OverrideQuota) -> Outcome:
    ident = quota_id_for(run.tenant, cmd.agency_id, cmd.task_group, cmd.year, cmd.side)
    registry.unit_of_code(run, cmd.agency_id)
    quota = run.find(ExcellentQuota, ident, "tỷ lệ") or ExcellentQuota.open(
        tenant=run.tenant,
        **run.by,
        agency_id=cmd.agency_id,
        task_group=cmd.task_group,
        year=cmd.year,
        side=cmd.side,
    )
    fields = cmd.fields(exclude={"agency_id", "task_group", "year", "side"})
    quota.decide_override(**run.by, **fields, settings=settings_of(run))
    return saved(quota)


def change_rating_settings(run: Run, cmd: c.ChangeRatingSettings) -> Outcome:
    agg = run.find(RatingSettings, settings_id_for(run.tenant), "thiết lập")
    if agg is None:
        agg = RatingSettings.create(tenant=run.tenant, **run.by)
    agg.change(**run.by, **cmd.fields())
    return saved(agg)
