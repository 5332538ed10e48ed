"""Collective context (seed 001): yearly cycles (plan, enrol, deadlines) and each unit's
assessment through its steps. Commands in ``commands``, one handler each in ``handlers``, reads
in ``queries``, its rows of the permission matrix in ``permissions``. It reaches units only
through ``application.registry.api``."""

from __future__ import annotations

from assessment.application.collective import handlers, permissions, queries
from assessment.application.kernel.catalogue import Context
from assessment.domain.collective.unit_assessment import UnitAssessment

CONTEXT = Context.collect(
    "collective",
    "Đánh giá tập thể hằng năm / Yearly collective evaluation",
    handlers=handlers,
    queries=queries,
    permissions=permissions.ROWS,
    snapshotted=(UnitAssessment,),
)
