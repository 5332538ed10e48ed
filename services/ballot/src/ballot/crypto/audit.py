"""Cast-as-intended: the Benaloh challenge (SPEC.md §9.4).

After the voter's device has encrypted a ballot and shown its tracker, the voter may *audit*
it instead of casting it: the device reveals every ElGamal nonce ``r``, and anyone holding the
election's joint key ``K`` checks that each ciphertext opens to the one-hot choice shown::

    α = r·G   and   β = r·K + m·G,   m = 1 if o = choice else 0.

A device that encrypted something else than the voter's choice is caught with the probability
that the voter audits; since the device cannot know in advance, it cannot cheat safely. The
audited ballot is *spoiled*: the service never counts a ballot sharing a ciphertext with it, and
the voter encrypts afresh (new nonces) to cast.

The audit document carries no credential, signature or proof — nothing that links it to a
voter's credential — only the election, the tracker the device showed, and per question the
choice and the opened ciphertexts::

    {"format": "congvu/v1/audit", "election": "<fp>", "tracker": "<64 hex>",
     "answers": [{"choice": j, "options": [{"alpha", "beta", "r"} × L]} × nq]}
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping, Sequence
from typing import Any, Final

from .ballot import FINGERPRINT_BYTES, MAX_OPTIONS, MAX_QUESTIONS, Ballot, _make_ballot
from .credentials import CredentialKeyPair
from .elgamal import encrypt_with_nonce
from .errors import (
    AuditInvalidError,
    MalformedError,
    WrongElectionError,
    WrongOptionCountError,
    WrongQuestionCountError,
)
from .group import Point, Scalar, parse_hex
from .nonces import NonceSource, RandomNonces

AUDIT_FORMAT: Final[str] = "congvu/v1/audit"
_TRACKER_HEX: Final[int] = 64


class RecordingNonces:
    """A nonce source that remembers the ElGamal nonces it hands out (to reveal them later)."""

    __slots__ = ("_inner", "elgamal")

    def __init__(self, inner: NonceSource) -> None:
        self._inner = inner
        self.elgamal: dict[tuple[int, int], Scalar] = {}

    def scalar(self, label: str, *indices: int) -> Scalar:
        value = self._inner.scalar(label, *indices)
        if label == "elgamal-r":
            self.elgamal[(indices[0], indices[1])] = value
        return value

    def bytes32(self, label: str, *indices: int) -> bytes:
        return self._inner.bytes32(label, *indices)

    def randomness(self, option_counts: Sequence[int]) -> tuple[tuple[Scalar, ...], ...]:
        return tuple(
            tuple(self.elgamal[(q, o)] for o in range(n)) for q, n in enumerate(option_counts)
        )


def make_auditable_ballot(
    election_fingerprint: bytes,
    joint_key: Point,
    credential: CredentialKeyPair,
    choices: Sequence[int],
    option_counts: Sequence[int],
) -> tuple[Ballot, tuple[tuple[Scalar, ...], ...]]:
    """:func:`~ballot.crypto.ballot.make_ballot`, also returning the ElGamal nonces ``r[q][o]``.

    The nonces are secret while the ballot may still be cast; reveal them only to audit it.
    """
    recorder = RecordingNonces(RandomNonces())
    ballot = _make_ballot(
        election_fingerprint, joint_key, credential, choices, option_counts, recorder
    )
    return ballot, recorder.randomness(option_counts)


def audit_document(
    ballot: Ballot, randomness: Sequence[Sequence[Scalar]], choices: Sequence[int]
) -> dict[str, Any]:
    """The audit document of ``ballot``: its ciphertexts opened with their nonces.

    Does not check the opening (see :func:`open_audit`); the credential, proofs and signature
    are left out on purpose.
    """
    if len(randomness) != len(ballot.answers) or len(choices) != len(ballot.answers):
        raise WrongQuestionCountError("one choice and one nonce list per question")
    answers = []
    for q, (ans, rs, choice) in enumerate(zip(ballot.answers, randomness, choices, strict=True)):
        if len(rs) != len(ans.ciphertexts):
            raise WrongOptionCountError(f"question {q}: one nonce per option", question=q)
        answers.append(
            {
                "choice": int(choice),
                "options": [
                    {**ct.to_dict(), "r": r.hex()}
                    for ct, r in zip(ans.ciphertexts, rs, strict=True)
                ],
            }
        )
    return {
        "format": AUDIT_FORMAT,
        "election": ballot.election_fingerprint.hex(),
        "tracker": ballot.tracker(),
        "answers": answers,
    }


def _parse(doc: Mapping[str, Any]) -> tuple[bytes, str, list[tuple[int, list[Any]]]]:
    keys = {"format", "election", "tracker", "answers"}
    if not isinstance(doc, Mapping) or set(doc) != keys or doc["format"] != AUDIT_FORMAT:
        raise MalformedError(
            f"audit document needs exactly {sorted(keys)} and format {AUDIT_FORMAT}"
        )
    tracker = doc["tracker"]
    if not isinstance(tracker, str) or len(tracker) != _TRACKER_HEX:
        raise MalformedError("tracker must be 64 hex digits")
    parse_hex(tracker, _TRACKER_HEX // 2)
    answers = doc["answers"]
    if not isinstance(answers, list) or not 1 <= len(answers) <= MAX_QUESTIONS:
        raise MalformedError("'answers' must be a non-empty list")
    out = []
    for ans in answers:
        if not isinstance(ans, Mapping) or set(ans) != {"choice", "options"}:
            raise MalformedError("audited answer needs exactly 'choice' and 'options'")
        choice, options = ans["choice"], ans["options"]
        if not isinstance(choice, int) or isinstance(choice, bool):
            raise MalformedError("choice must be an integer")
        if not isinstance(options, list) or not 1 <= len(options) <= MAX_OPTIONS:
            raise MalformedError("'options' must be a non-empty list")
        opened = []
        for opt in options:
            if not isinstance(opt, Mapping) or set(opt) != {"alpha", "beta", "r"}:
                raise MalformedError("audited option needs exactly alpha, beta, r")
            opened.append(
                (
                    Point.from_hex(opt["alpha"]),
                    Point.from_hex(opt["beta"]),
                    Scalar.from_hex(opt["r"]),
                )
            )
        out.append((choice, opened))
    return parse_hex(doc["election"], FINGERPRINT_BYTES), tracker, out


def open_audit(
    doc: Mapping[str, Any],
    election_fingerprint: bytes,
    joint_key: Point,
    option_counts: Sequence[int],
) -> tuple[int, ...]:
    """Check an audit document; return the choice per question it provably encrypts.

    Raises ``WrongElectionError``, ``WrongQuestionCountError``, ``WrongOptionCountError``,
    ``MalformedError`` / ``NonCanonicalEncodingError`` (parsing), or ``AuditInvalidError``
    naming the first question and option whose ciphertext does not open to the choice shown.
    """
    fp, _, answers = _parse(doc)
    if not hmac.compare_digest(fp, election_fingerprint):
        raise WrongElectionError("audited ballot is for another election")
    if len(answers) != len(option_counts):
        raise WrongQuestionCountError("audited ballot has the wrong number of questions")
    choices = []
    for q, ((choice, opened), n_opt) in enumerate(zip(answers, option_counts, strict=True)):
        if len(opened) != n_opt:
            raise WrongOptionCountError(f"question {q} must have {n_opt} options", question=q)
        if not 0 <= choice < n_opt:
            raise AuditInvalidError(f"question {q}: choice out of range", question=q)
        for o, (alpha, beta, r) in enumerate(opened):
            if r == Scalar.zero():  # would open α = O, which no ballot may carry
                raise AuditInvalidError(
                    f"question {q}, option {o}: zero nonce", question=q, option=o
                )
            expected = encrypt_with_nonce(joint_key, 1 if o == choice else 0, r)
            if alpha != expected.alpha or beta != expected.beta:
                raise AuditInvalidError(
                    f"question {q}, option {o}: the ciphertext does not open to the choice shown",
                    question=q,
                    option=o,
                )
        choices.append(choice)
    return tuple(choices)


def audit_alphas(doc: Mapping[str, Any]) -> tuple[str, ...]:
    """The ``α`` of every ciphertext of an (already checked) audit document, as hex."""
    return tuple(opt["alpha"] for ans in doc["answers"] for opt in ans["options"])


def check_matches_ballot(doc: Mapping[str, Any], ballot: Ballot) -> None:
    """The audit document opens exactly this ballot's ciphertexts and names its tracker."""
    if doc.get("tracker") != ballot.tracker() or doc.get("election") != (
        ballot.election_fingerprint.hex()
    ):
        raise AuditInvalidError("the audit document is not of this ballot")
    mine = [ct.to_dict() for ans in ballot.answers for ct in ans.ciphertexts]
    theirs = [
        {"alpha": opt["alpha"], "beta": opt["beta"]}
        for ans in doc["answers"]
        for opt in ans["options"]
    ]
    if mine != theirs:
        raise AuditInvalidError("the audit document opens other ciphertexts than the ballot's")


__all__ = [
    "AUDIT_FORMAT",
    "RecordingNonces",
    "audit_alphas",
    "audit_document",
    "check_matches_ballot",
    "make_auditable_ballot",
    "open_audit",
]
