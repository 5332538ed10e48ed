"""The demo province (embedded, SQLite) with its read models caught up, plus one ballot on the
head of Sở Y tế (ElectionCreated … ResultPublished envelopes as ``ballot.events.v1`` carries
them), for the report tests."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from assessment.adapters.history import iter_envelopes
from assessment.domain.collective.cycle import cycle_id_for
from embedded.app import Embedded, build_embedded
from embedded.demo import TENANT, YEAR, load_demo
from reporting.read_models import registry
from shared.envelope import Envelope, event_id_for

ELECTION = "0b9d7f8e-0000-4000-8000-000000000001"
HEAD = {"id": "p1", "name": "Nguyễn Thị Hồng Ngọc", "position": "Giám đốc Sở Y tế"}


def ballot_envelopes(tenant: str = TENANT, *, returned: int = 27) -> list[Envelope]:
    """A confidence vote on the head of Sở Y tế; ``returned`` below 20 of 30 misses quorum."""
    met = returned * 3 >= 2 * 30
    election = ELECTION if met else ELECTION.replace("0001", "0002")

    def env(seq: int, kind: str, payload: dict[str, Any], at: str) -> Envelope:
        return Envelope(
            event_id=event_id_for(election, seq),
            type=f"ballot.{kind}",
            tenant=tenant,
            aggregate_type="ballot.Election",
            aggregate_id=election,
            aggregate_version=seq,
            global_position=seq,
            occurred_at=at,
            recorded_at=at,
            actor={"subject": "ballot-service", "role": "system", "acting_for": None},
            payload=payload,
        )

    levels = ["Tín nhiệm cao", "Tín nhiệm", "Tín nhiệm thấp"]
    report = {
        "valid": met,
        "invalid_reason": None if met else "quorum_not_met",
        "scale": "confidence",
        "summoned": 30,
        "issued": 30,
        "returned": returned,
        "quorum": {"fraction": "2/3", "participants": returned, "required": 20, "met": met},
        "percent_base": "summoned",
        "persons": [
            {
                **HEAD,
                "summoned": 30,
                "issued": 30,
                "returned": returned,
                "valid": returned,
                "invalid": 0,
                "levels": [
                    {"label": levels[0], "count": returned - 9, "percent": None},
                    {"label": levels[1], "count": 7, "percent": None},
                    {"label": levels[2], "count": 2, "percent": None},
                ],
                "percent_base": "summoned",
                "base": 30,
                "low_label": levels[2],
                "low_over_half": False if met else None,
                "low_at_least_two_thirds": False if met else None,
            }
        ],
    }
    created = {
        "unit": "SYT",
        "title": "Lấy phiếu tín nhiệm người đứng đầu Sở Y tế năm 2013"
        + ("" if met else " (lần 1)"),
        "scale": "confidence",
        "levels": levels,
        "persons": [HEAD],
        "summoned": 30,
        "opens_at": "2014-01-02T08:00:00+07:00",
        "closes_at": "2014-01-02T11:00:00+07:00",
    }
    return [
        env(1, "ElectionCreated", created, "2013-12-30T09:00:00+07:00"),
        env(2, "ElectionOpened", {"fingerprint": "x"}, "2014-01-02T08:00:00+07:00"),
        env(3, "ElectionClosed", {"ballots": 27, "counted": 27}, "2014-01-02T11:00:00+07:00"),
        env(
            4,
            "ResultPublished",
            {"counted": 27, "used": 27, "report": report},
            "2014-01-02T12:00:00+07:00",
        ),
    ]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Embedded]:
    e = build_embedded(tmp_path_factory.mktemp("demo"))
    load_demo(e.assessment)
    asyncio.run(e.relay.drain())
    with e.db.transaction() as tx:
        registry.apply_all(tx, ballot_envelopes())
    yield e
    e.close()


@pytest.fixture(scope="module")
def cycle_id() -> str:
    return str(cycle_id_for(TENANT, YEAR))


@pytest.fixture(scope="module")
def events(demo: Embedded) -> dict[str, list[Any]]:
    """The store's own envelopes of the inspection and remediation aggregates, by event."""
    out: dict[str, list[Any]] = {}
    for env in iter_envelopes(demo.assessment):
        if env.aggregate_type in ("Inspection", "RemediationPlan"):
            out.setdefault(f"{env.aggregate_type}.{env.event_name}", []).append(env)
    return out
