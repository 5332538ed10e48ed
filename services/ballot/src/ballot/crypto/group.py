"""Validated value types over the ristretto255 group (RFC 9496), backed by the system libsodium.

* :class:`Scalar` — an integer modulo the group order ``ℓ``; canonical encoding is 32 bytes
  little-endian with value ``< ℓ``. Parsing rejects anything else.
* :class:`Point` — a ristretto255 element; canonical encoding is the 32-byte RFC 9496 encoding.
  Parsing rejects every non-canonical encoding (``crypto_core_ristretto255_is_valid_point``
  plus an explicit top-bit check that libsodium 1.0.18 lacks).

Instances are immutable and can only hold canonical values, so code that receives a ``Point`` or
``Scalar`` never re-validates. Group operations call libsodium through ctypes (the library that
``pysodium`` loads); scalar arithmetic also goes through libsodium so that secret scalars are
never turned into Python integers. Randomness comes from :mod:`secrets`.

libsodium's scalar multiplication refuses to output the identity (it returns -1); this module
maps that case to :data:`IDENTITY`, which is only reachable for a zero scalar or the identity
input because the group has prime order.
"""

from __future__ import annotations

import ctypes
import hmac
import secrets
from typing import Final

import pysodium

from .errors import IdentityPointError, NonCanonicalEncodingError

ORDER: Final[int] = 2**252 + 27742317777372353535851937790883648493
"""ℓ, the prime order of ristretto255."""

GROUP_ID: Final[str] = "ristretto255"
POINT_BYTES: Final[int] = 32
SCALAR_BYTES: Final[int] = 32
WIDE_BYTES: Final[int] = 64

_ZERO32: Final[bytes] = bytes(32)
_GENERATOR_BYTES: Final[bytes] = bytes.fromhex(
    "e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76"
)

_lib = pysodium.sodium
_buf = ctypes.create_string_buffer


# --------------------------------------------------------------------------------------------
# Raw helpers on already-validated encodings (used by the hot paths).
# --------------------------------------------------------------------------------------------


def _raw_base(s: bytes) -> bytes:
    out = _buf(POINT_BYTES)
    if _lib.crypto_scalarmult_ristretto255_base(out, s) != 0:
        return _ZERO32  # s ≡ 0 (mod ℓ): libsodium refuses to output the identity
    return out.raw


def _raw_mul(s: bytes, p: bytes) -> bytes:
    out = _buf(POINT_BYTES)
    if _lib.crypto_scalarmult_ristretto255(out, s, p) != 0:
        return _ZERO32  # s ≡ 0 or p is the identity (inputs are validated by construction)
    return out.raw


def _raw_add(p: bytes, q: bytes) -> bytes:
    out = _buf(POINT_BYTES)
    if _lib.crypto_core_ristretto255_add(out, p, q) != 0:
        raise NonCanonicalEncodingError("invalid point encoding")
    return out.raw


def _raw_sub(p: bytes, q: bytes) -> bytes:
    out = _buf(POINT_BYTES)
    if _lib.crypto_core_ristretto255_sub(out, p, q) != 0:
        raise NonCanonicalEncodingError("invalid point encoding")
    return out.raw


def _raw_is_valid_point(p: bytes) -> bool:
    # RFC 9496 §4.3.1: decoding fails if the 32-byte little-endian value is >= p, hence if
    # bit 255 is set. libsodium 1.0.18 masks that bit (fixed in later releases), so an encoding
    # with the top bit set would be accepted as a second encoding of a valid point. Reject it.
    return (
        len(p) == POINT_BYTES
        and p[31] < 0x80
        and _lib.crypto_core_ristretto255_is_valid_point(p) == 1
    )


def _raw_reduce_wide(b: bytes) -> bytes:
    out = _buf(SCALAR_BYTES)
    _lib.crypto_core_ristretto255_scalar_reduce(out, b)
    return out.raw


def _raw_scalar_is_canonical(b: bytes) -> bool:
    return len(b) == SCALAR_BYTES and int.from_bytes(b, "little") < ORDER


def _scalar_op(fn_name: str, *args: bytes) -> bytes:
    out = _buf(SCALAR_BYTES)
    getattr(_lib, fn_name)(out, *args)
    return out.raw


