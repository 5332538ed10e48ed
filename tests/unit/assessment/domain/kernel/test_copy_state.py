"""The aggregates' deep copy (``TenantAggregate.__deepcopy__``, what the aggregate cache hands
every command): equal, and nothing mutable shared, so a failed command never changes the cached
aggregate."""

from __future__ import annotations

import copy
import enum
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from assessment.domain.collective.cycle import Cycle
from assessment.domain.kernel.base import copy_state

ACTOR = {"subject": "snv", "role": "home_affairs", "acting_for": "SNV"}
T = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)


class Colour(enum.Enum):
    RED = "red"


@dataclass
class Box:
    items: list[int] = field(default_factory=list)


def _cycle() -> Cycle:
    return Cycle.plan(
        tenant="tinh-a",
        actor=ACTOR,
        occurred_at=T,
        year=2025,
        title="Đánh giá năm 2025",
        plan_reference="KH-1",
        content_groups=None,
        deadlines=None,
    )


def test_a_copy_of_an_aggregate_is_equal_and_independent() -> None:
    cycle = _cycle()
    cycle.enrol(actor=ACTOR, occurred_at=T, unit_ids=[uuid.uuid4() for _ in range(5)])
    cycle.collect_events()
    deadlines = dict(cycle.deadlines)
    groups = copy.deepcopy(cycle.content_groups)
    clone = copy.deepcopy(cycle)
    assert clone is not cycle and type(clone) is Cycle
    assert clone.__dict__ == cycle.__dict__
    for name, value in cycle.__dict__.items():
        if isinstance(value, (list, dict)):
            assert clone.__dict__[name] is not value, name
    clone.unit_ids.append("new")
    clone.content_groups[0]["code"] = "changed"
    clone.change_deadline(
        actor=ACTOR, occurred_at=T, step="self_assessment", deadline="2025-12-20", reason="lùi"
    )
    assert clone.deadlines != deadlines and clone.version == cycle.version + 1
    assert "new" not in cycle.unit_ids and len(cycle.unit_ids) == 5
    assert cycle.deadlines == deadlines and cycle.deadline_changes == ()
    assert cycle.content_groups == groups


def test_copy_state_shares_only_immutable_values() -> None:
    when = datetime(2025, 1, 2, tzinfo=UTC)
    ident = uuid.uuid4()
    box = Box([1, 2])
    state: dict[str, Any] = {
        "ids": [ident, "a", 1, 2.5, True, None, Decimal("1.5"), date(2025, 1, 1), when],
        "nested": {"x": [{"y": [1, 2]}], "t": (1, [2, 3]), "s": {1, 2}},
        "enum": Colour.RED,
        "other": box,
    }
    out = copy_state(state, {})
    assert out == state
    assert out is not state and out["ids"] is not state["ids"]
    assert out["ids"][0] is ident and out["ids"][-1] is when  # immutable: shared
    assert out["nested"]["x"][0]["y"] is not state["nested"]["x"][0]["y"]
    assert out["nested"]["t"][1] is not state["nested"]["t"][1]
    assert out["nested"]["s"] is not state["nested"]["s"]
    assert out["enum"] is Colour.RED
    assert out["other"] == box and out["other"] is not box  # other objects: copy.deepcopy
    out["other"].items.append(3)
    assert box.items == [1, 2]
