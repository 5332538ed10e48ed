"""Domain rules without HTTP: the result report, the ceremony's complaint and restart, the
embedded relay, sealed key files."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ballot import trustee as ops
from ballot.bootstrap import BallotModule
from ballot.crypto import Polynomial, ShareInvalidError, encrypt_share
from ballot.domain.election import ElectionConfig
from ballot.domain.result import build_report, percent
from ballot.harness import ElectionDriver, election_request
from ballot.keystore import KeyFileError, seal, unseal
from helpers import MutableClock
from shared.bus import InProcessBus
from shared.envelope import Envelope
from shared.relay import BusTarget

KEY = {"key_id": "k", "public_key": "pem"}
TRUSTEE = {"name": "A", "sign_key": "11" * 32, "kx_key": "22" * 32}


def config(**overrides: object) -> ElectionConfig:
    start = datetime(2026, 5, 4, 1, 0, tzinfo=UTC)
    data = {
        "tenant": "t",
        "unit": "SNV",
        "title": "Lấy phiếu",
        "scale": "confidence",
        "persons": [{"name": "Người A", "position": "Giám đốc"}],
        "summoned": 9,
        "opens_at": start.isoformat(),
        "closes_at": (start + timedelta(hours=2)).isoformat(),
        "min_ballots": 3,
        "threshold": 1,
        "trustees": [TRUSTEE],
        "board_key": KEY,
        **overrides,
    }
    return ElectionConfig.create("e", data)


def report_for(counts: Sequence[int], counted: int, **overrides: object) -> dict[str, object]:
    rep = build_report(config(**overrides), (tuple(counts),), counted, 9)
    person = rep["persons"][0]  # type: ignore[index]
    assert isinstance(person, dict)
    return {**person, "quorum": rep["quorum"]}


def test_percent_is_exact_half_up_with_two_decimals() -> None:
    assert percent(2, 3) == "66.67"
    assert percent(1, 8) == "12.50"
    assert percent(1, 200) == "0.50"
    assert percent(0, 0) is None


def test_two_thirds_low_exactly_sets_both_flags() -> None:
    p = report_for([1, 1, 4, 0], 6)
    assert p["low_over_half"] is True and p["low_at_least_two_thirds"] is True


def test_exactly_half_low_is_not_over_half() -> None:
    p = report_for([2, 1, 3, 0], 6)
    assert p["low_over_half"] is False and p["low_at_least_two_thirds"] is False


def test_percent_base_valid_excludes_blank_boxes_and_summoned_counts_absentees() -> None:
    p = report_for([1, 0, 3, 2], 6, percent_base="valid")
    assert p["valid"] == 4 and p["invalid"] == 2 and p["base"] == 4
    assert p["low_over_half"] is True and p["levels"][2]["percent"] == "75.00"  # type: ignore[index]
    p = report_for([1, 0, 3, 2], 6, percent_base="summoned")
    assert p["base"] == 9 and p["levels"][2]["percent"] == "33.33"  # type: ignore[index]
    assert p["low_over_half"] is False


def test_quorum_is_two_thirds_of_summoned_by_default_and_configurable() -> None:
    assert report_for([5, 0, 0, 0], 5)["quorum"] == {
        "fraction": "2/3",
        "participants": 5,
        "required": 6,
        "met": False,
    }
    assert report_for([6, 0, 0, 0], 6)["quorum"]["met"] is True  # type: ignore[index]
    q = report_for([5, 0, 0, 0], 5, quorum={"numerator": 1, "denominator": 2})["quorum"]
    assert q == {"fraction": "1/2", "participants": 5, "required": 5, "met": True}


def test_completion_scale_has_four_levels_and_the_last_is_low() -> None:
    c = config(scale="completion", allow_blank=False)
    assert c.options == (
        "Hoàn thành xuất sắc nhiệm vụ",
        "Hoàn thành tốt nhiệm vụ",
        "Hoàn thành nhiệm vụ",
        "Không hoàn thành nhiệm vụ",
    )
    rep = build_report(c, ((0, 0, 1, 5),), 6, 9)
    person = rep["persons"][0]
    assert person["low_label"] == "Không hoàn thành nhiệm vụ" and person["low_over_half"]


def test_text_must_be_nfc() -> None:
    from ballot.domain.errors import BallotError

    with pytest.raises(BallotError, match="NFC"):
        config(title="Lấy phiê\u0301u")


def test_a_bad_ceremony_share_leads_to_a_complaint_and_a_restart(
    driver: ElectionDriver, clock: MutableClock
) -> None:
    d = driver
    d.create(election_request(d.trustees, summoned=3, threshold=2, opens_at=clock.now))
    state = d.verified().state
    assert state is not None
    for t in d.trustees:
        r1 = ops.make_round1(state, t.keys)
        t.polynomial, t.reveal = r1.polynomial, r1.reveal
        d.trustee_post("/ceremony/round1", {"message": r1.message.to_dict()})
    state = d.verified().state
    assert state is not None
    for t in d.trustees:
        assert t.polynomial is not None and t.reveal is not None
        msg, shares = ops.make_round2(state, t.keys, t.polynomial, t.reveal)
        if t.keys.index == 2:  # trustee 2 sends trustee 3 a share off its own polynomial
            wrong = Polynomial.random(2)
            shares[2] = encrypt_share(state.ceremony, t.keys, wrong, t.reveal, 3)
        d.trustee_post(
            "/ceremony/round2", {"message": msg.to_dict(), "shares": [s.to_dict() for s in shares]}
        )
    state = d.verified().state
    assert state is not None
    victim = d.trustees[2]
    assert victim.reveal is not None
    with pytest.raises(ShareInvalidError) as bad:
        ops.open_shares(state, victim.keys, victim.reveal)
    assert bad.value.trustee == 2
    d.trustee_post("/ceremony/complaint", ops.complaint(state, victim.keys, 2))
    summary = d.client.get(d.url()).json()
    assert summary["ceremony"]["phase"] == "failed"
    assert summary["ceremony"]["complaint"] == {"trustee": 3, "accused": 2}
    assert d.organiser("ceremony/restart") == {"attempt": 2}
    d.run_ceremony()  # everyone honest this time
    summary = d.client.get(d.url()).json()
    assert summary["ceremony"]["phase"] == "done" and summary["ceremony"]["attempt"] == 2
    assert d.verified().report.ok


def test_embedded_relay_delivers_lifecycle_to_an_in_process_bus(
    module: BallotModule, open_election: ElectionDriver
) -> None:
    class Collector:
        name = "collector"

        def __init__(self) -> None:
            self.got: list[Envelope] = []
            self.at = 0

        def position(self) -> int:
            return self.at

        def handle_batch(self, envelopes: Sequence[Envelope], up_to_position: int) -> None:
            self.got.extend(envelopes)
            self.at = up_to_position

    bus = InProcessBus()
    sink = Collector()
    bus.subscribe(sink)
    relay = module.relay(BusTarget(bus))
    asyncio.run(relay.drain())
    assert [e.type for e in sink.got] == [
        "ballot.ElectionCreated",
        "ballot.KeyCeremonyCompleted",
        "ballot.CredentialsPublished",
        "ballot.ElectionOpened",
    ]
    assert sink.got[0].payload["persons"][0]["name"] == "Nguyễn Văn An"


def test_sealed_files_need_the_passphrase_and_an_intact_header(tmp_path: Path) -> None:
    blob = seal({"secret": "ab"}, "đúng", purpose="trustee-key", public={"name": "A"})
    assert "secret" not in json.dumps(blob)
    assert unseal(blob, "đúng", purpose="trustee-key") == {"secret": "ab"}
    with pytest.raises(KeyFileError, match="wrong passphrase"):
        unseal(blob, "sai", purpose="trustee-key")
    with pytest.raises(KeyFileError, match="wrong passphrase"):
        unseal({**blob, "public": {"name": "B"}}, "đúng", purpose="trustee-key")
    with pytest.raises(KeyFileError):
        unseal(blob, "đúng", purpose="trustee-election-state")
    with pytest.raises(KeyFileError):
        seal({}, "", purpose="x")
