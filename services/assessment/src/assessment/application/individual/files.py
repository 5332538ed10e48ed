"""What the individual pages read, each in one recorded read: a rating's file (the rating, the
person, the year's monthly or quarterly sheets, the quota of the scope and the rule set's
outcome), and the quota of a scope with levels a rater is about to decide (the live counts).

Like ``reads``, they run through the executor (role, then the target's agency, then
``domain.individual.access``); a read of someone else's file is recorded with what was read.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar
from uuid import UUID

from pydantic import Field

import assessment.application.inspection.api as inspection
from assessment.application.individual.permissions import ROWS
from assessment.application.individual.reads import (
    FILE,
    ReadFile,
    _file,
    _spec,
    person_view,
    rating_view,
    sheet_view,
)
from assessment.application.individual.support import (
    evaluated,
    one,
    person_and_sheets,
    reach,
    settings_of,
    today,
)
from assessment.application.kernel.catalogue import Outcome
from assessment.application.kernel.commands import Command, LevelCode, Route, Text
from assessment.application.kernel.executor import Read, Run
from assessment.domain.individual.errors import IndividualError
from assessment.domain.individual.person import Person
from assessment.domain.individual.quota import ExcellentQuota, quota_id_for, use_of
from assessment.domain.individual.rating import IndividualRating
from assessment.domain.individual.settings import IndividualSettings
from assessment.domain.individual.tenant_settings import RatingSettings, settings_id_for
from assessment.domain.kernel.base import TenantAggregate

SCORE_BASED = ("decree_335", "party_366")


class PreviewQuota(Command):
    """The scope's quota if ``levels`` (person id → level) were decided now."""

    route: ClassVar = Route("/quotas/preview", "Tỷ lệ nếu quyết định / Quota preview", "quotas")
    checked_on_target: ClassVar = True
    agency_id: str = Field(pattern=r"^[A-Za-z0-9._-]{1,64}$")
    task_group: Text = Field(min_length=1, max_length=100)
    year: int = Field(ge=2020, le=2100)
    side: str = Field(default="state", pattern="^(state|party)$")
    levels: dict[str, LevelCode | None] = Field(default_factory=dict, max_length=20_000)


def quota_use(
    read: Read,
    settings: IndividualSettings,
    agency_id: str,
    task_group: str,
    year: int,
    side: str,
    pending: Mapping[str, str | None] | None = None,
    read_already: Mapping[UUID, Any] | None = None,
) -> dict[str, Any]:
    """``read_already``: the aggregates a read has loaded, the quota among them if it exists."""
    ident = quota_id_for(read.tenant, agency_id, task_group, year, side)
    if read_already is None:
        quota = one(read, ExcellentQuota, ident)
    else:
        found = read_already.get(ident)
        quota = found if isinstance(found, ExcellentQuota) else None
    levels = dict(quota.levels) if quota is not None else {}
    for person, level in (pending or {}).items():
        if level is None:
            levels.pop(person, None)
        else:
            levels[person] = level
    override = quota.override_percent if quota is not None else None
    use = use_of(levels, settings, override)
    return {
        "agency_id": agency_id,
        "task_group": task_group,
        "year": year,
        "side": side,
        **use.to_dict(),
        "exceeded": use.exceeded,
        "override": quota.override if quota is not None else None,
    }


def rating_file(run: Run, cmd: ReadFile, rating_id: UUID) -> Outcome:
    # two store reads: the rating with the settings, then the person, the year's sheets (shown
    # and scored) and the quota of the scope
    first = run.load_many(TenantAggregate, [rating_id, settings_id_for(run.tenant)], "")
    r = first.get(rating_id)
    if not isinstance(r, IndividualRating):
        r = run.load(IndividualRating, rating_id, "hồ sơ xếp loại")  # raises NotFound
    stored = first.get(settings_id_for(run.tenant))
    settings = stored.settings if isinstance(stored, RatingSettings) else IndividualSettings()
    kind = settings.scoring_period if r.rule_set in SCORE_BASED else None
    quota_ident = quota_id_for(run.tenant, r.agency_id, r.task_group, r.year, r.side)
    p, found, also = person_and_sheets(run, r.person_id, r.year, kind, also=[quota_ident])
    sheets = [sheet_view(s) for s in found or ()]
    outcome: dict[str, Any] | None = None
    score = None
    try:
        rated = evaluated(run, r, settings, today(run), lenient_head=True, p=p, sheets=found)
    except IndividualError:
        rated = None
    if rated is not None:
        score = str(rated.score) if rated.score is not None else None
        if rated.evaluation is not None:
            o = rated.evaluation.outcome
            outcome = {
                "rated": o.rated,
                "score_based": o.score_based,
                "highest": o.highest.value if o.highest else None,
                "findings": [f.to_dict() for f in o.findings],
            }
    view = {
        "rating": rating_view(r),
        "person": person_view(p),
        "sheets": sheets,
        "period_kind": settings.scoring_period.value,
        "score": score,
        "outcome": outcome,
        "quota": quota_use(
            run, settings, r.agency_id, r.task_group, r.year, r.side, read_already=also
        ),
        "findings_pending": [],
    }
    what = f"xếp loại năm {r.year}"
    if run.ctx.actor.get("role") in ROWS["acknowledge_findings"]:
        view["findings_pending"] = findings_pending(run, r, p)
        if view["findings_pending"]:
            what += ", phát hiện của đoàn kiểm tra"
    return _file(run, p, r.year, what, view)


def findings_pending(run: Run, r: IndividualRating, p: Person) -> list[dict[str, Any]]:
    """The inspections with findings on the person that the rater has not acknowledged yet
    (from the per-person index of the inspection context; shown to the rater only)."""
    out = []
    for found in inspection.findings_of_person(run, p.account or ""):
        new = [f for f in found["findings"] if f["finding_id"] not in r.findings_acknowledged]
        if new:
            out.append({**found, "findings": new})
    return out


def preview_quota(run: Run, cmd: PreviewQuota) -> Outcome:
    reach(run, cmd.agency_id, cmd.year)
    pending: dict[str, str | None] = dict(cmd.levels)
    use = quota_use(
        run, settings_of(run), cmd.agency_id, cmd.task_group, cmd.year, cmd.side, pending
    )
    return [], use


READ_RATING_FILE = _spec("read_rating_file", ReadFile, rating_file, ("rating_id",), FILE)
PREVIEW_QUOTA = _spec("preview_quota", PreviewQuota, preview_quota, (), "read_quota")
