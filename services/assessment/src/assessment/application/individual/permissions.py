"""The individual context's rows of the one permission matrix.

``personnel`` is the agency's personnel body (bộ phận tham mưu tổ chức cán bộ), ``official`` the
person rated (acting only on their own file), ``unit_head`` the head of the agency (rater of its
deputies and staff; for a head, the head of the superior agency — the chairman for a sở).
"""

from __future__ import annotations

from assessment.application.kernel.permissions import Rows, Scope

T, OWN = Scope.TENANT, Scope.OWN_UNIT
STAFF_FILE = {"home_affairs": T, "personnel": OWN}

ROWS: Rows = {
    "register_person": STAFF_FILE,
    "import_staff": STAFF_FILE,
    "transfer_person": STAFF_FILE,
    "change_position": STAFF_FILE,
    "end_employment": STAFF_FILE,
    "record_absence": STAFF_FILE,
    "record_discipline": STAFF_FILE,
    "find_degradation": STAFF_FILE,
    "find_unit_violation": {"home_affairs": T, "inspector": T},
    "open_sheet": {"unit_head": OWN, "personnel": OWN},
    "record_products": {"unit_head": OWN, "personnel": OWN, "official": OWN},
    "confirm_objective_cause": {"unit_head": OWN},
    "score_general": {"unit_head": OWN, "official": OWN},
    "approve_sheet": {"unit_head": OWN},
    "reopen_sheet": {"unit_head": OWN, "home_affairs": T},
    "import_sheets": STAFF_FILE,
    "open_rating": STAFF_FILE,
    "open_ratings": STAFF_FILE,
    "self_assess": {"official": OWN},
    "record_previous_opinion": {"personnel": OWN},
    "minute_meeting": {"personnel": OWN},
    "approve_minutes": {"personnel": OWN},
    "comment_by_party_committee": {"personnel": OWN},
    "propose_level": {"personnel": OWN},
    "record_agency_round": {"personnel": OWN},
    "decide_rating": {"unit_head": OWN, "chairman": T},
    "decide_ratings": {"unit_head": OWN, "chairman": T},
    "acknowledge_findings": {"unit_head": OWN, "chairman": T},
    "notify_rating": {"personnel": OWN},
    "publish_rating": {"personnel": OWN},
    "redo_rating": {"unit_head": OWN, "home_affairs": T},
    "override_quota": {"chairman": T, "home_affairs": T},
    "change_rating_settings": {"home_affairs": T},
    "read_person_file": {
        "official": OWN,
        "unit_head": OWN,
        "personnel": OWN,
        "home_affairs": T,
        "auditor": T,
        "chairman": T,  # the rater of the heads of agencies (domain.individual.access)
    },
    "read_quota": {"unit_head": OWN, "personnel": OWN, "home_affairs": T, "auditor": T},
}
