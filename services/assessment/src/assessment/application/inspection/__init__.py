"""Inspection context (seed 003): inspections of heads and deputies — decision, team, plan,
notices and visits, the units' registers of work items and their figures, the verifiable
random draw of case files (SAMPLING.md), minutes, findings, explanations, conclusions and the
report to the chairman. Commands in ``commands``, one handler each in ``handlers``, reads in
``queries``, its rows in ``permissions``; ``api`` is what other contexts may use."""

from __future__ import annotations

from assessment.application.inspection import handlers, permissions, queries
from assessment.application.kernel.catalogue import Context
from assessment.domain.inspection.inspection import Inspection

CONTEXT = Context.collect(
    "inspection",
    "Kiểm tra công vụ / Public-service inspection",
    handlers=handlers,
    queries=queries,
    permissions=permissions.ROWS,
    snapshotted=(Inspection,),
)
