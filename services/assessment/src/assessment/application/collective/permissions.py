"""The collective evaluation's rows of the one permission matrix."""

from __future__ import annotations

from assessment.application.kernel.permissions import Rows, Scope

T, OWN, MANAGED, OVERSEEN = Scope.TENANT, Scope.OWN_UNIT, Scope.MANAGED_UNITS, Scope.OVERSEEN_UNITS

ROWS: Rows = {
    "plan_cycle": {"home_affairs": T},
    "enrol_units": {"home_affairs": T},
    "change_deadline": {"home_affairs": T},
    "submit_sector_review": {"sector_reviewer": MANAGED},
    "publish_sector_review": {"sector_reviewer": MANAGED},
    "submit_self_assessment": {"unit_officer": OWN, "unit_head": OWN},
    "submit_member_review": {"pc_member": OVERSEEN, "chairman": OVERSEEN},
    "consolidate": {"home_affairs": T},
    "flag_perfunctory": {"home_affairs": T},
    "review_by_caucus": {"party_caucus": T},
    "adjust_level": {"home_affairs": T},
    "recognise": {"chairman": T},
    "publish": {"home_affairs": T},
    "reopen_step": {"home_affairs": T},
    "save_self_assessment_draft": {"unit_officer": OWN, "unit_head": OWN},
    "withdraw_self_assessment": {"unit_officer": OWN, "unit_head": OWN},
    "ask_for_supplement": {"sector_reviewer": MANAGED, "home_affairs": T},
    "answer_supplement": {"unit_officer": OWN, "unit_head": OWN},
    "recognise_units": {"chairman": T},
    "read_self_assessment_draft": {"unit_officer": OWN, "unit_head": OWN},
}
