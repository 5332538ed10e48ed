"""Last year's unremedied shortcomings carried into next year's evaluation (seed 002; 366-QĐ/TW:
"excellent" needs earlier shortcomings remedied): the collective context reads them from
``remediation.api`` into the unit's file — a plan on the unit (or one of its persons) for a
shortcoming of the year before, while it is not verified done; never this year's, never
another unit's, and gone once verified."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from uuid import UUID

import pytest

from assessment.application.service import AssessmentApplication, CommandContext
from assessment.bootstrap import build_application
from assessment.domain.collective.cycle import cycle_id_for
from assessment.domain.registry.unit import unit_id_for
from builders import evidence
from embedded.demo import HOME_AFFAIRS, TENANT, YEAR, load_demo
from helpers import MutableClock
from shared.settings import AssessmentSettings

SYT_HEAD = CommandContext(
    tenant=TENANT, actor={"subject": "syt.thutruong", "role": "unit_head", "acting_for": "SYT"}
)


@pytest.fixture
def app(tmp_path: Path, clock: MutableClock) -> Iterator[AssessmentApplication]:
    application = build_application(
        AssessmentSettings(mode="embedded", sqlite_path=tmp_path / "a.sqlite"), clock=clock
    )
    load_demo(application)
    yield application
    application.close()


def open_plan(app: AssessmentApplication, reference: str, unit: str, year: int) -> UUID:
    answer = app.open_remediation_plan(
        HOME_AFFAIRS,
        source_kind="collective_limitation",
        source_reference=reference,
        source_description=f"Hạn chế {reference}",
        source_year=year,
        subject_kind="unit",
        subject_id=unit,
        subject_unit_id=unit_id_for(TENANT, unit),
        title=f"Khắc phục {reference}",
        owner="syt.thutruong",
        follow_up_officer="snv.tonghop",
    )
    return UUID(answer["id"])


def carried(app: AssessmentApplication, unit: str) -> list[str]:
    ua = app.get_unit_assessment(
        HOME_AFFAIRS, cycle_id_for(TENANT, YEAR), unit_id_for(TENANT, unit)
    )
    return [p["title"] for p in ua["carried_over"]]


def test_last_years_unremedied_plans_show_in_this_years_unit_file(
    app: AssessmentApplication, clock: MutableClock
) -> None:
    clock.set(f"{YEAR}-12-20T09:00:00+07:00")
    assert carried(app, "SYT") == []
    plan = open_plan(app, "HC-1", "SYT", YEAR - 1)
    open_plan(app, "HC-2", "SYT", YEAR)  # this year's: weighs on next year, not this one
    open_plan(app, "HC-3", "BVDK", YEAR - 1)  # another unit's
    assert carried(app, "SYT") == ["Khắc phục HC-1"]
    assert carried(app, "BVDK") == ["Khắc phục HC-3"]
    milestone = app.schedule_milestone(
        SYT_HEAD, plan, title="Bổ sung quy trình", due_on=f"{YEAR}-06-30"
    )["milestone_id"]
    ua = app.get_unit_assessment(
        HOME_AFFAIRS, cycle_id_for(TENANT, YEAR), unit_id_for(TENANT, "SYT")
    )
    (row,) = ua["carried_over"]
    assert row["status"] == "open" and row["source"]["year"] == YEAR - 1
    assert [o["days_overdue"] for o in row["overdue"]] == [173]  # 30/6 → 20/12
    app.report_progress(
        SYT_HEAD,
        plan,
        UUID(milestone),
        report="Đã ban hành quy trình",
        evidence=[evidence("quy-trinh.pdf")],
        done=True,
    )
    assert carried(app, "SYT") == ["Khắc phục HC-1"]  # done by the unit, not yet verified
    app.verify_remediation(HOME_AFFAIRS, plan, accepted=True, remark="Đạt")
    assert carried(app, "SYT") == []
    assert carried(app, "BVDK") == ["Khắc phục HC-3"]
