"""The remediation context's rows of the one permission matrix.

Home Affairs, the inspection team and the party caucus open plans for the findings they raise;
the owner's unit (its head, its officer for progress) writes the roadmap and reports progress
for its own unit; Home Affairs and the team grant extensions and escalate; verification is
for whoever raised the finding (checked on the plan: same person, or same role for the same
body)."""

from __future__ import annotations

from assessment.application.kernel.permissions import Rows, Scope

T, OWN = Scope.TENANT, Scope.OWN_UNIT

ROWS: Rows = {
    "open_remediation_plan": {"home_affairs": T, "inspector": T, "party_caucus": T},
    "add_solution": {"unit_head": OWN, "home_affairs": T},
    "schedule_milestone": {"unit_head": OWN, "home_affairs": T},
    "report_progress": {"unit_head": OWN, "unit_officer": OWN},
    "extend_milestone": {"home_affairs": T, "inspector": T},
    "escalate_plan": {"home_affairs": T, "inspector": T},
    "verify_remediation": {
        "home_affairs": T,
        "inspector": T,
        "party_caucus": T,
        "chairman": T,
    },
}
