"""The work register: events bounded in size, figures recorded in parts, re-import, freeze."""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime
from typing import Any

import pytest
from eventsourcing.application import Application

from assessment.domain.inspection.calendar import WorkingCalendar
from assessment.domain.inspection.work_items import ItemKind, WorkItem
from assessment.domain.inspection.work_register import (
    BATCH,
    BATCH_BYTES,
    WorkRegister,
    work_register_id_for,
)
from assessment.domain.kernel.errors import StepClosed, ValidationFailed
from assessment.domain.kernel.values import VN_TZ
from builders import at

TEAM = {"subject": "snv.doan", "role": "inspector", "acting_for": "SNV"}
T = at("2024-03-20T12:00+07:00")
INSP = uuid.UUID("11111111-2222-5333-8444-555555555555")


def items(n: int, persons: int = 5, title: str = "Hồ sơ") -> list[WorkItem]:
    return [
        WorkItem(
            item_id=f"{i}/VB",
            person=f"p{i % persons:04d}",
            field=f"f{i % 3}",
            kind=ItemKind.DISPATCH,
            received_at=datetime(2024, 3, 1, 8, tzinfo=VN_TZ),
            deadline=date(2024, 3, 8),
            handled_at=datetime(2024, 3, 8 if i % 2 else 12, 9, tzinfo=VN_TZ),
            title=title,
        )
        for i in range(n)
    ]


def opened() -> WorkRegister:
    return WorkRegister.open(
        tenant="t", actor=TEAM, occurred_at=T, inspection_id=INSP, unit_id="SXD"
    )


def test_batches_stay_under_the_size_budget_even_with_long_titles() -> None:
    reg = opened()
    reg.import_items(
        actor=TEAM,
        occurred_at=T,
        items=items(1200, title="Trích yếu " * 190),
        filename="so.xlsx",
        sha256="ab" * 32,
        size=10,
    )
    added = [e for e in reg.collect_events() if isinstance(e, WorkRegister.ItemsAdded)]
    sizes = [len(json.dumps(e.items, ensure_ascii=False).encode()) for e in added]
    assert sum(len(e.items) for e in added) == 1200
    assert max(sizes) <= BATCH_BYTES + 4000 and all(len(e.items) <= BATCH for e in added)
    assert len(added) > 1200 // BATCH  # the byte budget, not the count, split them
    assert reg.id == work_register_id_for(INSP, "SXD") and len(reg.items()) == 1200


def test_figures_are_recorded_in_parts_for_many_persons() -> None:
    reg = opened()
    reg.import_items(
        actor=TEAM,
        occurred_at=T,
        items=items(1400, persons=700),
        filename="a",
        sha256="ab" * 32,
        size=1,
    )
    reg.collect_events()
    reg.record_figures(actor=TEAM, occurred_at=T, calendar=WorkingCalendar())
    parts = reg.collect_events()
    assert [(e.part, e.parts) for e in parts] == [(0, 3), (1, 3), (2, 3)]
    merged: dict[str, Any] = {}
    for e in parts:
        merged.update(e.by_person)
    assert len(merged) == 700 and merged["p0001"]["on_time"] == 2
    assert set(parts[0].by_field) == {"f0", "f1", "f2"} and parts[1].by_field == {}


def test_reimport_replaces_until_frozen_and_replays() -> None:
    reg = opened()
    reg.import_items(
        actor=TEAM, occurred_at=T, items=items(10), filename="a", sha256="ab" * 32, size=1
    )
    reg.import_items(
        actor=TEAM, occurred_at=T, items=items(4), filename="b", sha256="cd" * 32, size=1
    )
    assert len(reg.items()) == 4 and reg.import_no == 2
    app: Application[Any] = Application()
    app.save(reg)
    assert len(app.repository.get(reg.id).items()) == 4
    reg.freeze(actor=TEAM, occurred_at=T, reason="chốt sổ")
    with pytest.raises(StepClosed):
        reg.import_items(
            actor=TEAM, occurred_at=T, items=items(3), filename="c", sha256="ef" * 32, size=1
        )
    with pytest.raises(ValidationFailed):
        opened().import_items(
            actor=TEAM,
            occurred_at=T,
            items=[*items(2), *items(1)],
            filename="d",
            sha256="ab" * 32,
            size=1,
        )


def test_a_copy_shares_the_items_and_later_imports_do_not_leak_into_it() -> None:
    import copy

    reg = opened()
    reg.import_items(
        actor=TEAM, occurred_at=T, items=items(600), filename="a", sha256="ab" * 32, size=1
    )
    twin = copy.deepcopy(reg)
    assert twin.raw_items is reg.raw_items and twin.id == reg.id and twin.version == reg.version
    reg.import_items(
        actor=TEAM, occurred_at=T, items=items(3), filename="b", sha256="cd" * 32, size=1
    )
    assert len(twin.items()) == 600 and len(reg.items()) == 3


def test_a_large_register_comes_in_parts_appended_to_the_current_import() -> None:
    from assessment.domain.inspection.work_register import MAX_PER_IMPORT

    reg = opened()
    big = items(MAX_PER_IMPORT + 1)
    with pytest.raises(ValidationFailed):
        reg.import_items(
            actor=TEAM, occurred_at=T, items=big, filename="a", sha256="ab" * 32, size=1
        )
    reg.import_items(
        actor=TEAM, occurred_at=T, items=big[:5], filename="a", sha256="ab" * 32, size=1
    )
    reg.import_items(
        actor=TEAM,
        occurred_at=T,
        items=big[5:9],
        filename="b",
        sha256="cd" * 32,
        size=1,
        append=True,
    )
    assert len(reg.items()) == 9 and reg.import_no == 1
    assert reg.source is not None and reg.source["item_count"] == 9
    with pytest.raises(ValidationFailed):  # the same number in two parts
        reg.import_items(
            actor=TEAM,
            occurred_at=T,
            items=big[8:10],
            filename="c",
            sha256="ef" * 32,
            size=1,
            append=True,
        )
