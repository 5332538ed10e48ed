"""The demo province (embedded, SQLite) with its read models caught up, plus one ballot on the
head of Sở Y tế (ElectionCreated … ResultPublished envelopes as ``ballot.events.v1`` carries
them), for the report tests."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from assessment.domain.collective.cycle import cycle_id_for
from embedded.app import Embedded, build_embedded
from embedded.demo import TENANT, YEAR, load_demo
from reporting.read_models import registry
from shared.envelope import Envelope, event_id_for

ELECTION = "0b9d7f8e-0000-4000-8000-000000000001"
HEAD = {"id": "p1", "name": "Nguyễn Thị Hồng Ngọc", "position": "Giám đốc Sở Y tế"}


def ballot_envelopes(tenant: str = TENANT) -> list[Envelope]:
    def env(seq: int, kind: str, payload: dict[str, Any], at: str) -> Envelope:
        return Envelope(
            event_id=event_id_for(ELECTION, seq),
            type=f"ballot.{kind}",
            tenant=tenant,
            aggregate_type="ballot.Election",
            aggregate_id=ELECTION,
            aggregate_version=seq,
            global_position=seq,
            occurred_at=at,
            recorded_at=at,
            actor={"subject": "ballot-service", "role": "system", "acting_for": None},
            payload=payload,
        )

    levels = ["Tín nhiệm cao", "Tín nhiệm", "Tín nhiệm thấp"]
    report = {
        "scale": "confidence",
        "summoned": 30,
        "issued": 30,
        "returned": 27,
        "quorum": {"fraction": "2/3", "participants": 27, "required": 20, "met": True},
        "percent_base": "summoned",
        "persons": [
            {
                **HEAD,
                "summoned": 30,
                "issued": 30,
                "returned": 27,
                "valid": 27,
                "invalid": 0,
                "levels": [
                    {"label": levels[0], "count": 18, "percent": "60.00"},
                    {"label": levels[1], "count": 7, "percent": "23.33"},
                    {"label": levels[2], "count": 2, "percent": "6.67"},
                ],
                "percent_base": "summoned",
                "base": 30,
                "low_label": levels[2],
                "low_over_half": False,
                "low_at_least_two_thirds": False,
            }
        ],
    }
    created = {
        "unit": "SYT",
        "title": "Lấy phiếu tín nhiệm người đứng đầu Sở Y tế năm 2013",
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
