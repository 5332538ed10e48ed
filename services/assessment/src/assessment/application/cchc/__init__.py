"""CCHC context (seed 004): administrative-reform scoring — criteria sets (versioned, XLSX in
the published shape), each unit's year (self-scoring with evidence, head approval, withdrawal,
appraisal, supplements, reconciliation, council), surveys, the ranking decision and its
publication, feedback on criteria. Commands in ``commands``, one handler each in ``handlers``,
reads in ``queries``, its rows of the matrix in ``permissions``."""

from __future__ import annotations

from assessment.application.cchc import handlers, permissions, queries
from assessment.application.kernel.catalogue import Context
from assessment.domain.cchc.scoring import CchcScoring

CONTEXT = Context.collect(
    "cchc",
    "Chấm điểm cải cách hành chính / Administrative-reform scoring",
    handlers=handlers,
    queries=queries,
    permissions=permissions.ROWS,
    snapshotted=(CchcScoring,),
)
