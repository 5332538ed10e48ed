"""The CCHC demo: the demo criteria set for departments (khối sở, 2020) drafted from its rows in
the published shape and published, three departments' scoring years opened; Sở Nội vụ has
self-scored every criterion and submitted, Sở Tài chính is half way. The set's rows are
constructed (see ``assessment.domain.cchc.demo``); the per-criterion answers are constructed."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from assessment.application.service import AssessmentApplication
from assessment.domain.cchc import demo, sheet
from assessment.domain.cchc.criteria_set import criteria_set_id_for
from assessment.domain.cchc.tree import SetContent
from assessment.domain.registry.unit import unit_id_for
from embedded.demo import HOME_AFFAIRS, TENANT, clock_at, ctx, evidence

YEAR = 2020


def _answer(node: Any) -> dict[str, Any]:
    """The best outcome of each rule, written as the unit would state it."""
    rule = node.rule
    if rule.kind == "options":
        return {"option": rule.options[0][0]}
    if rule.kind == "yes_no":
        return {"yes": True}
    if rule.kind == "percent":
        return {"percent": "100"}
    if rule.kind == "number":
        return {"value": "0"}
    return {"points": str(node.max_points)}


def load_cchc_demo(app: AssessmentApplication) -> dict[str, str] | None:
    """Idempotent: loads nothing when the demo set already exists."""
    set_id = criteria_set_id_for(TENANT, YEAR, "so_nganh", 1)
    if app.recorder.select_events(set_id, limit=1):
        return None
    content = sheet.read_set(demo.HEADER, demo.rows(), demo.params("so_nganh"))
    tree = SetContent.from_dict(content)
    with clock_at(app, "2020-03-02T09:00:00+07:00"):
        app.draft_criteria_set(
            HOME_AFFAIRS,
            year=YEAR,
            block="so_nganh",
            title="Bộ tiêu chí xác định Chỉ số CCHC khối sở, ban, ngành (mẫu)",
            content=content,
        )
        app.publish_criteria_set(
            HOME_AFFAIRS,
            set_id,
            decision_number="DEMO-01/QĐ-UBND",
            decision_date="2020-03-02",
            signer="Chủ tịch UBND tỉnh",
        )
    scorings: dict[str, UUID] = {}
    with clock_at(app, "2021-01-04T08:00:00+07:00"):
        for code in ("SNV", "STC", "SYT"):
            opened = app.open_scoring(
                HOME_AFFAIRS,
                set_id,
                unit_id=unit_id_for(TENANT, code),
                year=YEAR,
                self_deadline="2021-01-15T17:00:00+07:00",
            )
            scorings[code] = UUID(opened["id"])
    leaves = [n for n in tree.leaves() if n.method and n.method.value == "appraisal"]
    for code, count in (("SNV", len(leaves)), ("STC", len(leaves) // 2)):
        officer = ctx(f"{code.lower()}.cchc", "unit_officer", code)
        with clock_at(app, "2021-01-08T10:00:00+07:00"):
            for node in leaves[:count]:
                app.record_self_score(
                    officer,
                    scorings[code],
                    code=node.code,
                    answer=_answer(node),
                    evidence=[evidence(f"cchc-{code}-{node.code}.pdf")],
                )
    head = ctx("snv.giamdoc", "unit_head", "SNV")
    with clock_at(app, "2021-01-12T10:00:00+07:00"):
        app.approve_self_report(head, scorings["SNV"], summary="Báo cáo tự đánh giá CCHC 2020")
        app.submit_self_report(head, scorings["SNV"])
    return {"set_id": str(set_id), **{k: str(v) for k, v in scorings.items()}}
