"""Voter credentials from one-time codes, and the Schnorr signature that binds a ballot to one.

A code is 22 random base58 characters (≈128.9 bits) followed by 2 checksum characters that
catch typing mistakes; it is printed as six groups of four, ``ABCD-EFGH-...``. The credential
secret is ``x = HKDF-SHA512(code, salt = T(cred-salt01, election_id), info) mod ℓ`` and the
public credential is ``P = x·G``. The credential authority publishes only the sorted ``P`` list.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Final

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from .errors import CredentialCodeInvalidError, SignatureInvalidError
from .group import Point, Scalar
from .hashing import CRED_INFO, TAG_CODE_CHECK, TAG_CRED_SALT, TAG_SIG, digest256, text, transcript
from .nonces import NonceSource, RandomNonces
from .proofs import SchnorrProof, schnorr_is_valid, schnorr_prove

BASE58_ALPHABET: Final[str] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
CODE_PAYLOAD_CHARS: Final[int] = 22
CODE_CHECK_CHARS: Final[int] = 2
CODE_CHARS: Final[int] = CODE_PAYLOAD_CHARS + CODE_CHECK_CHARS
_GROUP: Final[int] = 4
_SEPARATORS: Final[frozenset[str]] = frozenset("- \t\r\n")


@dataclass(frozen=True, slots=True)
class CredentialKeyPair:
    """A voter's credential key; ``secret`` never leaves the voter's device."""

    secret: Scalar
    public: Point

    def __repr__(self) -> str:
        return f"CredentialKeyPair(public={self.public.hex()}, secret=<redacted>)"


def _checksum(payload: str) -> str:
    n = int.from_bytes(digest256(TAG_CODE_CHECK, payload.encode("ascii"))[:4], "big") % 58**2
    return BASE58_ALPHABET[n // 58] + BASE58_ALPHABET[n % 58]


def format_code(code: str) -> str:
    """Group a normalised 24-character code as ``xxxx-xxxx-xxxx-xxxx-xxxx-xxxx``."""
    c = normalize_code(code)
    return "-".join(c[i : i + _GROUP] for i in range(0, len(c), _GROUP))


def generate_code() -> str:
    """A fresh one-time code (normalised form, 24 characters) from :mod:`secrets`."""
    payload = "".join(secrets.choice(BASE58_ALPHABET) for _ in range(CODE_PAYLOAD_CHARS))
    return payload + _checksum(payload)


def normalize_code(code: str) -> str:
    """Strip separators (``-``, spaces) and check length, alphabet and checksum."""
    if not isinstance(code, str):
        raise CredentialCodeInvalidError("code must be a string")
    c = "".join(ch for ch in code if ch not in _SEPARATORS)
    if len(c) != CODE_CHARS:
        raise CredentialCodeInvalidError(f"code must have {CODE_CHARS} characters")
    if any(ch not in BASE58_ALPHABET for ch in c):
        raise CredentialCodeInvalidError("code contains a character outside base58")
    payload, check = c[:CODE_PAYLOAD_CHARS], c[CODE_PAYLOAD_CHARS:]
    if not secrets.compare_digest(_checksum(payload), check):
        raise CredentialCodeInvalidError("code checksum does not match (typing mistake?)")
    return c


def credential_salt(election_id: str) -> bytes:
    return transcript(TAG_CRED_SALT, text(election_id))


def derive_credential(code: str, election_id: str) -> CredentialKeyPair:
    """Derive the credential key pair for ``code`` in election ``election_id``."""
    c = normalize_code(code)
    okm = HKDF(
        algorithm=hashes.SHA512(), length=64, salt=credential_salt(election_id), info=CRED_INFO
    ).derive(c.encode("ascii"))
    x = Scalar.from_wide_bytes(okm)
    if x.is_zero():  # probability 2^-252; refuse rather than publish the identity
        raise CredentialCodeInvalidError("code derives a zero key")
    return CredentialKeyPair(x, Point.base_mul(x))


def generate_credentials(election_id: str, count: int) -> list[tuple[str, Point]]:
    """For the credential authority: ``count`` fresh ``(code, public credential)`` pairs."""
    out = []
    for _ in range(count):
        code = generate_code()
        out.append((code, derive_credential(code, election_id).public))
    return out


def _sign(
    keypair: CredentialKeyPair, fingerprint: bytes, message: bytes, nonces: NonceSource
) -> SchnorrProof:
    w = nonces.scalar("sig-w")
    return schnorr_prove(TAG_SIG, (fingerprint, message), keypair.public, keypair.secret, w)


def sign(keypair: CredentialKeyPair, fingerprint: bytes, message: bytes) -> SchnorrProof:
    """Schnorr signature ``(c, z)`` on ``message`` bound to the election fingerprint."""
    return _sign(keypair, fingerprint, message, RandomNonces())


def verify_signature(
    public: Point, fingerprint: bytes, message: bytes, signature: SchnorrProof
) -> None:
    """Raise :class:`SignatureInvalidError` unless ``signature`` is valid for ``public``."""
    if public.is_identity() or not schnorr_is_valid(
        TAG_SIG, (fingerprint, message), public, signature
    ):
        raise SignatureInvalidError("credential signature does not verify")


__all__ = [
    "BASE58_ALPHABET",
    "CODE_CHARS",
    "CredentialKeyPair",
    "derive_credential",
    "format_code",
    "generate_code",
    "generate_credentials",
    "normalize_code",
    "sign",
    "verify_signature",
]
