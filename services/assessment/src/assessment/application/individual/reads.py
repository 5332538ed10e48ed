"""Reads of personal data: a person's file, a rating, a score sheet, and the quota of a scope.

They run through the executor like commands (role check, then the target's agency, then the
rules of ``domain.individual.access``) because a read by anyone but the person is itself
recorded (``PersonFileLog.ReadRecorded``), in the same transaction as the answer is built. They
are not in ``handlers`` (no POST route is derived for them); the GET routes call
``app.execute(SPEC, ctx, Model(), ids)``.
"""

from __future__ import annotations

from typing import Any, ClassVar
from uuid import UUID

from pydantic import Field

from assessment.application.individual.support import (
    reach,
    reader_target,
    recorded_read,
    settings_of,
    today,
)
from assessment.application.kernel.catalogue import CommandSpec, Outcome
from assessment.application.kernel.commands import Command, Route, Text
from assessment.application.kernel.executor import Run
from assessment.domain.individual.person import Person
from assessment.domain.individual.quota import ExcellentQuota, quota_id_for
from assessment.domain.individual.rating import IndividualRating
from assessment.domain.individual.sheet import ScoreSheet

FILE = "read_person_file"


class ReadFile(Command):
    route: ClassVar = Route("/people/{person_id}", "Hồ sơ đánh giá / A person's file", "people")
    checked_on_target: ClassVar = True


class ReadQuota(Command):
    route: ClassVar = Route("/quotas", "Tỷ lệ 'xuất sắc' / Quota", "quotas")
    checked_on_target: ClassVar = True
    agency_id: str = Field(pattern=r"^[A-Za-z0-9._-]{1,64}$")
    task_group: Text = Field(min_length=1, max_length=100)
    year: int = Field(ge=2020, le=2100)
    side: str = Field(default="state", pattern="^(state|party)$")


def person_view(p: Person) -> dict[str, Any]:
    return {
        "id": str(p.id),
        "code": p.code,
        "full_name": p.full_name,
        "category": p.category.value,
        "current": p.current,
        "periods": p.periods,
        "absences": p.absences,
        "disciplines": p.disciplines,
        "degradations": p.degradations,
        "unit_violations": p.unit_violations,
        "counted": p.counted,
        "version": p.version,
    }


def rating_view(r: IndividualRating) -> dict[str, Any]:
    return {
        "id": str(r.id),
        "person_id": str(r.person_id),
        "agency_id": r.agency_id,
        "year": r.year,
        "side": r.side,
        "category": r.category.value,
        "position": r.position,
        "task_group": r.task_group,
        "rule_set": r.rule_set,
        "form": r.form,
        "authority_agency_id": r.authority.agency_id,
        "previous_agencies": r.previous_agencies,
        "previous_opinions": r.previous_opinions,
        "steps": r.steps,
        "decision": r.decision,
        "notice": r.notice,
        "publication": r.publication,
        "history": r.history,
        "findings_acknowledged": list(r.findings_acknowledged.values()),
        "version": r.version,
    }


def sheet_view(s: ScoreSheet) -> dict[str, Any]:
    return {
        "id": str(s.id),
        "person_id": str(s.person_id),
        "agency_id": s.agency_id,
        "year": s.year,
        "period_kind": s.period_kind.value,
        "period": s.period,
        "leader": s.leader,
        "products": list(s.products.values()),
        "excused": s.excused,
        "general": str(s.general) if s.general is not None else None,
        "self_general": str(s.self_general) if s.self_general is not None else None,
        "approved": s.approved,
        "history": s.history,
        "version": s.version,
    }


def _file(run: Run, p: Person, year: int, what: str, view: dict[str, Any]) -> Outcome:
    reach(run, reader_target(run, p), year)
    log = recorded_read(run, p, year, what)
    return list(log), view


def read_person_file(run: Run, cmd: ReadFile, person_id: UUID) -> Outcome:
    p = run.load(Person, person_id, "cán bộ")
    return _file(run, p, today(run).year, "hồ sơ cá nhân", person_view(p))


def read_rating(run: Run, cmd: ReadFile, rating_id: UUID) -> Outcome:
    r = run.load(IndividualRating, rating_id, "hồ sơ xếp loại")
    p = run.load(Person, r.person_id, "cán bộ")
    return _file(run, p, r.year, f"xếp loại năm {r.year}", rating_view(r))


def read_sheet(run: Run, cmd: ReadFile, sheet_id: UUID) -> Outcome:
    s = run.load(ScoreSheet, sheet_id, "phiếu theo dõi")
    p = run.load(Person, s.person_id, "cán bộ")
    return _file(run, p, s.year, f"phiếu kỳ {s.period}/{s.year}", sheet_view(s))


def read_quota(run: Run, cmd: ReadQuota) -> Outcome:
    reach(run, cmd.agency_id, cmd.year)
    ident = quota_id_for(run.tenant, cmd.agency_id, cmd.task_group, cmd.year, cmd.side)
    quota = run.find(ExcellentQuota, ident, "tỷ lệ")
    settings = settings_of(run)
    if quota is None:
        use = {
            "good": 0,
            "excellent": 0,
            "percent": str(settings.excellent_quota_percent),
            "allowed": 0,
            "remaining": 0,
        }
        return [], {**cmd.model_dump(), **use, "holders": [], "override": None}
    return [], {
        **cmd.model_dump(),
        **quota.use(settings).to_dict(),
        "holders": quota.holders(),
        "override": quota.override,
    }


def _spec(
    name: str, model: type[Command], fn: Any, target: tuple[str, ...], permission: str
) -> CommandSpec:
    return CommandSpec(name=name, model=model, handler=fn, permission=permission, target=target)


READ_PERSON_FILE = _spec("read_person_file", ReadFile, read_person_file, ("person_id",), FILE)
READ_RATING = _spec("read_rating", ReadFile, read_rating, ("rating_id",), FILE)
READ_SHEET = _spec("read_sheet", ReadFile, read_sheet, ("sheet_id",), FILE)
READ_QUOTA = _spec("read_quota", ReadQuota, read_quota, (), "read_quota")