def parse_hex(value: object, length: int) -> bytes:
    """Decode lowercase hex of exactly ``length`` bytes; anything else is non-canonical."""
    if not isinstance(value, str):
        raise NonCanonicalEncodingError("expected a hex string")
    if len(value) != 2 * length:
        raise NonCanonicalEncodingError(f"expected {2 * length} hex digits")
    if value != value.lower():
        raise NonCanonicalEncodingError("hex must be lowercase")
    try:
        return bytes.fromhex(value)
    except ValueError as exc:
        raise NonCanonicalEncodingError("invalid hex") from exc


# --------------------------------------------------------------------------------------------
# Scalar
# --------------------------------------------------------------------------------------------


class Scalar:
    """An element of Z/ℓZ with a canonical 32-byte little-endian encoding."""

    __slots__ = ("_b",)

    _b: bytes

    def __init__(self, encoding: bytes) -> None:
        if not isinstance(encoding, bytes) or not _raw_scalar_is_canonical(encoding):
            raise NonCanonicalEncodingError("scalar is not canonical (must be 32 bytes, < ℓ)")
        self._b = encoding

    @classmethod
    def _unchecked(cls, encoding: bytes) -> Scalar:
        obj = cls.__new__(cls)
        obj._b = encoding
        return obj

    # -- constructors ----------------------------------------------------------------------
    @classmethod
    def from_bytes(cls, encoding: bytes) -> Scalar:
        """Parse a canonical encoding; raise :class:`NonCanonicalEncodingError` otherwise."""
        return cls(bytes(encoding))

    @classmethod
    def from_hex(cls, value: object) -> Scalar:
        return cls(parse_hex(value, SCALAR_BYTES))

    @classmethod
    def from_int(cls, value: int) -> Scalar:
        """Reduce a (public) Python integer modulo ℓ; negative values are allowed."""
        return cls._unchecked((value % ORDER).to_bytes(SCALAR_BYTES, "little"))

    @classmethod
    def from_wide_bytes(cls, wide: bytes) -> Scalar:
        """Reduce 64 bytes, read little-endian, modulo ℓ (``scalar_reduce``)."""
        if len(wide) != WIDE_BYTES:
            raise NonCanonicalEncodingError("wide reduction needs exactly 64 bytes")
        return cls._unchecked(_raw_reduce_wide(bytes(wide)))

    @classmethod
    def random(cls) -> Scalar:
        """A uniformly random non-zero scalar from :mod:`secrets` (64 bytes, wide reduction)."""
        while True:
            s = _raw_reduce_wide(secrets.token_bytes(WIDE_BYTES))
            if s != _ZERO32:
                return cls._unchecked(s)

    @classmethod
    def zero(cls) -> Scalar:
        return cls._unchecked(_ZERO32)

    @classmethod
    def one(cls) -> Scalar:
        return cls.from_int(1)

    # -- encoding --------------------------------------------------------------------------
    def to_bytes(self) -> bytes:
        return self._b

    def hex(self) -> str:
        return self._b.hex()

    def to_int(self) -> int:
        """The integer value. Only for public scalars (challenges, responses, coefficients)."""
        return int.from_bytes(self._b, "little")

    def is_zero(self) -> bool:
        return hmac.compare_digest(self._b, _ZERO32)

    # -- arithmetic ------------------------------------------------------------------------
    def __add__(self, other: Scalar) -> Scalar:
        if not isinstance(other, Scalar):
            return NotImplemented
        return Scalar._unchecked(
            _scalar_op("crypto_core_ristretto255_scalar_add", self._b, other._b)
        )

    def __sub__(self, other: Scalar) -> Scalar:
        if not isinstance(other, Scalar):
            return NotImplemented
        return Scalar._unchecked(
            _scalar_op("crypto_core_ristretto255_scalar_sub", self._b, other._b)
        )

    def __mul__(self, other: Scalar) -> Scalar:
        if not isinstance(other, Scalar):
            return NotImplemented
        return Scalar._unchecked(
            _scalar_op("crypto_core_ristretto255_scalar_mul", self._b, other._b)
        )

    def __neg__(self) -> Scalar:
        return Scalar._unchecked(_scalar_op("crypto_core_ristretto255_scalar_negate", self._b))

    def invert(self) -> Scalar:
        if self.is_zero():
            raise ZeroDivisionError("zero scalar has no inverse")
        out = _buf(SCALAR_BYTES)
        _lib.crypto_core_ristretto255_scalar_invert(out, self._b)
        return Scalar._unchecked(out.raw)

    # -- comparison ------------------------------------------------------------------------
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Scalar):
            return NotImplemented
        return hmac.compare_digest(self._b, other._b)

    def __hash__(self) -> int:
        return hash((Scalar, self._b))

    def __repr__(self) -> str:
        return "Scalar(<redacted>)"


