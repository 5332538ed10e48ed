""" "Việc cần làm" of remediation: the overdue milestones of open plans, read from the
``inspection_overview`` read model — for the plan's owner and its follow-up officer (their own
plans) and for Home Affairs (every plan of the province), each with the page to report on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

from reporting.adapters.db import Database
from reporting.read_models.inspection_overview.queries import overdue_remediation
from shared.identity import Caller

PROVINCE_ROLES: Final = frozenset({"home_affairs"})


@dataclass(frozen=True)
class RemediationTodo:
    plan_id: str
    plan_title: str
    milestone: str
    due_on: str
    days_overdue: int
    mine: bool  # the caller owns or follows up the plan (else: Home Affairs' province view)
    href: str


def remediation_todo_for(db: Database, caller: Caller, as_of: date) -> list[RemediationTodo]:
    """The caller's overdue remediation milestones, most overdue first; none for the public
    or a caller without a subject."""
    if not caller.subject or caller.role == "public":
        return []
    province = caller.role in PROVINCE_ROLES
    out: list[RemediationTodo] = []
    for item in overdue_remediation(db, caller.tenant, as_of)["items"]:
        mine = caller.subject in (item["owner"], item["follow_up_officer"])
        if not (mine or province):
            continue
        for m in item["overdue"]:
            out.append(
                RemediationTodo(
                    plan_id=item["plan_id"],
                    plan_title=item["title"],
                    milestone=str(m.get("title") or ""),
                    due_on=m["due_on"],
                    days_overdue=int(m["days_overdue"]),
                    mine=mine,
                    href=f"/khac-phuc/{item['plan_id']}",
                )
            )
    out.sort(key=lambda t: (-t.days_overdue, t.plan_title, t.milestone))
    return out
