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


def test_serialised_without_asdict_gives_the_same_bytes() -> None:
    """``to_json_bytes`` and the hashed bytes skip ``asdict``'s deep copy (issue 14): the
    bytes are those of ``canonical_json(asdict(...))``, for plain JSON payloads and, through
    the fallback, for a payload holding a dataclass."""
    from dataclasses import asdict, dataclass

    @dataclass
    class Inner:
        code: str

    cases = [
        sample(),
        sample(
            payload={"a": [1, 2.5, None, {"ở": ["x", True]}], "b": {"c": {}}},
            prev_hash="ab" * 32,
            hash="cd" * 32,
            extensions={"trace": "t"},
            correlation_id="c",
        ),
        sample(payload={"inner": Inner("Sở")}),
    ]
    for e in cases:
        whole = asdict(e)
        assert e.to_json_bytes() == canonical_json(whole)
        del whole["prev_hash"], whole["hash"]
        assert e.canonical_bytes_for_hash() == canonical_json(whole)
