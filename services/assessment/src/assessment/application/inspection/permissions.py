"""The inspection context's rows of the one permission matrix.

The chairman decides and Home Affairs records the decision; the team (role ``inspector``)
plans, visits, imports, samples, records minutes and findings, concludes; the unit's head takes
part in the draw for its own unit and explains findings on themself; Home Affairs (its
director) reports to the chairman and keeps the working calendar. Reads of per-person figures
and findings (personal data of officials) are for the team, Home Affairs, the chairman and the
auditor only; the sampling record is public to every role."""

from __future__ import annotations

from assessment.application.kernel.permissions import Rows, Scope

T, OWN = Scope.TENANT, Scope.OWN_UNIT

ROWS: Rows = {
    "decide_inspection": {"home_affairs": T, "chairman": T},
    "plan_inspection": {"inspector": T, "home_affairs": T},
    "declare_conflict": {"inspector": T},
    "send_notice": {"inspector": T},
    "start_visit": {"inspector": T},
    "import_work_items": {"inspector": T},
    "commit_sample_register": {"inspector": T},
    "commit_sample_value": {"inspector": T, "unit_head": OWN},
    "reveal_sample_value": {"inspector": T, "unit_head": OWN},
    "record_minutes": {"inspector": T},
    "record_finding": {"inspector": T},
    "explain_finding": {"unit_head": OWN, "unit_officer": OWN},
    "conclude": {"inspector": T},
    "report_to_chairman": {"home_affairs": T, "inspector": T},
    "set_working_calendar": {"home_affairs": T},
    "read_inspection": {"inspector": T, "home_affairs": T, "chairman": T, "auditor": T},
}
