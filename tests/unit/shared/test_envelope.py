"""The envelope contract."""

from __future__ import annotations

import pytest

from shared.envelope import Envelope, canonical_json, chain_hash, event_id_for


def sample(**kw: object) -> Envelope:
    data: dict[str, object] = dict(
        event_id=event_id_for("a", 1),
        type="assessment.Unit.Registered",
        tenant="t",
        aggregate_type="Unit",
        aggregate_id="a",
        aggregate_version=1,
        global_position=7,
        occurred_at="2013-01-01T00:00:00+00:00",
        recorded_at="2013-01-01T00:00:01+00:00",
        actor={"subject": "s", "role": "r", "acting_for": None},
        payload={"name": "Sở Nội vụ"},
    )
    data.update(kw)
    return Envelope(**data)  # type: ignore[arg-type]


def test_event_id_is_stable_per_aggregate_version() -> None:
    assert event_id_for("a", 1) == event_id_for("a", 1) != event_id_for("a", 2)


def test_round_trip_through_json() -> None:
    e = sample()
    assert Envelope.from_json_bytes(e.to_json_bytes()) == e


def test_canonical_json_is_sorted_and_utf8() -> None:
    assert canonical_json({"b": 1, "a": "ở"}) == '{"a":"ở","b":1}'.encode()


@pytest.mark.parametrize("raw", [b"[]", b'{"type": "x"}', b'{"schema_version": 99}'])
def test_bad_envelopes_are_refused(raw: bytes) -> None:
    with pytest.raises(ValueError):
        Envelope.from_json_bytes(raw)


def test_chain_hash_covers_the_payload_but_not_the_chain_fields() -> None:
    e = sample()
    assert chain_hash(None, e) == chain_hash(None, sample(hash="ff", prev_hash="00"))
    assert chain_hash(None, e) != chain_hash(None, sample(payload={"name": "Sở Tài chính"}))
