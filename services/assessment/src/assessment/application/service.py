"""The assessment application: one event store and one notification log for every context.

Its commands and queries are the catalogue's (``application/contexts.py``), called by name:
``app.register_unit(ctx, code=…)``, ``app.consolidate(ctx, cycle_id, unit_id, summary=…)``,
``app.get_unit(ctx, unit_id)``. The executor is the kernel's; the registry answers who a caller
acts for and what its assignments cover.
"""

from __future__ import annotations

from typing import Any, ClassVar
from uuid import UUID

from assessment.application.contexts import CATALOGUE
from assessment.application.kernel.catalogue import Catalogue
from assessment.application.kernel.context import CommandContext, fingerprint
from assessment.application.kernel.executor import Clock, ContextApplication
from assessment.application.kernel.permissions import Scope
from assessment.application.registry import api as registry

__all__ = ["AssessmentApplication", "Clock", "CommandContext", "fingerprint"]

SNAPSHOT_INTERVAL = 100


class AssessmentApplication(ContextApplication):
    name = "assessment"
    DEFAULT_SNAPSHOT_INTERVAL = SNAPSHOT_INTERVAL
    catalogue: ClassVar[Catalogue] = CATALOGUE
    snapshotting_intervals: ClassVar[dict[type[Any], int]] = {
        cls: SNAPSHOT_INTERVAL for c in CATALOGUE.contexts for cls in c.snapshotted
    }

    def acting_unit(self, ctx: CommandContext) -> UUID | None:
        return registry.acting_unit(ctx)

    def covered(self, ctx: CommandContext, scope: Scope, target_unit: UUID, year: int) -> bool:
        return registry.covered(self, ctx, scope, target_unit, year)
