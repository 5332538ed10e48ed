"""RFC 9496 ristretto255 vectors (Appendix A), through our validated Point type."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from ballot.crypto import GENERATOR, NonCanonicalEncodingError, Point, Scalar

DATA = json.loads(
    (
        Path(__file__).resolve().parents[4]
        / "services/ballot/testvectors/ristretto255_rfc9496.json"
    ).read_text("utf-8")
)


@pytest.mark.parametrize("k", range(16))
def test_small_multiples_of_the_generator(k: int) -> None:
    expected = DATA["multiples_of_generator"][k]
    assert Point.base_mul(Scalar.from_int(k)).hex() == expected
    assert (GENERATOR * Scalar.from_int(k)).hex() == expected
    assert Point.from_hex(expected).hex() == expected


def test_repeated_addition_walks_the_multiples() -> None:
    p = Point.identity()
    for expected in DATA["multiples_of_generator"]:
        assert p.hex() == expected
        p = p + GENERATOR


@pytest.mark.parametrize("encoding", DATA["invalid_encodings"])
def test_invalid_encodings_are_rejected(encoding: str) -> None:
    with pytest.raises(NonCanonicalEncodingError) as exc:
        Point.from_hex(encoding)
    assert exc.value.code == "ballot.non_canonical_encoding"


@pytest.mark.parametrize("case", DATA["from_uniform_bytes"], ids=lambda c: c["output"][:8])
def test_one_way_map_from_uniform_bytes(case: dict[str, str | None]) -> None:
    assert case["input"] is not None
    if case["label"] is not None:
        assert hashlib.sha512(case["label"].encode()).hexdigest() == case["input"]
    assert Point.from_uniform_bytes(bytes.fromhex(case["input"])).hex() == case["output"]
