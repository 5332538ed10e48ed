"""Sources of secret nonces.

Production code always uses :class:`RandomNonces` (the :mod:`secrets` module). Test vectors need
reproducible nonces; :class:`SeededNonces` derives them from a seed with a labelled hash
(SPEC.md §12). Only the functions of :mod:`ballot.crypto.testing` accept a seed: the public API
has no parameter, setting or environment variable through which nonces can be fixed.
"""

from __future__ import annotations

import secrets
from typing import Protocol

from .group import Scalar
from .hashing import TAG_TEST_NONCE, challenge, digest512, text, u32


class NonceSource(Protocol):
    """Something that hands out secret scalars and bytes, addressed by label and indices."""

    def scalar(self, label: str, *indices: int) -> Scalar: ...

    def bytes32(self, label: str, *indices: int) -> bytes: ...


class RandomNonces:
    """Fresh randomness for every request (the only source used in production)."""

    __slots__ = ()

    def scalar(self, label: str, *indices: int) -> Scalar:
        return Scalar.random()

    def bytes32(self, label: str, *indices: int) -> bytes:
        return secrets.token_bytes(32)


class SeededNonces:
    """Deterministic nonces for test vectors only: ``H(test-nonce01, seed, label, indices)``."""

    __slots__ = ("_seed",)

    def __init__(self, seed: bytes) -> None:
        self._seed = bytes(seed)

    def _fields(self, label: str, indices: tuple[int, ...]) -> tuple[bytes, ...]:
        return (self._seed, text(label), *(u32(i) for i in indices))

    def scalar(self, label: str, *indices: int) -> Scalar:
        return challenge(TAG_TEST_NONCE, *self._fields(label, indices))

    def bytes32(self, label: str, *indices: int) -> bytes:
        return digest512(TAG_TEST_NONCE, *self._fields(label, indices))[:32]

    def __repr__(self) -> str:
        return "SeededNonces(<redacted>)"


__all__ = ["NonceSource", "RandomNonces", "SeededNonces"]
