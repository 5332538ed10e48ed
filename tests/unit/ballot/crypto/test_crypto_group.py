"""Validated Scalar and Point types, transcript encoding, dlog."""

from __future__ import annotations

import pytest

from ballot.crypto import (
    GENERATOR,
    IDENTITY,
    ORDER,
    CryptoError,
    DlogOutOfRangeError,
    IdentityPointError,
    InvalidParameterError,
    NonCanonicalEncodingError,
    Point,
    Scalar,
    discrete_log,
)
from ballot.crypto import hashing as H


class TestScalar:
    def test_rejects_values_at_or_above_the_group_order(self) -> None:
        for v in (ORDER, ORDER + 1, 2**256 - 1):
            with pytest.raises(NonCanonicalEncodingError):
                Scalar.from_bytes(v.to_bytes(32, "little"))

    def test_accepts_the_largest_canonical_value(self) -> None:
        assert Scalar.from_bytes((ORDER - 1).to_bytes(32, "little")).to_int() == ORDER - 1

    def test_rejects_wrong_lengths(self) -> None:
        for b in (b"", bytes(31), bytes(33)):
            with pytest.raises(NonCanonicalEncodingError):
                Scalar.from_bytes(b)

    def test_hex_must_be_lowercase_and_exact(self) -> None:
        s = Scalar.from_int(0xABCDEF)
        assert Scalar.from_hex(s.hex()) == s
        for bad in (s.hex().upper(), s.hex()[:-2], s.hex() + "00", "zz" * 32, 5):
            with pytest.raises(NonCanonicalEncodingError):
                Scalar.from_hex(bad)

    def test_arithmetic_matches_integers_mod_l(self) -> None:
        a, b = Scalar.from_int(2**200 + 7), Scalar.from_int(ORDER - 3)
        assert (a + b).to_int() == (2**200 + 7 + ORDER - 3) % ORDER
        assert (a - b).to_int() == (2**200 + 7 - (ORDER - 3)) % ORDER
        assert (a * b).to_int() == (2**200 + 7) * (ORDER - 3) % ORDER
        assert (-a).to_int() == (-(2**200 + 7)) % ORDER
        assert (a * a.invert()).to_int() == 1

    def test_zero_has_no_inverse(self) -> None:
        with pytest.raises(ZeroDivisionError):
            Scalar.zero().invert()

    def test_random_scalars_are_non_zero_and_distinct(self) -> None:
        xs = {Scalar.random().to_bytes() for _ in range(20)}
        assert len(xs) == 20 and bytes(32) not in xs

    def test_repr_never_shows_the_value(self) -> None:
        s = Scalar.from_int(42)
        assert s.hex() not in repr(s) and "42" not in repr(s)

    def test_wide_reduction_needs_64_bytes(self) -> None:
        with pytest.raises(NonCanonicalEncodingError):
            Scalar.from_wide_bytes(bytes(32))


class TestPoint:
    def test_identity_is_a_valid_encoding_and_the_neutral_element(self) -> None:
        assert Point.from_bytes(bytes(32)) == IDENTITY
        assert GENERATOR + IDENTITY == GENERATOR
        assert GENERATOR - GENERATOR == IDENTITY
        assert IDENTITY.is_identity()

    def test_multiplying_by_zero_or_the_identity_gives_the_identity(self) -> None:
        assert Point.base_mul(Scalar.zero()) == IDENTITY
        assert GENERATOR * Scalar.zero() == IDENTITY
        assert IDENTITY * Scalar.from_int(5) == IDENTITY
        assert GENERATOR * Scalar.from_int(ORDER) == IDENTITY

    def test_require_non_identity(self) -> None:
        with pytest.raises(IdentityPointError) as exc:
            IDENTITY.require_non_identity()
        assert exc.value.code == "ballot.identity_point"
        assert isinstance(exc.value, NonCanonicalEncodingError)

    def test_group_laws(self) -> None:
        a, b = Scalar.random(), Scalar.random()
        pa, pb = Point.base_mul(a), Point.base_mul(b)
        assert pa + pb == Point.base_mul(a + b)
        assert pa * b == pb * a
        assert -pa + pa == IDENTITY
        assert b * pa == pa * b

    def test_scalar_times_point_never_silently_mixes_types(self) -> None:
        s = Scalar.from_int(3)
        assert s * GENERATOR == GENERATOR * s

    def test_rejects_non_canonical_and_wrong_lengths(self) -> None:
        p = 2**255 - 19
        for b in (bytes(31), bytes(33), p.to_bytes(32, "little"), b"\x01" + bytes(31)):
            with pytest.raises(NonCanonicalEncodingError):
                Point.from_bytes(b)

    def test_rejects_encodings_with_the_top_bit_set(self) -> None:
        # libsodium 1.0.18 alone would accept these as second encodings of valid points.
        for p in (IDENTITY, GENERATOR, Point.base_mul(Scalar.random())):
            b = bytearray(p.to_bytes())
            b[31] |= 0x80
            with pytest.raises(NonCanonicalEncodingError):
                Point.from_bytes(bytes(b))

    def test_one_way_map_needs_64_bytes(self) -> None:
        with pytest.raises(NonCanonicalEncodingError):
            Point.from_uniform_bytes(bytes(32))


class TestTranscript:
    def test_length_prefixes_make_field_boundaries_unambiguous(self) -> None:
        assert H.transcript(b"t", b"ab", b"c") != H.transcript(b"t", b"a", b"bc")
        assert H.transcript(b"t", b"") != H.transcript(b"t")
        assert H.challenge(b"t1", b"x") != H.challenge(b"t2", b"x")

    def test_layout(self) -> None:
        assert H.transcript(b"T", b"\x01\x02") == b"\x00\x00\x00\x01T\x00\x00\x00\x02\x01\x02"

    def test_decode_is_strict(self) -> None:
        t = H.transcript(b"tag", b"abc")
        assert H.decode(t, b"tag") == [b"abc"]
        for bad in (t + b"\x00", t[:-1], H.transcript(b"other", b"abc")):
            with pytest.raises(NonCanonicalEncodingError):
                H.decode(bad, b"tag")

    def test_u32_range(self) -> None:
        assert H.u32(2**32 - 1) == b"\xff\xff\xff\xff"
        for bad in (-1, 2**32, True):
            with pytest.raises(InvalidParameterError):
                H.u32(bad)

    def test_text_must_be_nfc(self) -> None:
        assert H.text("Tín") == "Tín".encode()
        with pytest.raises(NonCanonicalEncodingError):
            H.text("Ti\u0301n")  # decomposed


class TestDlog:
    @pytest.mark.parametrize("m", [0, 1, 2, 99, 100, 317, 1000])
    def test_recovers_values_up_to_the_bound(self, m: int) -> None:
        assert discrete_log(Point.base_mul(Scalar.from_int(m)), 1000) == m

    def test_out_of_range_raises(self) -> None:
        with pytest.raises(DlogOutOfRangeError) as exc:
            discrete_log(Point.base_mul(Scalar.from_int(101)), 100)
        assert exc.value.code == "ballot.dlog_out_of_range"
        with pytest.raises(DlogOutOfRangeError):
            discrete_log(Point.base_mul(Scalar.random()), 10_000)

    def test_bound_zero(self) -> None:
        assert discrete_log(IDENTITY, 0) == 0
        with pytest.raises(DlogOutOfRangeError):
            discrete_log(GENERATOR, 0)

    def test_rejects_silly_bounds(self) -> None:
        with pytest.raises(CryptoError):
            discrete_log(GENERATOR, -1)
