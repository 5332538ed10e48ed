""" "Việc cần làm" of the CCHC scoring, read from the ``cchc_scores`` read model: per role the
units' scoring years that wait for the caller's step (the unit: self-scoring, approval,
submission, supplement replies while it is appraised; appraisers: submitted and appraised
files; Home Affairs and the chairman: the council's confirmation), with the page to do it on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from reporting.adapters.db import Database
from shared.identity import Caller

OWN_UNIT_ROLES: Final = frozenset({"unit_officer", "unit_head"})
SELF: Final = ("Tự chấm điểm CCHC", "CCHC self-scoring")
FOLLOW: Final = ("Theo dõi thẩm định, trả lời yêu cầu bổ sung", "Follow the appraisal, reply")
APPRAISE: Final = ("Thẩm định chấm điểm CCHC", "Appraise the CCHC scores")
COUNCIL: Final = ("Hội đồng xác nhận kết quả CCHC", "Council confirmation of the CCHC result")
# role -> {scoring status: what to do (Vietnamese, English)}
STEPS: Final[dict[str, dict[str, tuple[str, str]]]] = {
    "unit_officer": {"draft": SELF, "appraising": FOLLOW},
    "unit_head": {
        "draft": ("Tự chấm điểm CCHC, phê duyệt báo cáo", "CCHC self-scoring, approve the report"),
        "approved": ("Gửi báo cáo tự chấm CCHC", "Submit the CCHC self-scoring report"),
        "appraising": FOLLOW,
    },
    "home_affairs": {
        "submitted": APPRAISE,
        "appraising": ("Thẩm định, chốt đối chiếu CCHC", "Appraise, close the reconciliation"),
        "reconciled": COUNCIL,
    },
    "sector_reviewer": {"submitted": APPRAISE, "appraising": APPRAISE},
    "chairman": {"reconciled": COUNCIL},
}


@dataclass(frozen=True)
class CchcTodo:
    year: int
    unit_code: str
    unit_name: str
    status: str
    what: str
    what_en: str
    href: str


def _href(role: str, status: str, year: int, code: str) -> str:
    if role in OWN_UNIT_ROLES:
        return f"/ho-so/cchc/{year}/cham-diem"
    if status == "reconciled":
        return f"/ho-so/cchc/{year}/{code}/hoi-dong"
    return f"/ho-so/cchc/{year}/{code}/tham-dinh"


def cchc_todo_for(db: Database, caller: Caller) -> list[CchcTodo]:
    steps = STEPS.get(caller.role, {})
    if not steps or (caller.role in OWN_UNIT_ROLES and not caller.acting_for):
        return []
    sql = (
        "SELECT s.year, u.code, u.name, s.status FROM rm_cchc_scoring s "
        "JOIN rm_unit u ON u.unit_id = s.unit_id AND u.tenant = s.tenant WHERE s.tenant = %s"
    )
    params: list[object] = [caller.tenant]
    if caller.role in OWN_UNIT_ROLES:
        sql += " AND u.code = %s"
        params.append(caller.acting_for)
    with db.transaction() as tx:
        rows = tx.fetchall(sql + " ORDER BY s.year DESC, u.code", params)
    return [
        CchcTodo(year, code, name, status, *steps[status], _href(caller.role, status, year, code))
        for year, code, name, status in rows
        if status in steps
    ]
