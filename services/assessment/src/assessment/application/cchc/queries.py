"""CCHC reads: a criteria set, a unit's scoring (with its reconciliation view), a ranking, a
flag. Everyone of the tenant may read (``read``); another tenant's answers 404."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID

from assessment.application.kernel.catalogue import query
from assessment.application.kernel.executor import Read
from assessment.application.registry.api import unit_id
from assessment.domain.cchc.criteria_set import CriteriaSet
from assessment.domain.cchc.feedback import CriterionFlag
from assessment.domain.cchc.index import compute_index
from assessment.domain.cchc.ranking_decision import CchcRanking
from assessment.domain.cchc.scoring import CchcScoring, scoring_id_for
from assessment.domain.cchc.values import fmt


@query()
def get_criteria_set(read: Read, set_id: UUID) -> dict[str, Any]:
    s = read.load(CriteriaSet, set_id, "bộ tiêu chí")
    return {
        "id": str(s.id),
        "year": s.year,
        "block": s.block,
        "set_version": s.set_version,
        "title": s.title,
        "supersedes": s.supersedes,
        "prompted_by_flags": s.prompted_by_flags,
        "publication": s.publication,
        "content": s.content_data,
        "version": s.version,
    }


@query()
def get_cchc_scoring(read: Read, scoring_id: UUID) -> dict[str, Any]:
    s = read.load(CchcScoring, scoring_id, "hồ sơ chấm điểm CCHC")
    criteria = read.load(CriteriaSet, UUID(s.set_id), "bộ tiêu chí")
    content = criteria.content
    appraised = compute_index(content, s.unit_scores(s.unit_id), survey_held=bool(s.survey))
    return {
        "id": str(s.id),
        "unit_id": s.unit_id,
        "year": s.year,
        "block": s.block,
        "set_id": s.set_id,
        "set_version": s.set_version,
        "status": s.status,
        "self_deadline": s.self_deadline,
        "self_scores": s.self_scores,
        "appraised": s.appraised,
        "survey": s.survey,
        "excluded": s.excluded,
        "requests": s.requests,
        "approval": s.approval,
        "submission": s.submission,
        "confirmation": s.confirmation,
        "missing_self_scores": s.missing_self_scores(criteria),
        "running": {
            "self_points": fmt(appraised.self_points),
            "appraised_points": fmt(appraised.appraised_points),
            "appraised_max": fmt(appraised.appraised_max),
            "index": fmt(appraised.index.quantize(Decimal("0.01"))),
            "missing": list(appraised.missing),
        },
        "history": s.history,
        "version": s.version,
    }


@query()
def get_cchc_reconciliation(read: Read, scoring_id: UUID) -> dict[str, Any]:
    s = read.load(CchcScoring, scoring_id, "hồ sơ chấm điểm CCHC")
    criteria = read.load(CriteriaSet, UUID(s.set_id), "bộ tiêu chí")
    return {
        "id": str(s.id),
        "status": s.status,
        "closed": s.reconciliation is not None,
        "rows": s.reconciliation["rows"] if s.reconciliation else s.reconciliation_rows(criteria),
    }


@query()
def get_cchc_ranking(read: Read, ranking_id: UUID) -> dict[str, Any]:
    r = read.load(CchcRanking, ranking_id, "quyết định xếp hạng")
    return {
        "id": str(r.id),
        "year": r.year,
        "block": r.block,
        "set_id": r.set_id,
        "set_version": r.set_version,
        "survey_held": r.survey_held,
        "decision": r.decision,
        "publish_at": r.publish_at,
        "published_at": r.published_at,
        "rows": r.rows,
        "version": r.version,
    }


@query()
def get_criterion_flag(read: Read, flag_id: UUID) -> dict[str, Any]:
    f = read.load(CriterionFlag, flag_id, "phản ánh")
    return {
        "id": str(f.id),
        "set_id": f.set_id,
        "set_version": f.set_version,
        "code": f.code,
        "unit_id": f.unit_id,
        "reasons": f.reasons,
        "answer": f.answer,
        "version": f.version,
    }


@query()
def cchc_units_scored(read: Read, set_id: UUID, year: int, codes: list[str]) -> set[str]:
    """Of the unit codes given, those with a scoring year on this set (for the survey import)."""
    criteria = read.load(CriteriaSet, set_id, "bộ tiêu chí")
    found = set()
    for code in codes:
        ident = scoring_id_for(read.tenant, year, unit_id(read.tenant, code))
        scoring = read.find(CchcScoring, ident, "hồ sơ chấm điểm CCHC")
        if scoring is not None and scoring.set_id == str(criteria.id):
            found.add(code)
    return found
