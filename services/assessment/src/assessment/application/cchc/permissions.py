"""The CCHC context's rows of the one permission matrix.

Home Affairs drafts and publishes sets, opens units' years, appraises, reconciles, records the
council's confirmation and surveys, decides and publishes rankings and answers flags; a sector
agency (``sector_reviewer``) appraises and asks supplements only on the criteria the set names
it for (checked by the aggregate against the caller's agency); a unit's officer and head score
their own unit, the head alone approves its report; units flag criteria; the chairman signs the
ranking decision and may record the council's confirmation; everyone of the tenant reads
(``read``), the auditor included.
"""

from __future__ import annotations

from assessment.application.kernel.permissions import Rows, Scope

T, OWN = Scope.TENANT, Scope.OWN_UNIT
UNIT = {"unit_officer": OWN, "unit_head": OWN}
APPRAISERS = {"home_affairs": T, "sector_reviewer": T}

ROWS: Rows = {
    "draft_criteria_set": {"home_affairs": T},
    "revise_criteria_set": {"home_affairs": T},
    "publish_criteria_set": {"home_affairs": T},
    "flag_criterion": UNIT,
    "answer_flag": {"home_affairs": T},
    "open_scoring": {"home_affairs": T},
    "record_self_score": UNIT,
    "approve_self_report": {"unit_head": OWN},
    "submit_self_report": UNIT,
    "withdraw_self_report": UNIT,
    "reply_to_supplement": UNIT,
    "exclude_criterion": {"home_affairs": T},
    "extend_self_deadline": {"home_affairs": T},
    "appraise_criterion": APPRAISERS,
    "request_supplement": APPRAISERS,
    "close_reconciliation": {"home_affairs": T},
    "confirm_by_council": {"home_affairs": T, "chairman": T},
    "record_surveys": {"home_affairs": T},
    "decide_ranking": {"home_affairs": T, "chairman": T},
    "schedule_ranking_publication": {"home_affairs": T},
    "publish_ranking": {"home_affairs": T},
}
