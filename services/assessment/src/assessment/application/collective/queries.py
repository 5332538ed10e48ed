"""Collective queries: a cycle, a unit's assessment, its draft (the unit's own only), the units
a cycle may enrol."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import assessment.application.remediation.api as remediation
from assessment.application.kernel.catalogue import query
from assessment.application.kernel.executor import Read
from assessment.application.registry.api import units_valid_in
from assessment.domain.collective.cycle import Cycle
from assessment.domain.collective.unit_assessment import UnitAssessment, unit_assessment_id_for
from assessment.domain.kernel.values import VN_TZ


@query()
def get_cycle(read: Read, cycle_id: UUID) -> dict[str, Any]:
    cycle = read.load(Cycle, cycle_id, "kỳ đánh giá")
    return {
        "id": str(cycle.id),
        "year": cycle.year,
        "title": cycle.title,
        "plan_reference": cycle.plan_reference,
        "content_groups": cycle.content_groups,
        "deadlines": cycle.deadlines,
        "deadline_changes": list(cycle.deadline_changes),
        "unit_ids": list(cycle.unit_ids),
        "version": cycle.version,
    }


@query()
def get_unit_assessment(read: Read, cycle_id: UUID, unit_id: UUID) -> dict[str, Any]:
    ident = unit_assessment_id_for(cycle_id, unit_id)
    ua = read.load(UnitAssessment, ident, "hồ sơ đánh giá của đơn vị")
    return {
        "id": str(ua.id),
        "cycle_id": str(ua.cycle_id),
        "unit_id": str(ua.unit_id),
        "year": ua.year,
        "version": ua.version,
        "sector_reviews": ua.sector_reviews,
        "self_assessment": ua.self_assessment,
        "member_reviews": ua.member_reviews,
        "consolidation": ua.consolidation,
        "caucus_review": ua.caucus_review,
        "adjustments": ua.adjustments,
        "recognition": ua.recognition,
        "publication": ua.publication,
        "perfunctory_flags": ua.perfunctory_flags,
        "reopenings": ua.reopenings,
        "withdrawals": list(ua.withdrawals),
        "supplements": list(ua.supplements),
        "has_draft": ua.draft is not None,
        "current_level": ua.current_level,
        # last year's shortcomings of this unit (or its persons) not yet remedied: they weigh
        # on this year's evaluation (seed 002; 366-QĐ/TW for "excellent")
        "carried_over": remediation.unremedied(
            read, ua.unit_id, ua.year - 1, read.app.clock().astimezone(VN_TZ).date()
        ),
    }


@query()
def get_self_assessment_draft(read: Read, cycle_id: UUID, unit_id: UUID) -> dict[str, Any] | None:
    """The unit's draft (None if none): only the unit's own officer and head may read it."""
    ua = read.load(UnitAssessment, unit_assessment_id_for(cycle_id, unit_id), "hồ sơ")
    read.app.authorize_on(read.ctx, "read_self_assessment_draft", ua.unit_id, ua.year)
    return dict(ua.draft) if ua.draft is not None else None


@query()
def enrolment_candidates(read: Read, cycle_id: UUID) -> list[dict[str, Any]]:
    """The tenant's units valid in the cycle's year, each marked enrolled or not."""
    cycle = read.load(Cycle, cycle_id, "kỳ đánh giá")
    enrolled = set(cycle.unit_ids)
    return [{**u, "enrolled": u["id"] in enrolled} for u in units_valid_in(read, cycle.year)]
