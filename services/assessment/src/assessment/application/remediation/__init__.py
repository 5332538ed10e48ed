"""Remediation context (seed 002): a plan for every finding — an inspection finding (read
through ``inspection.api``), a collective limitation, a CCHC gap, a vote's low-confidence flag —
with solutions, dated milestones, owner and follow-up officer, progress with evidence,
extensions with reasons, escalation, and verification by whoever raised it."""

from __future__ import annotations

from assessment.application.kernel.catalogue import Context
from assessment.application.remediation import handlers, permissions, queries

CONTEXT = Context.collect(
    "remediation",
    "Khắc phục hạn chế / Remediation",
    handlers=handlers,
    queries=queries,
    permissions=permissions.ROWS,
)
