"""Registry rules found missing (issue 9, item 5), through the application (one transaction a
command, nothing stored when refused): a unit not yet valid in a cycle's year cannot be
enrolled; a merger or dissolution effective before a cycle the unit is enrolled in is refused."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from assessment.application.service import AssessmentApplication, CommandContext
from assessment.domain.registry.errors import ChangeBeforeEnrolledCycle, UnitNotYetValid
from helpers import MutableClock


@pytest.fixture
def app(clock: MutableClock) -> Iterator[AssessmentApplication]:
    application = AssessmentApplication(
        env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock=clock
    )
    yield application
    application.close()


HA = CommandContext(
    tenant="dong-nai",
    actor={"subject": "snv.tonghop", "role": "home_affairs", "acting_for": "SNV"},
)


def events(app: AssessmentApplication) -> int:
    return app.recorder.max_notification_id() or 0


def unit(app: AssessmentApplication, code: str, valid_from: str | None = None) -> uuid.UUID:
    out = app.register_unit(HA, code=code, name=code, kind="department", valid_from=valid_from)
    return uuid.UUID(out["id"])


def test_a_unit_valid_only_after_the_cycles_year_is_not_enrolled(
    app: AssessmentApplication,
) -> None:
    later = unit(app, "SKHCN", valid_from="2026-03-01")
    during = unit(app, "SXD", valid_from="2025-07-01")  # valid for part of 2025: may be enrolled
    before = events(app)
    with pytest.raises(UnitNotYetValid) as refused:
        app.plan_cycle(HA, year=2025, plan_reference="KH 2025", unit_ids=[during, later])
    assert refused.value.code == "registry.unit_not_yet_valid"
    assert "01/03/2026" in refused.value.detail and "SKHCN" in refused.value.detail
    assert events(app) == before  # the whole command refused: no cycle either
    cycle = app.plan_cycle(HA, year=2025, plan_reference="KH 2025", unit_ids=[during])
    with pytest.raises(UnitNotYetValid):
        app.enrol_units(HA, uuid.UUID(cycle["id"]), unit_ids=[later])
    app.plan_cycle(HA, year=2026, plan_reference="KH 2026", unit_ids=[later])


def test_a_merger_before_an_enrolled_cycle_is_refused(app: AssessmentApplication) -> None:
    old, new = unit(app, "SKHDT"), unit(app, "STC")
    app.plan_cycle(HA, year=2025, plan_reference="KH 2025", unit_ids=[old, new])
    before = events(app)
    with pytest.raises(ChangeBeforeEnrolledCycle) as refused:
        app.merge_unit(
            HA, old, successor_id=new, effective_date="2024-12-31", decision_number="1/NQ"
        )
    assert refused.value.code == "registry.change_before_enrolled_cycle"
    assert "2025" in refused.value.detail and "31/12/2024" in refused.value.detail
    assert events(app) == before
    # effective during the cycle's year (1 March 2025): the unit existed in 2025, accepted
    app.merge_unit(HA, old, successor_id=new, effective_date="2025-03-01", decision_number="1/NQ")
    assert app.get_unit(HA, old)["valid_to"] == "2025-03-01"


def test_a_dissolution_before_an_enrolled_cycle_is_refused(app: AssessmentApplication) -> None:
    gone = unit(app, "BQL")
    app.plan_cycle(HA, year=2025, plan_reference="KH 2025", unit_ids=[gone])
    with pytest.raises(ChangeBeforeEnrolledCycle):
        app.dissolve_unit(
            HA, gone, effective_date="2024-06-30", decision_number="2/QĐ", reason="Hết nhiệm vụ"
        )
    app.dissolve_unit(
        HA, gone, effective_date="2025-12-31", decision_number="2/QĐ", reason="Hết nhiệm vụ"
    )
    assert app.get_unit(HA, gone)["valid_to"] == "2025-12-31"
