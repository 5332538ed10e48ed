"""Typed errors of the ballot crypto core.

Every failure raises a subclass of :class:`CryptoError`; nothing returns ``None`` to signal a
failure. Each class carries a stable, dotted ``code`` (``ballot.<reason>``) that callers map to
HTTP problems or verifier output. Codes never derive from class names or message text, so they
survive renames. Messages never contain secrets (keys, nonces, codes, plaintexts).
"""

from __future__ import annotations

from typing import ClassVar


class CryptoError(Exception):
    """Base of every error raised by :mod:`ballot.crypto`."""

    code: ClassVar[str] = "ballot.crypto_error"

    def __init__(self, message: str = "") -> None:
        super().__init__(message or self.code)
        self.message = message or self.code


class NonCanonicalEncodingError(CryptoError):
    """A point, scalar, hex string or byte layout is not in its single canonical form."""

    code: ClassVar[str] = "ballot.non_canonical_encoding"


class IdentityPointError(NonCanonicalEncodingError):
    """The identity element appeared where a non-identity point is required."""

    code: ClassVar[str] = "ballot.identity_point"


class MalformedError(CryptoError):
    """A structure (JSON-able dict, canonical bytes) has missing, extra or wrongly typed parts."""

    code: ClassVar[str] = "ballot.malformed"


class InvalidParameterError(CryptoError):
    """A caller passed parameters outside their documented domain (e.g. threshold > n)."""

    code: ClassVar[str] = "ballot.invalid_parameter"


class WrongElectionError(CryptoError):
    """The ballot or message is bound to another election fingerprint."""

    code: ClassVar[str] = "ballot.wrong_election"


class WrongQuestionCountError(CryptoError):
    """A ballot answers a different number of questions than the election has."""

    code: ClassVar[str] = "ballot.wrong_question_count"


class WrongOptionCountError(CryptoError):
    """An answer has a different number of options than its question."""

    code: ClassVar[str] = "ballot.wrong_option_count"

    def __init__(self, message: str = "", *, question: int | None = None) -> None:
        super().__init__(message)
        self.question = question


class ProofInvalidError(CryptoError):
    """A zero-knowledge proof does not verify.

    ``kind`` is one of ``"cds"``, ``"sum"``, ``"dleq"``, ``"pok"``; ``question`` and ``option``
    locate the failing proof when relevant.
    """

    code: ClassVar[str] = "ballot.proof_invalid"

    def __init__(
        self,
        message: str = "",
        *,
        kind: str = "",
        question: int | None = None,
        option: int | None = None,
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.question = question
        self.option = option


class SignatureInvalidError(CryptoError):
    """A Schnorr (credential) or Ed25519 (trustee) signature does not verify."""

    code: ClassVar[str] = "ballot.signature_invalid"


class CredentialCodeInvalidError(CryptoError):
    """A one-time credential code has a wrong length, alphabet or checksum."""

    code: ClassVar[str] = "ballot.credential_code_invalid"


class DuplicateCredentialError(CryptoError):
    """The public credential list contains the same key twice."""

    code: ClassVar[str] = "ballot.duplicate_credential"


class AuditInvalidError(CryptoError):
    """An audited ballot's revealed nonces do not open its ciphertexts to the choices shown.

    ``question`` and ``option`` locate the first ciphertext that does not open.
    """

    code: ClassVar[str] = "ballot.audit_invalid"

    def __init__(
        self, message: str = "", *, question: int | None = None, option: int | None = None
    ) -> None:
        super().__init__(message)
        self.question = question
        self.option = option


class ManifestInvalidError(CryptoError):
    """The election manifest is inconsistent (e.g. joint key ≠ Σ C_i0, duplicate question ids)."""

    code: ClassVar[str] = "ballot.manifest_invalid"


class CommitmentMismatchError(CryptoError):
    """A trustee's revealed commitments do not match the hash published in round 1."""

    code: ClassVar[str] = "ballot.commitment_mismatch"

    def __init__(self, message: str = "", *, trustee: int) -> None:
        super().__init__(message)
        self.trustee = trustee


class ShareInvalidError(CryptoError):
    """A trustee's key share or decryption share is invalid; ``trustee`` names the culprit."""

    code: ClassVar[str] = "ballot.share_invalid"

    def __init__(self, message: str = "", *, trustee: int) -> None:
        super().__init__(message)
        self.trustee = trustee


class NotEnoughSharesError(CryptoError):
    """Fewer than ``threshold`` valid decryption shares remain; ``bad`` lists rejected trustees."""

    code: ClassVar[str] = "ballot.not_enough_shares"

    def __init__(
        self, message: str = "", *, bad: tuple[int, ...] = (), valid: tuple[int, ...] = ()
    ) -> None:
        super().__init__(message)
        self.bad = bad
        self.valid = valid


class BelowMinimumError(CryptoError):
    """Decryption refused: fewer ballots than the election's minimum (protects small units)."""

    code: ClassVar[str] = "ballot.below_minimum"


class DlogOutOfRangeError(CryptoError):
    """The decrypted group element is not ``m·G`` for any ``m`` within the bound."""

    code: ClassVar[str] = "ballot.dlog_out_of_range"


__all__ = [
    "AuditInvalidError",
    "BelowMinimumError",
    "CommitmentMismatchError",
    "CredentialCodeInvalidError",
    "CryptoError",
    "DlogOutOfRangeError",
    "DuplicateCredentialError",
    "IdentityPointError",
    "InvalidParameterError",
    "MalformedError",
    "ManifestInvalidError",
    "NonCanonicalEncodingError",
    "NotEnoughSharesError",
    "ProofInvalidError",
    "ShareInvalidError",
    "SignatureInvalidError",
    "WrongElectionError",
    "WrongOptionCountError",
    "WrongQuestionCountError",
]
