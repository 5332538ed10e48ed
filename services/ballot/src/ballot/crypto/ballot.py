"""Encrypted ballots: one-hot ElGamal per question, 0/1 and sum proofs, credential signature.

A ballot answers every question of the election (one question per person voted on). For a
question with ``L`` levels the voter's choice ``j`` becomes ``L`` ciphertexts encrypting the
one-hot vector ``e_j``; each carries a CDS proof of ``m ∈ {0,1}``, the question carries a DLEQ
proof that the plaintexts sum to exactly 1, and the whole body is Schnorr-signed with the
credential key. Every challenge contains the election fingerprint and the credential, so a
proof cannot be lifted into another election or under another credential.

Canonical bytes (SPEC.md §9)::

    body      = T(ballot-body01, fp, P, u32(nq), {u32(L), {α, β, c0, c1, z0, z1}×L, c, z}×nq)
    canonical = T(ballot01, body, sig_c, sig_z)
    tracker   = SHA-256(canonical)
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from .credentials import CredentialKeyPair, _sign, verify_signature
from .elgamal import Ciphertext, aggregate, encrypt_with_nonce, validate_ballot_ciphertext
from .errors import (
    InvalidParameterError,
    MalformedError,
    NonCanonicalEncodingError,
    ProofInvalidError,
    WrongElectionError,
    WrongOptionCountError,
    WrongQuestionCountError,
)
from .group import _ZERO32, GENERATOR, Point, Scalar, _raw_add, parse_hex
from .hashing import TAG_BALLOT, TAG_BALLOT_BODY, TAG_SUM, decode, encode, lp, u32
from .nonces import NonceSource, RandomNonces
from .proofs import (
    DisjunctiveProof,
    DleqProof,
    SchnorrProof,
    dleq_is_valid,
    prove_dleq,
    prove_zero_or_one,
    verify_zero_or_one,
)

BALLOT_FORMAT: Final[str] = "congvu/v1/ballot"
FINGERPRINT_BYTES: Final[int] = 32
MAX_QUESTIONS: Final[int] = 1000
MAX_OPTIONS: Final[int] = 64


@dataclass(frozen=True, slots=True)
class EncryptedAnswer:
    """The encrypted answer to one question."""

    ciphertexts: tuple[Ciphertext, ...]
    proofs: tuple[DisjunctiveProof, ...]
    sum_proof: DleqProof

    def to_dict(self) -> dict[str, Any]:
        return {
            "options": [
                {**ct.to_dict(), **pf.to_dict()}
                for ct, pf in zip(self.ciphertexts, self.proofs, strict=True)
            ],
            "sum_proof": self.sum_proof.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> EncryptedAnswer:
        if not isinstance(data, Mapping) or set(data) != {"options", "sum_proof"}:
            raise MalformedError("answer needs exactly 'options' and 'sum_proof'")
        options = data["options"]
        if not isinstance(options, list) or not 1 <= len(options) <= MAX_OPTIONS:
            raise MalformedError("answer 'options' must be a non-empty list")
        cts: list[Ciphertext] = []
        pfs: list[DisjunctiveProof] = []
        for opt in options:
            if not isinstance(opt, Mapping) or set(opt) != {
                "alpha",
                "beta",
                "c0",
                "c1",
                "z0",
                "z1",
            }:
                raise MalformedError("option needs exactly alpha, beta, c0, c1, z0, z1")
            cts.append(Ciphertext(Point.from_hex(opt["alpha"]), Point.from_hex(opt["beta"])))
            pfs.append(
                DisjunctiveProof(
                    Scalar.from_hex(opt["c0"]),
                    Scalar.from_hex(opt["c1"]),
                    Scalar.from_hex(opt["z0"]),
                    Scalar.from_hex(opt["z1"]),
                )
            )
        return cls(tuple(cts), tuple(pfs), DleqProof.from_dict(data["sum_proof"]))


@dataclass(frozen=True, slots=True)
class Ballot:
    """A cast ballot. Build with :func:`make_ballot`, parse with :meth:`from_dict`."""

    election_fingerprint: bytes
    credential: Point
    answers: tuple[EncryptedAnswer, ...]
    signature: SchnorrProof

    # -- canonical bytes -------------------------------------------------------------------
    def body_bytes(self) -> bytes:
        """The signed part: everything except the signature."""
        return _body_bytes(self.election_fingerprint, self.credential, self.answers)

    def canonical_bytes(self) -> bytes:
        return encode(
            TAG_BALLOT,
            (self.body_bytes(), self.signature.c.to_bytes(), self.signature.z.to_bytes()),
        )

    def tracker_bytes(self) -> bytes:
        """SHA-256 of the canonical bytes (the voter's receipt)."""
        return hashlib.sha256(self.canonical_bytes()).digest()

    def tracker(self) -> str:
        """The tracker as 64 lowercase hex digits."""
        return self.tracker_bytes().hex()

    @property
    def option_counts(self) -> tuple[int, ...]:
        return tuple(len(a.ciphertexts) for a in self.answers)

    # -- JSON-able form --------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "format": BALLOT_FORMAT,
            "election": self.election_fingerprint.hex(),
            "credential": self.credential.hex(),
            "answers": [a.to_dict() for a in self.answers],
            "signature": self.signature.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Ballot:
        """Strictly parse the JSON-able form; every point and scalar must be canonical."""
        keys = {"format", "election", "credential", "answers", "signature"}
        if not isinstance(data, Mapping) or set(data) != keys:
            raise MalformedError(f"ballot needs exactly the keys {sorted(keys)}")
        if data["format"] != BALLOT_FORMAT:
            raise MalformedError("unknown ballot format")
        answers = data["answers"]
        if not isinstance(answers, list) or not 1 <= len(answers) <= MAX_QUESTIONS:
            raise MalformedError("'answers' must be a non-empty list")
        return cls(
            parse_hex(data["election"], FINGERPRINT_BYTES),
            Point.from_hex(data["credential"]),
            tuple(EncryptedAnswer.from_dict(a) for a in answers),
            SchnorrProof.from_dict(data["signature"]),
        )

    @classmethod
    def from_canonical_bytes(cls, data: bytes) -> Ballot:
        """Strictly parse canonical bytes (the inverse of :meth:`canonical_bytes`)."""
        outer = decode(data, TAG_BALLOT)
        if len(outer) != 3:
            raise NonCanonicalEncodingError("ballot must have body, c, z")
        body, sc, sz = outer
        f = decode(body, TAG_BALLOT_BODY)
        try:
            return _parse_body(f, SchnorrProof(Scalar(sc), Scalar(sz)))
        except IndexError as exc:
            raise NonCanonicalEncodingError("truncated ballot body") from exc


def _u32_field(b: bytes) -> int:
    if len(b) != 4:
        raise NonCanonicalEncodingError("expected a u32 field")
    return int.from_bytes(b, "big")


def _parse_body(f: list[bytes], signature: SchnorrProof) -> Ballot:
    if len(f[0]) != FINGERPRINT_BYTES:
        raise NonCanonicalEncodingError("fingerprint must be 32 bytes")
    fingerprint = f[0]
    credential = Point(f[1])
    nq = _u32_field(f[2])
    if not 1 <= nq <= MAX_QUESTIONS:
        raise NonCanonicalEncodingError("question count out of range")
    pos = 3
    answers = []
    for _ in range(nq):
        n_opt = _u32_field(f[pos])
        pos += 1
        if not 1 <= n_opt <= MAX_OPTIONS:
            raise NonCanonicalEncodingError("option count out of range")
        cts, pfs = [], []
        for _ in range(n_opt):
            a, b, c0, c1, z0, z1 = f[pos : pos + 6]
            pos += 6
            cts.append(Ciphertext(Point(a), Point(b)))
            pfs.append(DisjunctiveProof(Scalar(c0), Scalar(c1), Scalar(z0), Scalar(z1)))
        sum_proof = DleqProof(Scalar(f[pos]), Scalar(f[pos + 1]))
        pos += 2
        answers.append(EncryptedAnswer(tuple(cts), tuple(pfs), sum_proof))
    if pos != len(f):
        raise NonCanonicalEncodingError("trailing fields in ballot body")
    return Ballot(fingerprint, credential, tuple(answers), signature)


def _body_bytes(fingerprint: bytes, credential: Point, answers: Sequence[EncryptedAnswer]) -> bytes:
    parts = [lp(TAG_BALLOT_BODY), lp(fingerprint), lp(credential.to_bytes()), lp(u32(len(answers)))]
    for ans in answers:
        parts.append(lp(u32(len(ans.ciphertexts))))
        for ct, pf in zip(ans.ciphertexts, ans.proofs, strict=True):
            for s in (ct.alpha, ct.beta, pf.c0, pf.c1, pf.z0, pf.z1):
                parts.append(lp(s.to_bytes()))
        parts.append(lp(ans.sum_proof.c.to_bytes()))
        parts.append(lp(ans.sum_proof.z.to_bytes()))
    return b"".join(parts)


def _sum_context(
    fingerprint: bytes, credential: Point, question: int, n_options: int
) -> tuple[bytes, ...]:
    return (fingerprint, credential.to_bytes(), u32(question), u32(n_options))


def _check_shape(option_counts: Sequence[int]) -> tuple[int, ...]:
    shape = tuple(option_counts)
    if not 1 <= len(shape) <= MAX_QUESTIONS:
        raise InvalidParameterError("an election has 1..1000 questions")
    for n in shape:
        if not isinstance(n, int) or not 2 <= n <= MAX_OPTIONS:
            raise InvalidParameterError("a question has 2..64 options")
    return shape


def _make_ballot(
    election_fingerprint: bytes,
    joint_key: Point,
    credential: CredentialKeyPair,
    choices: Sequence[int],
    option_counts: Sequence[int],
    nonces: NonceSource,
) -> Ballot:
    shape = _check_shape(option_counts)
    if len(election_fingerprint) != FINGERPRINT_BYTES:
        raise InvalidParameterError("fingerprint must be 32 bytes")
    joint_key.require_non_identity("joint key")
    if len(choices) != len(shape):
        raise WrongQuestionCountError("one choice per question is required")
    cred = credential.public
    answers = []
    for q, (choice, n_opt) in enumerate(zip(choices, shape, strict=True)):
        if not isinstance(choice, int) or not 0 <= choice < n_opt:
            raise InvalidParameterError("choice out of range")
        cts, pfs = [], []
        r_sum = Scalar.zero()
        for o in range(n_opt):
            m = 1 if o == choice else 0
            r = nonces.scalar("elgamal-r", q, o)
            ct = encrypt_with_nonce(joint_key, m, r)
            pfs.append(
                prove_zero_or_one(election_fingerprint, cred, q, o, joint_key, ct, m, r, nonces)
            )
            cts.append(ct)
            r_sum = r_sum + r
        total = aggregate(cts)
        sum_proof = prove_dleq(
            TAG_SUM,
            _sum_context(election_fingerprint, cred, q, n_opt),
            GENERATOR,
            total.alpha,
            joint_key,
            total.beta - GENERATOR,
            r_sum,
            nonces.scalar("sum-w", q),
        )
        answers.append(EncryptedAnswer(tuple(cts), tuple(pfs), sum_proof))
    body = _body_bytes(election_fingerprint, cred, answers)
    signature = _sign(credential, election_fingerprint, body, nonces)
    return Ballot(election_fingerprint, cred, tuple(answers), signature)


def make_ballot(
    election_fingerprint: bytes,
    joint_key: Point,
    credential: CredentialKeyPair,
    choices: Sequence[int],
    option_counts: Sequence[int],
) -> Ballot:
    """Encrypt ``choices`` (one option index per question), prove and sign.

    ``option_counts[q]`` is the number of levels of question ``q`` (2..64).
    """
    return _make_ballot(
        election_fingerprint, joint_key, credential, choices, option_counts, RandomNonces()
    )


def verify_ballot(
    election_fingerprint: bytes,
    joint_key: Point,
    ballot: Ballot,
    option_counts: Sequence[int],
) -> None:
    """Check a ballot completely; raise a typed :class:`CryptoError` on the first failure.

    Checks, in order: election fingerprint, question and option counts, credential and
    ``α`` not the identity, the credential signature, every 0/1 proof, every sum proof.
    Whether the credential is on the election's list is the caller's job.
    """
    if not hmac.compare_digest(ballot.election_fingerprint, election_fingerprint):
        raise WrongElectionError("ballot is for another election")
    shape = tuple(option_counts)
    if len(ballot.answers) != len(shape):
        raise WrongQuestionCountError("ballot has the wrong number of questions")
    for q, (ans, n_opt) in enumerate(zip(ballot.answers, shape, strict=True)):
        if len(ans.ciphertexts) != n_opt or len(ans.proofs) != n_opt:
            raise WrongOptionCountError(f"question {q} must have {n_opt} options", question=q)
    for ans in ballot.answers:
        for ct in ans.ciphertexts:
            validate_ballot_ciphertext(ct)
    cred = ballot.credential.require_non_identity("credential")
    verify_signature(cred, election_fingerprint, ballot.body_bytes(), ballot.signature)
    for q, ans in enumerate(ballot.answers):
        for o, (ct, pf) in enumerate(zip(ans.ciphertexts, ans.proofs, strict=True)):
            verify_zero_or_one(election_fingerprint, cred, q, o, joint_key, ct, pf)
        total = aggregate(ans.ciphertexts)
        if not dleq_is_valid(
            TAG_SUM,
            _sum_context(election_fingerprint, cred, q, len(ans.ciphertexts)),
            GENERATOR,
            total.alpha,
            joint_key,
            total.beta - GENERATOR,
            ans.sum_proof,
        ):
            raise ProofInvalidError("sum proof does not verify", kind="sum", question=q)


def aggregate_ballots(
    ballots: Iterable[Ballot], option_counts: Sequence[int]
) -> tuple[tuple[Ciphertext, ...], ...]:
    """Homomorphic per-option sums over already verified ballots (the encrypted tally)."""
    shape = tuple(option_counts)
    acc = [[(_ZERO32, _ZERO32) for _ in range(n)] for n in shape]
    add = _raw_add
    for ballot in ballots:
        if len(ballot.answers) != len(shape):
            raise WrongQuestionCountError("ballot has the wrong number of questions")
        for q, ans in enumerate(ballot.answers):
            row = acc[q]
            if len(ans.ciphertexts) != len(row):
                raise WrongOptionCountError("ballot has the wrong number of options", question=q)
            for o, ct in enumerate(ans.ciphertexts):
                a, b = row[o]
                row[o] = (add(a, ct.alpha.to_bytes()), add(b, ct.beta.to_bytes()))
    return tuple(
        tuple(Ciphertext(Point._unchecked(a), Point._unchecked(b)) for a, b in row) for row in acc
    )


def _canonical_layout(
    shape: tuple[int, ...],
) -> tuple[int, bytes, list[tuple[int, bytes]], list[list[int]]]:
    """Expected total length, fixed prefix, fixed count fields and α offsets for a shape."""
    head = lp(TAG_BALLOT)
    body_head = lp(TAG_BALLOT_BODY)
    body_len = len(body_head) + 2 * 36 + 8 + sum(8 + n * 6 * 36 + 2 * 36 for n in shape)
    prefix = head + u32(body_len) + body_head
    fixed: list[tuple[int, bytes]] = []
    pos = len(head) + 4 + len(body_head) + 2 * 36
    fixed.append((pos, lp(u32(len(shape)))))
    pos += 8
    alphas: list[list[int]] = []
    for n in shape:
        fixed.append((pos, lp(u32(n))))
        pos += 8
        alphas.append([pos + o * 6 * 36 + 4 for o in range(n)])
        pos += n * 6 * 36 + 2 * 36
    total = pos + 2 * 36
    return total, prefix, fixed, alphas


def aggregate_canonical(
    raw_ballots: Iterable[bytes], option_counts: Sequence[int]
) -> tuple[tuple[Ciphertext, ...], ...]:
    """Encrypted tally straight from canonical bytes of already verified ballots.

    Reads ``α``/``β`` at their fixed offsets without building objects (the fast path for a
    board stored as canonical bytes). Layout, counts and every length prefix of the
    ciphertext fields are checked; libsodium's addition rejects undecodable points and the
    top bit is checked here, so a corrupted record raises rather than being summed.
    """
    shape = _check_shape(option_counts)
    total, prefix, fixed, alphas = _canonical_layout(shape)
    n_pre = len(prefix)
    lp32 = (32).to_bytes(4, "big")
    flat = [off for row in alphas for off in row]
    acc_a = [_ZERO32] * len(flat)
    acc_b = [_ZERO32] * len(flat)
    add = _raw_add
    for raw in raw_ballots:
        if len(raw) != total or raw[:n_pre] != prefix:
            raise NonCanonicalEncodingError("ballot bytes do not match the election's layout")
        for pos, expected in fixed:
            if raw[pos : pos + 8] != expected:
                raise NonCanonicalEncodingError("ballot counts do not match the election")
        for k, off in enumerate(flat):
            a = raw[off : off + 32]
            b = raw[off + 36 : off + 68]
            if (
                raw[off - 4 : off] != lp32
                or raw[off + 32 : off + 36] != lp32
                or a[31] & 0x80
                or b[31] & 0x80
            ):
                raise NonCanonicalEncodingError("ciphertext field is not canonical")
            acc_a[k] = add(acc_a[k], a)
            acc_b[k] = add(acc_b[k], b)
    out = []
    k = 0
    for row in alphas:
        cts = []
        for _ in row:
            cts.append(Ciphertext(Point._unchecked(acc_a[k]), Point._unchecked(acc_b[k])))
            k += 1
        out.append(tuple(cts))
    return tuple(out)


__all__ = [
    "BALLOT_FORMAT",
    "Ballot",
    "EncryptedAnswer",
    "aggregate_ballots",
    "aggregate_canonical",
    "make_ballot",
    "verify_ballot",
]
