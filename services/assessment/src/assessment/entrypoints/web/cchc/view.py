"""A unit's CCHC year as the pages show it: the set's tree with, per component criterion, its
rule in words, the self-score, the appraised score, the difference and the requests naming it.
Read through the application's queries only (``get_cchc_scoring``, ``get_criteria_set``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from uuid import UUID

from assessment.application.registry.api import unit_id as unit_id_for
from assessment.application.service import AssessmentApplication
from assessment.domain.cchc.rule_text import describe_rule
from assessment.domain.cchc.rules import Rule
from assessment.domain.cchc.scoring import scoring_id_for
from assessment.domain.cchc.status import STATUS_LABELS, Status
from assessment.domain.kernel.errors import DomainError
from assessment.entrypoints.web.cchc.common import (
    answer_value,
    command_ctx,
    option_codes,
    problem_of,
)
from shared.problems import AppError
from shared.web.pages import Viewer


@dataclass
class Line:
    node: dict[str, Any]
    depth: int
    rule_kind: str = ""
    rule_text: str = ""
    options: list[tuple[str, str, str]] = field(default_factory=list)
    mine: dict[str, Any] | None = None
    theirs: dict[str, Any] | None = None
    value: str = ""
    appraised_value: str = ""
    difference: str | None = None
    requests: list[str] = field(default_factory=list)
    excluded: bool = False

    @property
    def scored(self) -> bool:
        return self.node.get("method") == "appraisal"


@dataclass
class ScoringView:
    scoring_id: UUID
    unit_code: str
    scoring: dict[str, Any]
    criteria: dict[str, Any]
    lines: list[Line]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[Status(self.scoring["status"])]


DEPTH = {"field": 0, "criterion": 1, "component": 2}


def lines_of(content: dict[str, Any], scoring: dict[str, Any]) -> list[Line]:
    requests: dict[str, list[str]] = {}
    for rid, req in scoring.get("requests", {}).items():
        for code in req.get("codes", []):
            requests.setdefault(code, []).append(rid)
    excluded = set(scoring.get("excluded", {}) or {})
    out = []
    for node in content.get("nodes", []):
        line = Line(node=node, depth=DEPTH.get(node.get("level", ""), 0))
        rule = node.get("rule")
        if rule:
            line.rule_kind, line.rule_text = describe_rule(Rule.from_dict(rule))
            line.options = option_codes(rule)
        code = node["code"]
        line.mine = scoring.get("self_scores", {}).get(code)
        line.theirs = scoring.get("appraised", {}).get(code)
        if rule:
            line.value = answer_value(rule, (line.mine or {}).get("answer"))
            line.appraised_value = answer_value(rule, (line.theirs or {}).get("answer"))
        if line.mine and line.theirs:
            diff = Decimal(line.theirs["points"]) - Decimal(line.mine["points"])
            line.difference = format(diff.normalize(), "f")
        line.requests = requests.get(code, [])
        line.excluded = code in excluded
        out.append(line)
    return out


def load_view(
    app: AssessmentApplication, viewer: Viewer, year: int, unit_code: str
) -> tuple[ScoringView | None, AppError | None]:
    tenant = viewer.caller.tenant
    scoring_id = scoring_id_for(tenant, year, unit_id_for(tenant, unit_code))
    ctx = command_ctx(viewer)
    try:
        scoring = app.get_cchc_scoring(ctx, scoring_id)
        criteria = app.get_criteria_set(ctx, UUID(scoring["set_id"]))
    except (DomainError, AppError) as exc:
        return None, problem_of(exc)
    lines = lines_of(criteria["content"], scoring)
    return ScoringView(scoring_id, unit_code, scoring, criteria, lines), None


def recorded_evidence(scoring: dict[str, Any], sha256: str) -> dict[str, Any] | None:
    """The evidence item with this hash, if the scoring records it (self-scores or replies)."""
    for score in scoring.get("self_scores", {}).values():
        for item in score.get("evidence", []):
            if item["sha256"] == sha256:
                return dict(item)
    for req in scoring.get("requests", {}).values():
        for item in (req.get("reply") or {}).get("evidence", []):
            if item["sha256"] == sha256:
                return dict(item)
    return None
