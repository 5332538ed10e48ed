"""CCHC handlers: one per command — load, authorise on the unit where the command is the
unit's own, call the aggregate, return what to save (one transaction)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from assessment.application.cchc.commands import (
    AnswerFlag,
    AppraiseCriterion,
    ApproveSelfReport,
    CloseReconciliation,
    ConfirmByCouncil,
    DecideRanking,
    DraftCriteriaSet,
    ExcludeCriterion,
    ExtendSelfDeadline,
    FlagCriterion,
    OpenScoring,
    PublishCriteriaSet,
    PublishRanking,
    RecordSelfScore,
    RecordSurveys,
    ReplyToSupplement,
    RequestSupplement,
    ReviseCriteriaSet,
    ScheduleRankingPublication,
    SubmitSelfReport,
    WithdrawSelfReport,
    evidence_dicts,
)
from assessment.application.kernel.catalogue import Outcome, saved
from assessment.application.kernel.executor import Run
from assessment.application.registry.api import require_active_in, unit_id, unit_name
from assessment.domain.cchc.criteria_set import CriteriaSet
from assessment.domain.cchc.feedback import CriterionFlag
from assessment.domain.cchc.ranking_decision import CchcRanking, ranking_id_for
from assessment.domain.cchc.scoring import CchcScoring, scoring_id_for
from assessment.domain.kernel.errors import AlreadyExists, ValidationFailed

HOME_AFFAIRS = "home_affairs"


def _set(run: Run, set_id: UUID | str) -> CriteriaSet:
    return run.load(CriteriaSet, UUID(str(set_id)), "bộ tiêu chí")


@dataclass
class AtScoring:
    run: Run
    scoring: CchcScoring
    criteria: CriteriaSet

    @property
    def by(self) -> dict[str, Any]:
        return {**self.run.by, "criteria": self.criteria}

    @property
    def agency(self) -> dict[str, Any]:
        """Who appraises: the caller's agency code, and whether it is Home Affairs."""
        actor = self.run.ctx.actor
        return {
            "agency": str(actor.get("acting_for") or ""),
            "is_home_affairs": actor.get("role") == HOME_AFFAIRS,
        }


def at_scoring(run: Run, scoring_id: UUID, *, own_unit: bool = False) -> AtScoring:
    scoring = run.load(CchcScoring, scoring_id, "hồ sơ chấm điểm CCHC")
    if own_unit:
        run.authorize_for(UUID(scoring.unit_id), scoring.year)
    return AtScoring(run, scoring, _set(run, scoring.set_id))


# ------------------------------------------------------------ criteria sets
def draft_criteria_set(run: Run, cmd: DraftCriteriaSet) -> Outcome:
    previous = _set(run, cmd.supersedes) if cmd.supersedes else None
    flags = [str(f) for f in cmd.prompted_by_flags]
    if previous is not None:
        if previous.block != cmd.block:
            raise ValidationFailed("phiên bản mới phải cùng khối với phiên bản trước")
        s = CriteriaSet.draft_next(
            previous, **run.by, content=cmd.content, title=cmd.title, year=cmd.year,
            prompted_by_flags=flags,
        )  # fmt: skip
    else:
        s = CriteriaSet.draft(
            tenant=run.tenant, **run.by, year=cmd.year, block=cmd.block, title=cmd.title,
            content=cmd.content, prompted_by_flags=flags,
        )  # fmt: skip
    if run.exists(s.id):
        raise AlreadyExists(
            f"bộ tiêu chí năm {cmd.year}, khối {cmd.block}, phiên bản {s.set_version} đã có"
        )
    return saved(s)


def revise_criteria_set(run: Run, cmd: ReviseCriteriaSet, set_id: UUID) -> Outcome:
    s = _set(run, set_id)
    s.revise(**run.by, **cmd.fields())
    return saved(s)


