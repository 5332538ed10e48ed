""" "Việc cần làm": what waits for a signed-in official, read from the cycle board read model.

Per role, the steps of seed 001 that are theirs and not done yet, with the deadline each is
judged against. Sector reviewers see the units their agency is assigned to manage, PC
members the units the chairman's decision gives them (the board's assignments).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from reporting.adapters.db import Database
from reporting.read_models.cycle_board.board import board_rows
from shared.identity import Caller

# role -> (step it does, step that must be there first, or None)
ROLE_STEPS: dict[str, list[tuple[str, str | None]]] = {
    "unit_officer": [("self_assessment", None)],
    "unit_head": [("self_assessment", None)],
    "sector_reviewer": [("sector_review", None)],
    "pc_member": [("member_review", None)],
    "home_affairs": [
        ("consolidation", "self_assessment"),
        ("publication", "recognition"),
    ],
    "party_caucus": [("caucus_review", "consolidation")],
    "chairman": [("member_review", None), ("recognition", "caucus_review")],
}
OWN_UNIT_ROLES = frozenset({"unit_officer", "unit_head"})
SUPPLEMENT_ROLES = frozenset({"home_affairs", "sector_reviewer"})  # who ask for supplements
WATCH_ROLES = frozenset({"inspector", "auditor"})


@dataclass(frozen=True)
class TodoItem:
    unit_code: str
    unit_name: str
    step: str
    deadline: str | None
    status: str
    submitted_at: str | None = None


@dataclass
class Todo:
    cycle: dict[str, Any] | None
    items: list[TodoItem] = field(default_factory=list)
    done: list[TodoItem] = field(default_factory=list)
    late: list[TodoItem] = field(default_factory=list)
    perfunctory: list[str] = field(default_factory=list)
    supplements: list[Supplement] = field(default_factory=list)
    """Units: requests waiting for the unit's answer. Reviewers: their requests, answered or
    still open."""


@dataclass(frozen=True)
class Supplement:
    unit_code: str
    unit_name: str
    reason: str
    due_date: str
    requested_at: str
    answered_at: str | None


def todo_for(db: Database, caller: Caller, now: datetime | None = None) -> Todo:
    now = now or datetime.now(UTC)
    with db.transaction() as tx:
        latest = tx.fetchone(
            "SELECT cycle_id FROM rm_cycle WHERE tenant = %s ORDER BY year DESC", (caller.tenant,)
        )
        if latest is None:
            return Todo(None)
        cycle, rows, _ = board_rows(tx, caller.tenant, str(latest[0]), now=now, limit=100_000)
    todo = Todo(cycle)
    if caller.role in OWN_UNIT_ROLES:
        rows = [r for r in rows if r["unit_code"] == caller.acting_for]
    elif caller.role == "sector_reviewer":  # the units its agency manages (assignments)
        rows = [
            r for r in rows if any(a["code"] == caller.acting_for for a in r["sector_agencies"])
        ]
    elif caller.role == "pc_member":  # the units the chairman's decision gives this member
        rows = [r for r in rows if caller.subject in r["pc_members"]]
    for row in rows:
        name = str(row["unit_name"] or row["unit_code"])
        for step, needs in ROLE_STEPS.get(caller.role, []):
            if needs is not None and row["steps"][needs]["status"] in ("missing", "overdue"):
                continue
            st = row["steps"][step]
            item = TodoItem(
                row["unit_code"],
                name,
                step,
                st.get("deadline"),
                st["status"],
                st.get("submitted_at"),
            )
            (todo.items if st["status"] in ("missing", "overdue") else todo.done).append(item)
        for sup in row.get("supplements", []):
            mine = caller.role in SUPPLEMENT_ROLES and sup.get("by") == caller.subject
            waiting = caller.role in OWN_UNIT_ROLES and not sup.get("answered_at")
            if mine or waiting:
                todo.supplements.append(
                    Supplement(
                        row["unit_code"],
                        name,
                        sup["reason"],
                        sup["due_date"],
                        sup["requested_at"],
                        sup.get("answered_at"),
                    )
                )
        if caller.role in WATCH_ROLES or caller.role == "home_affairs":
            for step in row["late_steps"]:
                st = row["steps"][step]
                todo.late.append(
                    TodoItem(
                        row["unit_code"],
                        name,
                        step,
                        st.get("deadline"),
                        st["status"],
                        st.get("submitted_at"),
                    )
                )
            if row["perfunctory_signals"] and not row["perfunctory"]:
                todo.perfunctory.append(name)
    todo.items.sort(key=lambda i: (i.deadline or "9999", i.unit_code))
    todo.supplements.sort(key=lambda s: (s.answered_at is not None, s.due_date, s.unit_code))
    return todo
