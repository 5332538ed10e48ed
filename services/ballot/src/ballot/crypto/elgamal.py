"""Exponential ElGamal over ristretto255: ``(α, β) = (r·G, r·K + m·G)``.

Ciphertexts are additively homomorphic: the component-wise sum encrypts the sum of the
plaintexts. Decryption yields ``m·G``; the small ``m`` is recovered with :mod:`.dlog`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .errors import InvalidParameterError, MalformedError
from .group import _ZERO32, IDENTITY, Point, Scalar, _raw_add, base_mul_int


@dataclass(frozen=True, slots=True)
class Ciphertext:
    """An ElGamal ciphertext; both components are validated points."""

    alpha: Point
    beta: Point

    def __add__(self, other: Ciphertext) -> Ciphertext:
        return Ciphertext(self.alpha + other.alpha, self.beta + other.beta)

    def to_bytes(self) -> bytes:
        """``α || β`` (64 bytes)."""
        return self.alpha.to_bytes() + self.beta.to_bytes()

    def to_dict(self) -> dict[str, str]:
        return {"alpha": self.alpha.hex(), "beta": self.beta.hex()}

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Ciphertext:
        if not isinstance(data, Mapping) or set(data) != {"alpha", "beta"}:
            raise MalformedError("ciphertext needs exactly 'alpha' and 'beta'")
        return cls(Point.from_hex(data["alpha"]), Point.from_hex(data["beta"]))


ZERO_CIPHERTEXT = Ciphertext(IDENTITY, IDENTITY)
"""The trivial encryption of 0 (neutral element for :func:`aggregate`)."""


def encode_message(m: int) -> Point:
    """``m·G`` (``m`` a small non-negative integer)."""
    if m < 0:
        raise InvalidParameterError("plaintext must be non-negative")
    return base_mul_int(m)


def encrypt_with_nonce(joint_key: Point, m: int, r: Scalar) -> Ciphertext:
    """Encrypt ``m`` under ``joint_key`` with the given secret nonce ``r``."""
    return Ciphertext(Point.base_mul(r), joint_key * r + encode_message(m))


def encrypt(joint_key: Point, m: int) -> tuple[Ciphertext, Scalar]:
    """Encrypt ``m`` with a fresh random nonce; return the ciphertext and the nonce."""
    r = Scalar.random()
    return encrypt_with_nonce(joint_key, m, r), r


def decrypt_to_point(secret: Scalar, ct: Ciphertext) -> Point:
    """``β − s·α`` = ``m·G`` when ``s`` is the secret key of the encryption key."""
    return ct.beta - ct.alpha * secret


def aggregate(ciphertexts: Iterable[Ciphertext]) -> Ciphertext:
    """Homomorphic sum of ciphertexts (the encryption of the sum of plaintexts)."""
    a = _ZERO32
    b = _ZERO32
    for ct in ciphertexts:
        a = _raw_add(a, ct.alpha.to_bytes())
        b = _raw_add(b, ct.beta.to_bytes())
    return Ciphertext(Point._unchecked(a), Point._unchecked(b))


def validate_ballot_ciphertext(ct: Ciphertext) -> None:
    """A ballot ciphertext must have ``α ≠ identity`` (``r = 0`` would expose the vote)."""
    ct.alpha.require_non_identity("ciphertext alpha")


__all__ = [
    "ZERO_CIPHERTEXT",
    "Ciphertext",
    "aggregate",
    "decrypt_to_point",
    "encode_message",
    "encrypt",
    "encrypt_with_nonce",
    "validate_ballot_ciphertext",
]