def publish_criteria_set(run: Run, cmd: PublishCriteriaSet, set_id: UUID) -> Outcome:
    s = _set(run, set_id)
    s.publish(**run.by, **cmd.fields())
    return saved(s)


def flag_criterion(run: Run, cmd: FlagCriterion, set_id: UUID) -> Outcome:
    s = _set(run, set_id)
    run.authorize_for(cmd.unit_id, s.year)
    flag = CriterionFlag.raise_flag(
        criteria=s, **run.by, unit_id=str(cmd.unit_id), code=cmd.code, reasons=cmd.reasons
    )
    if run.exists(flag.id):
        raise AlreadyExists(f"đơn vị đã phản ánh tiêu chí '{cmd.code}' của bộ tiêu chí này")
    return saved(flag)


def answer_flag(run: Run, cmd: AnswerFlag, flag_id: UUID) -> Outcome:
    flag = run.load(CriterionFlag, flag_id, "phản ánh")
    flag.respond(**run.by, **cmd.fields())
    return saved(flag)


# ------------------------------------------------------------ a unit's year
def open_scoring(run: Run, cmd: OpenScoring, set_id: UUID) -> Outcome:
    s = _set(run, set_id)
    require_active_in(run, [cmd.unit_id], cmd.year)
    if run.exists(scoring_id_for(run.tenant, cmd.year, cmd.unit_id)):
        raise AlreadyExists(f"đơn vị đã có hồ sơ chấm điểm CCHC năm {cmd.year}")
    scoring = CchcScoring.open(criteria=s, **run.by, **cmd.fields())
    return saved(scoring)


def record_self_score(run: Run, cmd: RecordSelfScore, scoring_id: UUID) -> Outcome:
    at = at_scoring(run, scoring_id, own_unit=True)
    fields = cmd.fields(exclude={"answer", "evidence"})
    at.scoring.record_self_score(
        **at.by, **fields, answer=cmd.answer.model_dump(exclude_none=True),
        evidence=evidence_dicts(cmd.evidence),
    )  # fmt: skip
    return saved(at.scoring)


def approve_self_report(run: Run, cmd: ApproveSelfReport, scoring_id: UUID) -> Outcome:
    at = at_scoring(run, scoring_id, own_unit=True)
    at.scoring.approve_report(**at.by, **cmd.fields())
    return saved(at.scoring)


def submit_self_report(run: Run, cmd: SubmitSelfReport, scoring_id: UUID) -> Outcome:
    at = at_scoring(run, scoring_id, own_unit=True)
    at.scoring.submit(**run.by)
    late = int(at.scoring.submission["late_by_seconds"]) if at.scoring.submission else 0
    return saved(at.scoring, late=late > 0, late_by_seconds=late)


def withdraw_self_report(run: Run, cmd: WithdrawSelfReport, scoring_id: UUID) -> Outcome:
    at = at_scoring(run, scoring_id, own_unit=True)
    at.scoring.withdraw(**run.by, **cmd.fields())
    return saved(at.scoring)


def reply_to_supplement(run: Run, cmd: ReplyToSupplement, scoring_id: UUID) -> Outcome:
    at = at_scoring(run, scoring_id, own_unit=True)
    at.scoring.reply_to_request(
        **run.by, request_id=cmd.request_id, text=cmd.text, evidence=evidence_dicts(cmd.evidence)
    )
    late = at.scoring.requests[cmd.request_id]["reply"]["late_by_seconds"]
    return saved(at.scoring, late=late > 0, late_by_seconds=late)


def exclude_criterion(run: Run, cmd: ExcludeCriterion, scoring_id: UUID) -> Outcome:
    at = at_scoring(run, scoring_id)
    at.scoring.exclude(**at.by, **cmd.fields())
    return saved(at.scoring)


def extend_self_deadline(run: Run, cmd: ExtendSelfDeadline, scoring_id: UUID) -> Outcome:
    at = at_scoring(run, scoring_id)
    at.scoring.extend_deadline(**run.by, **cmd.fields())
    return saved(at.scoring)


