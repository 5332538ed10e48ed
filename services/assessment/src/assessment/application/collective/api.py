"""What the collective context offers other contexts: a unit's recognised collective result."""

from __future__ import annotations

from uuid import UUID

from assessment.application.kernel.executor import Read
from assessment.domain.collective.cycle import cycle_id_for
from assessment.domain.collective.unit_assessment import UnitAssessment, unit_assessment_id_for


def recognised_level(read: Read, unit_id: UUID, year: int) -> str | None:
    """The level the competent authority recognised for the unit in ``year`` (None if none)."""
    ua = read.find(
        UnitAssessment, unit_assessment_id_for(cycle_id_for(read.tenant, year), unit_id), "hồ sơ"
    )
    if ua is None or not ua.recognition:
        return None
    return str(ua.recognition["level"])


LAST_CYCLE_YEAR = 2100  # Cycle.plan accepts 2000–2100


def enrolled_years_after(read: Read, unit_id: UUID, year: int) -> list[int]:
    """The years after ``year`` whose cycle has the unit enrolled (cycle and assessment ids are
    derived, so this is a lookup per planned year, no scan of the history)."""
    years = []
    for later in range(year + 1, LAST_CYCLE_YEAR + 1):
        cycle_id = cycle_id_for(read.tenant, later)
        if read.exists(cycle_id) and read.exists(unit_assessment_id_for(cycle_id, unit_id)):
            years.append(later)
    return years
