"""The auditor's timeline (pure): a tenant's events only, filtered by unit (its own events, its
assessment's, the decisions naming it), step, actor and business-time range, paged; each
entry's chain status is computed from its chain fields, so an edited event shows."""

from __future__ import annotations

import dataclasses
from datetime import datetime

from reporting.reports.timeline import TimelineFilter, chain_status, timeline
from shared.envelope import Envelope, chain_hash, event_id_for

UNIT, OTHER, UA, CYCLE = "u-snv", "u-stc", "ua-snv", "c-2013"


def env(pos: int, agg_type: str, agg: str, event: str, payload: dict, at: str, **kw) -> Envelope:
    return Envelope(
        event_id=event_id_for(f"00000000-0000-0000-0000-{pos:012d}", 1),
        type=f"assessment.{agg_type}.{event}",
        tenant=kw.pop("tenant", "dong-nai"),
        aggregate_type=agg_type,
        aggregate_id=agg,
        aggregate_version=1,
        global_position=pos,
        occurred_at=at,
        recorded_at="2026-12-01T00:00:00+00:00",
        actor=kw.pop("actor", {"subject": "snv.tonghop", "role": "home_affairs"}),
        payload=payload,
    )


def history() -> list[Envelope]:
    chair = {"subject": "chu-tich", "role": "chairman"}
    return [
        env(
            1,
            "Unit",
            UNIT,
            "Registered",
            {"code": "SNV", "name": "Sở Nội vụ"},
            "2013-01-01T08:00+07:00",
        ),
        env(
            2,
            "Unit",
            OTHER,
            "Registered",
            {"code": "STC", "name": "Sở Tài chính"},
            "2013-01-01T08:00+07:00",
        ),
        env(
            3,
            "Cycle",
            CYCLE,
            "UnitsEnrolled",
            {"unit_ids": [UNIT, OTHER]},
            "2013-10-01T08:00+07:00",
        ),
        env(
            4,
            "UnitAssessment",
            UA,
            "Opened",
            {"unit_id": UNIT, "cycle_id": CYCLE},
            "2013-10-01T08:00+07:00",
        ),
        env(
            5,
            "UnitAssessment",
            UA,
            "Recognised",
            {"level": "hoan_thanh"},
            "2014-01-09T10:00+07:00",
            actor=chair,
        ),
        env(
            6,
            "Unit",
            "u-qt",
            "Registered",
            {"code": "SNV", "name": "x"},
            "2013-01-01T08:00+07:00",
            tenant="quang-tri",
        ),
    ]


def test_only_the_tenants_events_in_store_order() -> None:
    result = timeline(history(), "dong-nai", TimelineFilter())
    assert [e["position"] for e in result.items] == [1, 2, 3, 4, 5]


def test_filters_by_unit_step_actor_and_business_time() -> None:
    def positions(f: TimelineFilter) -> list[int]:
        return [e["position"] for e in timeline(history(), "dong-nai", f).items]

    assert positions(TimelineFilter(unit_id=UNIT)) == [1, 3, 4, 5]
    assert positions(TimelineFilter(unit_id=OTHER)) == [2, 3]
    assert positions(TimelineFilter(step="recognition")) == [5]
    assert positions(TimelineFilter(actor="CHU-TICH")) == [5]
    vn = datetime.fromisoformat
    assert positions(
        TimelineFilter(start=vn("2013-10-01T00:00+07:00"), end=vn("2014-01-09T09:59+07:00"))
    ) == [3, 4]
    (entry,) = timeline(history(), "dong-nai", TimelineFilter(step="recognition")).items
    assert entry["units"] == [{"code": "SNV", "name": "Sở Nội vụ"}]
    assert entry["occurred_at"] == "2014-01-09T10:00+07:00" and entry["actor"]["role"] == "chairman"


def test_paging() -> None:
    page2 = timeline(history(), "dong-nai", TimelineFilter(), page=2, page_size=2)
    assert [e["position"] for e in page2.items] == [3, 4] and page2.pages == 3 and page2.total == 5


def test_chain_status_shows_an_edited_event() -> None:
    first = history()[0]
    sealed = dataclasses.replace(first, prev_hash=None, hash=chain_hash(None, first))
    assert chain_status(first) == "unsealed"
    assert chain_status(sealed) == "matches"
    edited = dataclasses.replace(sealed, payload={"code": "SNV", "name": "Sở Nội vụ (sửa)"})
    assert chain_status(edited) == "altered"
