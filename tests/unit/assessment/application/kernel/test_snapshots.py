"""Snapshots for long aggregates: configured interval, same state as a full replay."""

from __future__ import annotations

import uuid
from pathlib import Path

from assessment.application.service import CommandContext
from assessment.bootstrap import build_application
from assessment.domain.collective.unit_assessment import unit_assessment_id_for
from shared.settings import AssessmentSettings

CTX = CommandContext(tenant="t", actor={"subject": "s", "role": "home_affairs", "acting_for": None})


def test_snapshots_are_taken_and_reads_as_of_a_version_match_a_full_replay(tmp_path: Path) -> None:
    db = tmp_path / "a.sqlite"
    app = build_application(AssessmentSettings(sqlite_path=db, snapshot_interval=10))
    unit = uuid.UUID(app.register_unit(CTX, code="U", name="Đơn vị", kind="department")["id"])
    cycle = uuid.UUID(app.plan_cycle(CTX, year=2024, plan_reference="KH", unit_ids=[unit])["id"])
    for i in range(34):
        app.flag_perfunctory(CTX, cycle, unit, reason=f"lần {i}")
    ua = unit_assessment_id_for(cycle, unit)
    assert app.snapshots is not None
    versions = [s.originator_version for s in app.snapshots.get(ua)]
    assert versions == [10, 20, 30]
    with_snap = app.aggregate_as_of(CTX, ua, version=25)
    app.close()
    plain = build_application(AssessmentSettings(sqlite_path=db))
    plain.repository.snapshot_store = None  # a full replay from the first event
    without = plain.aggregate_as_of(CTX, ua, version=25)
    plain.close()
    assert with_snap == without
    assert len(with_snap["state"]["perfunctory_flags"]) == 24
