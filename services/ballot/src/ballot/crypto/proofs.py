"""Sigma protocols made non-interactive with Fiat–Shamir (SPEC.md §6–§8).

* :class:`DisjunctiveProof` — CDS/Chaum–Pedersen OR-proof that an ElGamal ciphertext encrypts
  0 or 1.
* :class:`DleqProof` — Chaum–Pedersen proof that ``log_{g1} x1 = log_{g2} x2`` (sum proofs,
  partial decryptions).
* :class:`SchnorrProof` — proof of knowledge of ``x`` with ``X = x·G``; used both as the credential
  signature (message in the context) and as the trustees' proofs of knowledge.

All proofs are in compact ``(challenge, response)`` form; the verifier recomputes the
commitments and compares challenges. Every challenge transcript starts with a versioned tag and
carries the binding context the caller supplies (election fingerprint, credential, indices).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .elgamal import Ciphertext
from .errors import InvalidParameterError, MalformedError, ProofInvalidError
from .group import GENERATOR, Point, Scalar
from .hashing import TAG_CDS, Field, challenge, u32
from .nonces import NonceSource


def _scalars_from_dict(data: Mapping[str, object], keys: tuple[str, ...]) -> list[Scalar]:
    if not isinstance(data, Mapping) or set(data) != set(keys):
        raise MalformedError(f"expected exactly the keys {sorted(keys)}")
    return [Scalar.from_hex(data[k]) for k in keys]


def _mul(base: Point, s: Scalar) -> Point:
    return Point.base_mul(s) if base is GENERATOR or base == GENERATOR else base * s


# --------------------------------------------------------------------------------------------
# Disjunctive (CDS) proof: ciphertext encrypts 0 or 1
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DisjunctiveProof:
    c0: Scalar
    c1: Scalar
    z0: Scalar
    z1: Scalar

    _KEYS = ("c0", "c1", "z0", "z1")

    def to_dict(self) -> dict[str, str]:
        return {"c0": self.c0.hex(), "c1": self.c1.hex(), "z0": self.z0.hex(), "z1": self.z1.hex()}

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> DisjunctiveProof:
        c0, c1, z0, z1 = _scalars_from_dict(data, cls._KEYS)
        return cls(c0, c1, z0, z1)


def _cds_challenge(
    fingerprint: bytes,
    credential: Point,
    question: int,
    option: int,
    joint_key: Point,
    ct: Ciphertext,
    a0: Point,
    b0: Point,
    a1: Point,
    b1: Point,
) -> Scalar:
    return challenge(
        TAG_CDS,
        fingerprint,
        credential,
        u32(question),
        u32(option),
        joint_key,
        ct.alpha,
        ct.beta,
        a0,
        b0,
        a1,
        b1,
    )


def prove_zero_or_one(
    fingerprint: bytes,
    credential: Point,
    question: int,
    option: int,
    joint_key: Point,
    ct: Ciphertext,
    m: int,
    r: Scalar,
    nonces: NonceSource,
) -> DisjunctiveProof:
    """Prove that ``ct = (r·G, r·K + m·G)`` with ``m ∈ {0, 1}`` without revealing ``m``."""
    if m not in (0, 1):
        raise InvalidParameterError("CDS proofs are for m in {0, 1}")
    w = nonces.scalar("cds-w", question, option)
    c_sim = nonces.scalar("cds-c", question, option)
    z_sim = nonces.scalar("cds-z", question, option)
    # Simulated branch j = 1 - m for the statement (α, β - j·G) = r·(G, K).
    beta_sim = ct.beta - GENERATOR if m == 0 else ct.beta
    a_sim = Point.base_mul(z_sim) - ct.alpha * c_sim
    b_sim = joint_key * z_sim - beta_sim * c_sim
    a_real = Point.base_mul(w)
    b_real = joint_key * w
    if m == 0:
        a0, b0, a1, b1 = a_real, b_real, a_sim, b_sim
    else:
        a0, b0, a1, b1 = a_sim, b_sim, a_real, b_real
    c = _cds_challenge(fingerprint, credential, question, option, joint_key, ct, a0, b0, a1, b1)
    c_real = c - c_sim
    z_real = w + c_real * r
    if m == 0:
        return DisjunctiveProof(c_real, c_sim, z_real, z_sim)
    return DisjunctiveProof(c_sim, c_real, z_sim, z_real)


def verify_zero_or_one(
    fingerprint: bytes,
    credential: Point,
    question: int,
    option: int,
    joint_key: Point,
    ct: Ciphertext,
    proof: DisjunctiveProof,
) -> None:
    """Raise :class:`ProofInvalidError` unless ``proof`` shows ``ct`` encrypts 0 or 1."""
    alpha, beta = ct.alpha, ct.beta
    a0 = Point.base_mul(proof.z0) - alpha * proof.c0
    b0 = joint_key * proof.z0 - beta * proof.c0
    a1 = Point.base_mul(proof.z1) - alpha * proof.c1
    b1 = joint_key * proof.z1 - (beta - GENERATOR) * proof.c1
    c = _cds_challenge(fingerprint, credential, question, option, joint_key, ct, a0, b0, a1, b1)
    if not c == proof.c0 + proof.c1:
        raise ProofInvalidError(
            "0/1 proof does not verify", kind="cds", question=question, option=option
        )


# --------------------------------------------------------------------------------------------
# DLEQ (Chaum–Pedersen) proof
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DleqProof:
    c: Scalar
    z: Scalar

    _KEYS = ("c", "z")

    def to_dict(self) -> dict[str, str]:
        return {"c": self.c.hex(), "z": self.z.hex()}

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> DleqProof:
        c, z = _scalars_from_dict(data, cls._KEYS)
        return cls(c, z)


def prove_dleq(
    tag: bytes,
    context: Sequence[Field],
    g1: Point,
    x1: Point,
    g2: Point,
    x2: Point,
    secret: Scalar,
    w: Scalar,
) -> DleqProof:
    """Prove ``x1 = s·g1`` and ``x2 = s·g2`` for the same secret ``s`` (nonce ``w``)."""
    a1 = _mul(g1, w)
    a2 = _mul(g2, w)
    c = challenge(tag, *context, g1, x1, g2, x2, a1, a2)
    return DleqProof(c, w + c * secret)


def dleq_is_valid(
    tag: bytes,
    context: Sequence[Field],
    g1: Point,
    x1: Point,
    g2: Point,
    x2: Point,
    proof: DleqProof,
) -> bool:
    a1 = _mul(g1, proof.z) - x1 * proof.c
    a2 = _mul(g2, proof.z) - x2 * proof.c
    return challenge(tag, *context, g1, x1, g2, x2, a1, a2) == proof.c


def verify_dleq(
    tag: bytes,
    context: Sequence[Field],
    g1: Point,
    x1: Point,
    g2: Point,
    x2: Point,
    proof: DleqProof,
) -> None:
    """Raise :class:`ProofInvalidError` unless the DLEQ proof verifies."""
    if not dleq_is_valid(tag, context, g1, x1, g2, x2, proof):
        raise ProofInvalidError("DLEQ proof does not verify", kind="dleq")


# --------------------------------------------------------------------------------------------
# Schnorr proof of knowledge / signature
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SchnorrProof:
    c: Scalar
    z: Scalar

    _KEYS = ("c", "z")

    def to_dict(self) -> dict[str, str]:
        return {"c": self.c.hex(), "z": self.z.hex()}

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> SchnorrProof:
        c, z = _scalars_from_dict(data, cls._KEYS)
        return cls(c, z)


def schnorr_prove(
    tag: bytes, context: Sequence[Field], public: Point, secret: Scalar, w: Scalar
) -> SchnorrProof:
    """``R = w·G``, ``c = H(tag, context..., X, R)``, ``z = w + c·x``."""
    commitment = Point.base_mul(w)
    c = challenge(tag, *context, public, commitment)
    return SchnorrProof(c, w + c * secret)


def schnorr_is_valid(
    tag: bytes, context: Sequence[Field], public: Point, proof: SchnorrProof
) -> bool:
    commitment = Point.base_mul(proof.z) - public * proof.c
    return challenge(tag, *context, public, commitment) == proof.c


__all__ = [
    "DisjunctiveProof",
    "DleqProof",
    "SchnorrProof",
    "dleq_is_valid",
    "prove_dleq",
    "prove_zero_or_one",
    "schnorr_is_valid",
    "schnorr_prove",
    "verify_dleq",
    "verify_zero_or_one",
]