# --------------------------------------------------------------------------------------------
# Point
# --------------------------------------------------------------------------------------------


class Point:
    """A ristretto255 group element held in its canonical 32-byte encoding."""

    __slots__ = ("_b",)

    _b: bytes

    def __init__(self, encoding: bytes) -> None:
        if not isinstance(encoding, bytes) or not _raw_is_valid_point(encoding):
            raise NonCanonicalEncodingError("not a canonical ristretto255 encoding")
        self._b = encoding

    @classmethod
    def _unchecked(cls, encoding: bytes) -> Point:
        obj = cls.__new__(cls)
        obj._b = encoding
        return obj

    # -- constructors ----------------------------------------------------------------------
    @classmethod
    def from_bytes(cls, encoding: bytes) -> Point:
        """Parse a canonical encoding; raise :class:`NonCanonicalEncodingError` otherwise."""
        return cls(bytes(encoding))

    @classmethod
    def from_hex(cls, value: object) -> Point:
        return cls(parse_hex(value, POINT_BYTES))

    @classmethod
    def from_uniform_bytes(cls, uniform: bytes) -> Point:
        """RFC 9496 one-way map from 64 uniform bytes (libsodium ``from_hash``)."""
        if len(uniform) != WIDE_BYTES:
            raise NonCanonicalEncodingError("the one-way map needs exactly 64 bytes")
        out = _buf(POINT_BYTES)
        if _lib.crypto_core_ristretto255_from_hash(out, bytes(uniform)) != 0:
            raise NonCanonicalEncodingError("from_hash failed")
        return cls._unchecked(out.raw)

    @classmethod
    def base_mul(cls, s: Scalar) -> Point:
        """``s·G`` for the standard generator ``G``."""
        return cls._unchecked(_raw_base(s._b))

    @classmethod
    def identity(cls) -> Point:
        return IDENTITY

    @classmethod
    def generator(cls) -> Point:
        return GENERATOR

    # -- encoding --------------------------------------------------------------------------
    def to_bytes(self) -> bytes:
        return self._b

    def hex(self) -> str:
        return self._b.hex()

    def is_identity(self) -> bool:
        return self._b == _ZERO32

    def require_non_identity(self, what: str = "point") -> Point:
        """Return ``self``; raise :class:`IdentityPointError` if it is the identity."""
        if self._b == _ZERO32:
            raise IdentityPointError(f"{what} must not be the identity")
        return self

    # -- arithmetic ------------------------------------------------------------------------
    def __add__(self, other: Point) -> Point:
        return Point._unchecked(_raw_add(self._b, other._b))

    def __sub__(self, other: Point) -> Point:
        return Point._unchecked(_raw_sub(self._b, other._b))

    def __neg__(self) -> Point:
        return Point._unchecked(_raw_sub(_ZERO32, self._b))

    def __mul__(self, s: Scalar) -> Point:
        if not isinstance(s, Scalar):
            return NotImplemented
        return Point._unchecked(_raw_mul(s._b, self._b))

    __rmul__ = __mul__

    # -- comparison (points are public) ----------------------------------------------------
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Point):
            return NotImplemented
        return hmac.compare_digest(self._b, other._b)

    def __hash__(self) -> int:
        return hash((Point, self._b))

    def __lt__(self, other: Point) -> bool:
        return self._b < other._b

    def __repr__(self) -> str:
        return f"Point({self._b.hex()})"


IDENTITY: Final[Point] = Point._unchecked(_ZERO32)
GENERATOR: Final[Point] = Point._unchecked(_GENERATOR_BYTES)


def mul_int(p: Point, n: int) -> Point:
    """``n·p`` for a public integer ``n`` (reduced mod ℓ)."""
    return p * Scalar.from_int(n)


def base_mul_int(n: int) -> Point:
    """``n·G`` for a public integer ``n`` (reduced mod ℓ)."""
    return Point.base_mul(Scalar.from_int(n))


__all__ = [
    "GENERATOR",
    "GROUP_ID",
    "IDENTITY",
    "ORDER",
    "POINT_BYTES",
    "SCALAR_BYTES",
    "Point",
    "Scalar",
    "base_mul_int",
    "mul_int",
    "parse_hex",
]
