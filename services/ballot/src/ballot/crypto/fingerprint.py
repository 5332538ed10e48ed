"""The election fingerprint: one hash that pins every public parameter (SPEC.md §5).

``fingerprint = SHA-256(T(fingerprint01, spec version, group id, election id, questions,
threshold, trustees (keys, commitments, proofs), joint key, credential-list hash,
minimum ballots))``. It is shown on the voting page and in every receipt, and it is inside
every ballot challenge and signature, so a ballot cannot be replayed into another election.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .errors import (
    DuplicateCredentialError,
    IdentityPointError,
    InvalidParameterError,
    MalformedError,
    ManifestInvalidError,
)
from .group import GROUP_ID, Point
from .hashing import SPEC_VERSION, TAG_CREDENTIALS, TAG_FINGERPRINT, Field, digest256, text, u32
from .threshold import (
    Ceremony,
    CommitmentReveal,
    TrusteePublicKeys,
    joint_public_key,
    verify_reveal,
)


@dataclass(frozen=True, slots=True)
class Question:
    """One person voted on: a stable id, a display label and the level labels, in order."""

    id: str
    label: str
    options: tuple[str, ...]

    def __post_init__(self) -> None:
        if not 2 <= len(self.options) <= 64:
            raise InvalidParameterError("a question has 2..64 options")

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "options": list(self.options)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Question:
        if not isinstance(data, Mapping) or set(data) != {"id", "label", "options"}:
            raise MalformedError("question needs id, label, options")
        opts = data["options"]
        if not isinstance(opts, list) or not all(isinstance(o, str) for o in opts):
            raise MalformedError("options must be a list of strings")
        if not isinstance(data["id"], str) or not isinstance(data["label"], str):
            raise MalformedError("id and label must be strings")
        return cls(data["id"], data["label"], tuple(opts))


@dataclass(frozen=True, slots=True)
class TrusteeRecord:
    """A trustee's public keys and its revealed commitments with proofs of knowledge."""

    keys: TrusteePublicKeys
    reveal: CommitmentReveal

    def to_dict(self) -> dict[str, Any]:
        return {"keys": self.keys.to_dict(), "reveal": self.reveal.to_dict()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TrusteeRecord:
        if not isinstance(data, Mapping) or set(data) != {"keys", "reveal"}:
            raise MalformedError("trustee record needs keys, reveal")
        return cls(
            TrusteePublicKeys.from_dict(data["keys"]), CommitmentReveal.from_dict(data["reveal"])
        )


@dataclass(frozen=True, slots=True)
class ElectionManifest:
    """Everything the fingerprint covers."""

    election_id: str
    questions: tuple[Question, ...]
    threshold: int
    trustees: tuple[TrusteeRecord, ...]
    joint_key: Point
    credentials: tuple[Point, ...]
    min_ballots: int

    @property
    def option_counts(self) -> tuple[int, ...]:
        return tuple(len(q.options) for q in self.questions)

    def ceremony(self) -> Ceremony:
        return Ceremony(self.election_id, self.threshold, tuple(t.keys for t in self.trustees))

    def to_dict(self) -> dict[str, Any]:
        return {
            "spec": SPEC_VERSION,
            "group": GROUP_ID,
            "election_id": self.election_id,
            "questions": [q.to_dict() for q in self.questions],
            "threshold": self.threshold,
            "trustees": [t.to_dict() for t in self.trustees],
            "joint_key": self.joint_key.hex(),
            "credentials": [c.hex() for c in sort_credentials(self.credentials)],
            "min_ballots": self.min_ballots,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ElectionManifest:
        keys = {
            "spec",
            "group",
            "election_id",
            "questions",
            "threshold",
            "trustees",
            "joint_key",
            "credentials",
            "min_ballots",
        }
        if not isinstance(data, Mapping) or set(data) != keys:
            raise MalformedError(f"manifest needs exactly {sorted(keys)}")
        if data["spec"] != SPEC_VERSION or data["group"] != GROUP_ID:
            raise MalformedError("unsupported spec version or group")
        for k in ("questions", "trustees", "credentials"):
            if not isinstance(data[k], list):
                raise MalformedError(f"{k} must be a list")
        for k in ("threshold", "min_ballots"):
            if not isinstance(data[k], int) or isinstance(data[k], bool):
                raise MalformedError(f"{k} must be an integer")
        if not isinstance(data["election_id"], str):
            raise MalformedError("election_id must be a string")
        return cls(
            data["election_id"],
            tuple(Question.from_dict(q) for q in data["questions"]),
            data["threshold"],
            tuple(TrusteeRecord.from_dict(t) for t in data["trustees"]),
            Point.from_hex(data["joint_key"]),
            tuple(Point.from_hex(c) for c in data["credentials"]),
            data["min_ballots"],
        )


def sort_credentials(credentials: Iterable[Point]) -> tuple[Point, ...]:
    """Sort by encoding; reject duplicates and the identity."""
    ordered = sorted(credentials, key=lambda p: p.to_bytes())
    for a, b in itertools.pairwise(ordered):
        if a == b:
            raise DuplicateCredentialError("a public credential is listed twice")
    if ordered and ordered[0].is_identity():
        raise IdentityPointError("the identity is not a valid credential")
    return tuple(ordered)


def credential_list_hash(credentials: Iterable[Point]) -> bytes:
    """``SHA-256(T(credentials01, u32(count), P_1, ..., P_count))`` over the sorted list."""
    ordered = sort_credentials(credentials)
    return digest256(TAG_CREDENTIALS, u32(len(ordered)), *ordered)


def election_fingerprint(manifest: ElectionManifest) -> bytes:
    """The 32-byte election fingerprint (SPEC.md §5)."""
    m = manifest
    fields: list[Field] = [
        text(SPEC_VERSION),
        text(GROUP_ID),
        text(m.election_id),
        u32(len(m.questions)),
    ]
    for q in m.questions:
        fields += [text(q.id), text(q.label), u32(len(q.options)), *(text(o) for o in q.options)]
    fields += [u32(m.threshold), u32(len(m.trustees))]
    for t in m.trustees:
        if t.keys.index != t.reveal.trustee:
            raise InvalidParameterError("trustee record index mismatch")
        fields += [u32(t.keys.index), t.keys.sign_key, t.keys.kx_key, *t.reveal.fields()]
    fields += [m.joint_key, credential_list_hash(m.credentials), u32(m.min_ballots)]
    return digest256(TAG_FINGERPRINT, *fields)


def verify_manifest(manifest: ElectionManifest) -> bytes:
    """Check the manifest's internal consistency and return its fingerprint.

    Checks every trustee's proofs of knowledge, that ``K = Σ C_i0``, unique question ids and a
    duplicate-free credential list. Raises a typed :class:`CryptoError` otherwise.
    """
    ceremony = manifest.ceremony()
    for t in manifest.trustees:
        verify_reveal(ceremony, t.reveal)
    if joint_public_key([t.reveal for t in manifest.trustees]) != manifest.joint_key:
        raise ManifestInvalidError("joint key is not the sum of the trustees' C_i0")
    ids = [q.id for q in manifest.questions]
    if len(set(ids)) != len(ids) or not ids:
        raise ManifestInvalidError("question ids must be unique and non-empty")
    if manifest.min_ballots < 0:
        raise ManifestInvalidError("min_ballots must be non-negative")
    return election_fingerprint(manifest)


__all__ = [
    "ElectionManifest",
    "Question",
    "TrusteeRecord",
    "credential_list_hash",
    "election_fingerprint",
    "sort_credentials",
    "verify_manifest",
]