def appraise_criterion(run: Run, cmd: AppraiseCriterion, scoring_id: UUID) -> Outcome:
    at = at_scoring(run, scoring_id)
    at.scoring.appraise(
        **at.by, **at.agency, code=cmd.code, answer=cmd.answer.model_dump(exclude_none=True),
        reason=cmd.reason,
    )  # fmt: skip
    return saved(at.scoring)


def request_supplement(run: Run, cmd: RequestSupplement, scoring_id: UUID) -> Outcome:
    at = at_scoring(run, scoring_id)
    request_id = at.scoring.request_supplement(**at.by, **at.agency, **cmd.fields())
    return saved(at.scoring, request_id=request_id)


def close_reconciliation(run: Run, cmd: CloseReconciliation, scoring_id: UUID) -> Outcome:
    at = at_scoring(run, scoring_id)
    at.scoring.close_reconciliation(**at.by, **cmd.fields())
    return saved(at.scoring)


def confirm_by_council(run: Run, cmd: ConfirmByCouncil, scoring_id: UUID) -> Outcome:
    at = at_scoring(run, scoring_id)
    at.scoring.confirm(**run.by, **cmd.fields())
    return saved(at.scoring)


def record_surveys(run: Run, cmd: RecordSurveys, set_id: UUID) -> Outcome:
    """A block's survey results in one transaction: all units or none."""
    s = _set(run, set_id)
    changed = []
    for code, results in cmd.results.items():
        unit = unit_id(run.tenant, code)
        scoring = run.find(CchcScoring, scoring_id_for(run.tenant, cmd.year, unit), "hồ sơ")
        if scoring is None or scoring.set_id != str(s.id):
            raise ValidationFailed(f"đơn vị '{code}' không có hồ sơ chấm điểm theo bộ tiêu chí này")
        scoring.record_survey(
            criteria=s, **run.by, results={k: v.model_dump() for k, v in results.items()},
            source_sha256=cmd.source_sha256, reason=cmd.reason,
        )  # fmt: skip
        changed.append(scoring)
    if not changed:
        raise ValidationFailed("tệp điều tra không có đơn vị nào")
    return saved(s, *changed)


# ------------------------------------------------------------ ranking
def decide_ranking(run: Run, cmd: DecideRanking, set_id: UUID) -> Outcome:
    s = _set(run, set_id)
    scorings = []
    for unit in dict.fromkeys(cmd.unit_ids):
        name = unit_name(run, unit, cmd.year)
        scoring = run.find(CchcScoring, scoring_id_for(run.tenant, cmd.year, unit), "hồ sơ")
        if scoring is None:
            raise ValidationFailed(f"'{name}' chưa có hồ sơ chấm điểm năm {cmd.year}")
        scorings.append((scoring, name))
    if run.exists(ranking_id_for(run.tenant, cmd.year, s.block)):
        raise AlreadyExists(f"khối {s.block} năm {cmd.year} đã có quyết định xếp hạng")
    ranking = CchcRanking.decide(
        criteria=s, scorings=scorings, **run.by, year=cmd.year, survey_held=cmd.survey_held,
        decision_number=cmd.decision_number, decision_date=cmd.fields()["decision_date"],
        signer=cmd.signer,
    )  # fmt: skip
    return saved(ranking)


def schedule_ranking_publication(
    run: Run, cmd: ScheduleRankingPublication, ranking_id: UUID
) -> Outcome:
    ranking = run.load(CchcRanking, ranking_id, "quyết định xếp hạng")
    ranking.schedule_publication(**run.by, **cmd.fields())
    return saved(ranking)


def publish_ranking(run: Run, cmd: PublishRanking, ranking_id: UUID) -> Outcome:
    ranking = run.load(CchcRanking, ranking_id, "quyết định xếp hạng")
    ranking.publish(**run.by)
    return saved(ranking)
