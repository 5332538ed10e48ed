"""The canonical transcript used for every hash, challenge and signature (SPEC.md §3).

A transcript is a tag followed by fields, each written as a 4-byte big-endian length and the
bytes themselves::

    T(tag, f1, ..., fn) = LP(tag) || LP(f1) || ... || LP(fn)      LP(x) = u32be(len(x)) || x

Integers are fields holding ``u32be(n)``; points and scalars are their 32-byte encodings; text
is UTF-8 of NFC-normalised strings. Because every field is length-prefixed and every tag fixes
the number and meaning of its fields, two different inputs never share a transcript.

* ``challenge(tag, ...)`` = SHA-512(T) read little-endian, reduced mod ℓ (wide reduction).
* ``hash_to_point(tag, ...)`` = RFC 9496 one-way map of SHA-512(T).
* ``digest256(tag, ...)`` = SHA-256(T) (fingerprints, trackers, commitments).
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable
from typing import Final

from .errors import InvalidParameterError, NonCanonicalEncodingError
from .group import Point, Scalar

SPEC_VERSION: Final[str] = "congvu/v1"

# Every tag used by the protocol. Changing any byte of a tag is a breaking change (bump v1).
TAG_CDS: Final[bytes] = b"congvu/v1/cds01"
TAG_SUM: Final[bytes] = b"congvu/v1/sum01"
TAG_SIG: Final[bytes] = b"congvu/v1/sig01"
TAG_BALLOT_BODY: Final[bytes] = b"congvu/v1/ballot-body01"
TAG_BALLOT: Final[bytes] = b"congvu/v1/ballot01"
TAG_CRED_SALT: Final[bytes] = b"congvu/v1/cred-salt01"
CRED_INFO: Final[bytes] = b"congvu/v1/cred-key01"
TAG_CODE_CHECK: Final[bytes] = b"congvu/v1/code-check01"
TAG_CREDENTIALS: Final[bytes] = b"congvu/v1/credentials01"
TAG_FINGERPRINT: Final[bytes] = b"congvu/v1/fingerprint01"
TAG_DKG_CEREMONY: Final[bytes] = b"congvu/v1/dkg-ceremony01"
TAG_DKG_COMMIT: Final[bytes] = b"congvu/v1/dkg-commit01"
TAG_DKG_ROUND1: Final[bytes] = b"congvu/v1/dkg-round1-01"
TAG_DKG_ROUND2: Final[bytes] = b"congvu/v1/dkg-round2-01"
TAG_DKG_POK: Final[bytes] = b"congvu/v1/dkg-pok01"
TAG_DKG_SHARE_KEY: Final[bytes] = b"congvu/v1/dkg-share-key01"
TAG_DKG_SHARE_AAD: Final[bytes] = b"congvu/v1/dkg-share-aad01"
TAG_DKG_SHARE_SIG: Final[bytes] = b"congvu/v1/dkg-share-sig01"
TAG_PDEC: Final[bytes] = b"congvu/v1/pdec01"
TAG_TEST_NONCE: Final[bytes] = b"congvu/v1/test-nonce01"

_U32_MAX: Final[int] = 2**32 - 1


def u32(n: int) -> bytes:
    """4-byte big-endian encoding of ``0 <= n < 2**32``."""
    if not isinstance(n, int) or isinstance(n, bool) or not 0 <= n <= _U32_MAX:
        raise InvalidParameterError("integer field out of u32 range")
    return n.to_bytes(4, "big")


def text(s: str) -> bytes:
    """UTF-8 of an NFC-normalised string; non-NFC input is rejected (not silently fixed)."""
    if not isinstance(s, str):
        raise InvalidParameterError("text field must be a str")
    if not unicodedata.is_normalized("NFC", s):
        raise NonCanonicalEncodingError("text must be NFC-normalised")
    return s.encode("utf-8")


def lp(x: bytes) -> bytes:
    """Length prefix: ``u32be(len(x)) || x``."""
    return u32(len(x)) + x


Field = bytes | Point | Scalar


def _field_bytes(f: Field) -> bytes:
    if isinstance(f, bytes):
        return f
    if isinstance(f, Point | Scalar):
        return f.to_bytes()
    raise InvalidParameterError("transcript fields must be bytes, Point or Scalar")


def encode(tag: bytes, fields: Iterable[Field]) -> bytes:
    """``T(tag, fields...)`` — the canonical transcript bytes."""
    parts = [lp(tag)]
    for f in fields:
        b = _field_bytes(f)
        parts.append(len(b).to_bytes(4, "big"))
        parts.append(b)
    return b"".join(parts)


def transcript(tag: bytes, *fields: Field) -> bytes:
    return encode(tag, fields)


def decode(data: bytes, tag: bytes) -> list[bytes]:
    """Split canonical transcript bytes back into fields, checking the tag; strict.

    Raises :class:`NonCanonicalEncodingError` on a wrong tag, a truncated field or trailing
    bytes.
    """
    fields: list[bytes] = []
    view = memoryview(data)
    pos, end = 0, len(data)
    while pos < end:
        if end - pos < 4:
            raise NonCanonicalEncodingError("truncated length prefix")
        n = int.from_bytes(view[pos : pos + 4], "big")
        pos += 4
        if n > end - pos:
            raise NonCanonicalEncodingError("field runs past the end")
        fields.append(bytes(view[pos : pos + n]))
        pos += n
    if not fields or fields[0] != tag:
        raise NonCanonicalEncodingError("unexpected transcript tag")
    return fields[1:]


def challenge(tag: bytes, *fields: Field) -> Scalar:
    """Fiat–Shamir challenge: SHA-512 of the transcript, wide-reduced mod ℓ."""
    return Scalar.from_wide_bytes(hashlib.sha512(encode(tag, fields)).digest())


def hash_to_scalar(tag: bytes, *fields: Field) -> Scalar:
    """Same as :func:`challenge`; named for non-challenge uses."""
    return challenge(tag, *fields)


def hash_to_point(tag: bytes, *fields: Field) -> Point:
    """RFC 9496 one-way map applied to SHA-512 of the transcript."""
    return Point.from_uniform_bytes(hashlib.sha512(encode(tag, fields)).digest())


def digest256(tag: bytes, *fields: Field) -> bytes:
    """SHA-256 of the transcript (32 bytes)."""
    return hashlib.sha256(encode(tag, fields)).digest()


def digest512(tag: bytes, *fields: Field) -> bytes:
    """SHA-512 of the transcript (64 bytes)."""
    return hashlib.sha512(encode(tag, fields)).digest()


__all__ = [
    "SPEC_VERSION",
    "challenge",
    "decode",
    "digest256",
    "digest512",
    "encode",
    "hash_to_point",
    "hash_to_scalar",
    "lp",
    "text",
    "transcript",
    "u32",
]
