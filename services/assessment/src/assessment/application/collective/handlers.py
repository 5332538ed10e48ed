"""Collective handlers: one per command — load, call the aggregate, return what to save.

A step of a unit's assessment loads the cycle and the unit's assessment, checks the caller's
reach on that unit in the cycle's year, and hands the step's deadline to the aggregate, which
records any lateness; the answer says how late."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from assessment.application.collective.commands import (
    AdjustLevel,
    AnswerSupplement,
    AskForSupplement,
    ChangeDeadline,
    Consolidate,
    EnrolUnits,
    FlagPerfunctory,
    PlanCycle,
    Publish,
    PublishSectorReview,
    Recognise,
    RecogniseUnits,
    ReopenStep,
    ReviewByCaucus,
    SaveSelfAssessmentDraft,
    SubmitMemberReview,
    SubmitSectorReview,
    SubmitSelfAssessment,
    WithdrawSelfAssessment,
)
from assessment.application.kernel.catalogue import Outcome, saved
from assessment.application.kernel.executor import Run
from assessment.application.registry.api import require_active_in, unit_name
from assessment.domain.collective.cycle import Cycle, cycle_id_for
from assessment.domain.collective.unit_assessment import UnitAssessment, unit_assessment_id_for
from assessment.domain.collective.values import Step
from assessment.domain.kernel.errors import AlreadyExists, DomainError, ValidationFailed


# ------------------------------------------------------------ cycles
def _enrolled(run: Run, cycle: Cycle, unit_ids: list[UUID]) -> Outcome:
    require_active_in(run, unit_ids, cycle.year)
    new = cycle.enrol(**run.by, unit_ids=unit_ids)
    opened = [
        UnitAssessment.open(
            tenant=run.tenant, **run.by, cycle_id=cycle.id, unit_id=u, year=cycle.year
        )
        for u in new
    ]
    return saved(cycle, *opened, enrolled=[str(a.unit_id) for a in opened])


def plan_cycle(run: Run, cmd: PlanCycle) -> Outcome:
    if run.exists(cycle_id_for(run.tenant, cmd.year)):
        raise AlreadyExists(f"kỳ đánh giá năm {cmd.year} đã có")
    cycle = Cycle.plan(tenant=run.tenant, **run.by, **cmd.fields(exclude={"unit_ids"}))
    return _enrolled(run, cycle, cmd.unit_ids)


def enrol_units(run: Run, cmd: EnrolUnits, cycle_id: UUID) -> Outcome:
    return _enrolled(run, run.load(Cycle, cycle_id, "kỳ đánh giá"), cmd.unit_ids)


def change_deadline(run: Run, cmd: ChangeDeadline, cycle_id: UUID) -> Outcome:
    cycle = run.load(Cycle, cycle_id, "kỳ đánh giá")
    cycle.change_deadline(**run.by, **cmd.fields())
    return saved(cycle)


# ------------------------------------------------------------ steps of a unit's assessment
@dataclass
class AtStep:
    """A unit's assessment, loaded and authorised, at one step (and that step's deadline)."""

    run: Run
    cycle: Cycle
    ua: UnitAssessment
    step: Step | None
    deadline: datetime | None

    @property
    def by(self) -> dict[str, Any]:
        """Actor and business time, and the deadline when the step has one."""
        return {**self.run.by, "deadline": self.deadline} if self.step else self.run.by

    def done(self) -> Outcome:
        if self.deadline is None:
            return saved(self.ua)
        late = max(0, int((self.run.now - self.deadline).total_seconds()))
        return saved(self.ua, late=late > 0, late_by_seconds=late)


def at_step(run: Run, cycle_id: UUID, unit_id: UUID, step: Step | None = None) -> AtStep:
    cycle = run.load(Cycle, cycle_id, "kỳ đánh giá")
    ident = unit_assessment_id_for(cycle_id, unit_id)
    ua = run.load(UnitAssessment, ident, "hồ sơ đánh giá của đơn vị")
    run.authorize_for(ua.unit_id, cycle.year)
    return AtStep(run, cycle, ua, step, cycle.deadline_for(step) if step else None)


def submit_sector_review(
    run: Run, cmd: SubmitSectorReview, cycle_id: UUID, unit_id: UUID
) -> Outcome:
    at = at_step(run, cycle_id, unit_id, Step.SECTOR_REVIEW)
    reviewer = run.ctx.actor.get("acting_for") or ""
    at.ua.submit_sector_review(**at.by, reviewer_unit_id=reviewer, **cmd.fields())
    return at.done()


def publish_sector_review(
    run: Run, cmd: PublishSectorReview, cycle_id: UUID, unit_id: UUID
) -> Outcome:
    at = at_step(run, cycle_id, unit_id)
    at.ua.publish_sector_review(**at.by, reviewer_unit_id=run.ctx.actor.get("acting_for") or "")
    return at.done()


def submit_self_assessment(
    run: Run, cmd: SubmitSelfAssessment, cycle_id: UUID, unit_id: UUID
) -> Outcome:
    at = at_step(run, cycle_id, unit_id, Step.SELF_ASSESSMENT)
    groups = at.cycle.content_group_codes()
    at.ua.submit_self_assessment(**at.by, group_codes=groups, **cmd.fields())
    return at.done()


def submit_member_review(
    run: Run, cmd: SubmitMemberReview, cycle_id: UUID, unit_id: UUID
) -> Outcome:
    at = at_step(run, cycle_id, unit_id, Step.MEMBER_REVIEW)
    at.ua.submit_member_review(**at.by, **cmd.fields())
    return at.done()


def consolidate(run: Run, cmd: Consolidate, cycle_id: UUID, unit_id: UUID) -> Outcome:
    at = at_step(run, cycle_id, unit_id, Step.CONSOLIDATION)
    at.ua.consolidate(**at.by, **cmd.fields())
    return at.done()


def review_by_caucus(run: Run, cmd: ReviewByCaucus, cycle_id: UUID, unit_id: UUID) -> Outcome:
    at = at_step(run, cycle_id, unit_id, Step.CAUCUS_REVIEW)
    at.ua.review_by_caucus(**at.by, **cmd.fields())
    return at.done()


def adjust_level(run: Run, cmd: AdjustLevel, cycle_id: UUID, unit_id: UUID) -> Outcome:
    at = at_step(run, cycle_id, unit_id)
    at.ua.adjust_level(**at.by, **cmd.fields())
    return at.done()


def recognise(run: Run, cmd: Recognise, cycle_id: UUID, unit_id: UUID) -> Outcome:
    at = at_step(run, cycle_id, unit_id, Step.RECOGNITION)
    at.ua.recognise(**at.by, **cmd.fields())
    return at.done()


def publish(run: Run, cmd: Publish, cycle_id: UUID, unit_id: UUID) -> Outcome:
    at = at_step(run, cycle_id, unit_id)
    at.ua.publish(**at.by, **cmd.fields())
    return at.done()


def flag_perfunctory(run: Run, cmd: FlagPerfunctory, cycle_id: UUID, unit_id: UUID) -> Outcome:
    at = at_step(run, cycle_id, unit_id)
    at.ua.flag_perfunctory(**at.by, **cmd.fields())
    return at.done()


def reopen_step(run: Run, cmd: ReopenStep, cycle_id: UUID, unit_id: UUID) -> Outcome:
    at = at_step(run, cycle_id, unit_id)
    at.ua.reopen(**at.by, **cmd.fields())
    return at.done()


# ------------------------------------------------------------ drafts, withdrawal, supplements
def save_self_assessment_draft(
    run: Run, cmd: SaveSelfAssessmentDraft, cycle_id: UUID, unit_id: UUID
) -> Outcome:
    at = at_step(run, cycle_id, unit_id)
    groups = at.cycle.content_group_codes()
    at.ua.save_self_assessment_draft(**at.by, group_codes=groups, **cmd.fields())
    return at.done()


def withdraw_self_assessment(
    run: Run, cmd: WithdrawSelfAssessment, cycle_id: UUID, unit_id: UUID
) -> Outcome:
    at = at_step(run, cycle_id, unit_id, Step.SELF_ASSESSMENT)
    at.ua.withdraw_self_assessment(**at.by, **cmd.fields())
    return saved(at.ua)


def ask_for_supplement(run: Run, cmd: AskForSupplement, cycle_id: UUID, unit_id: UUID) -> Outcome:
    at = at_step(run, cycle_id, unit_id)
    request_id = at.ua.request_supplement(**at.by, **cmd.fields())
    return saved(at.ua, request_id=request_id)


def answer_supplement(
    run: Run, cmd: AnswerSupplement, cycle_id: UUID, unit_id: UUID, request_id: UUID
) -> Outcome:
    at = at_step(run, cycle_id, unit_id)
    fields = cmd.fields()
    at.ua.answer_supplement(
        **at.by, request_id=str(request_id), text_=fields["text"], evidence=fields["evidence"]
    )
    return saved(at.ua)


# ------------------------------------------------------------ one decision for many units
def recognise_units(run: Run, cmd: RecogniseUnits, cycle_id: UUID) -> Outcome:
    """Every unit of the list recognised by the one decision, in one transaction: the first
    unit refused refuses the whole list (its name in the message), and nothing is stored."""
    ids = [u.unit_id for u in cmd.units]
    if len(set(ids)) != len(ids):
        raise ValidationFailed("một đơn vị xuất hiện hai lần trong danh sách công nhận")
    decision = cmd.fields(exclude={"units"})
    recognised: list[UnitAssessment] = []
    cycle = run.load(Cycle, cycle_id, "kỳ đánh giá")
    for item in cmd.units:
        at = at_step(run, cycle_id, item.unit_id, Step.RECOGNITION)
        try:
            at.ua.recognise(**at.by, **decision, level=item.level)
        except DomainError as exc:
            name = unit_name(run, item.unit_id, at.cycle.year)
            raise type(exc)(f"{name}: {exc.detail}") from None
        recognised.append(at.ua)
    items = [{"unit_id": str(a.unit_id), "id": str(a.id), "version": a.version} for a in recognised]
    return recognised, {"id": str(cycle.id), "version": cycle.version, "items": items}
