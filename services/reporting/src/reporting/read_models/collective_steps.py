"""Which collective-evaluation event fills which step: shared by the read models that follow
a unit's yearly assessment (the cycle board, the accountability report)."""

from __future__ import annotations

STEP_OF_EVENT = {
    "SectorReviewSubmitted": "sector_review",
    "SelfAssessmentSubmitted": "self_assessment",
    "MemberReviewSubmitted": "member_review",
    "Consolidated": "consolidation",
    "CaucusReviewed": "caucus_review",
    "Recognised": "recognition",
    "Published": "publication",
}
