"""Deterministic entry points for test vectors, tests and benchmarks. NOT for production.

Every function here takes an explicit ``seed`` from which all nonces are derived
(SPEC.md §12), so outputs are byte-for-byte reproducible in any implementation. Nothing in
the production API (:mod:`ballot.crypto`) reads a seed, a setting or an environment variable;
this module is not re-exported from the package.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .audit import RecordingNonces
from .ballot import Ballot, _make_ballot
from .credentials import CredentialKeyPair, _sign
from .group import Point, Scalar
from .nonces import NonceSource, RandomNonces, SeededNonces
from .proofs import SchnorrProof
from .threshold import (
    Ceremony,
    CommitmentReveal,
    DecryptionShare,
    EncryptedShare,
    Polynomial,
    Round1Message,
    Round2Message,
    Tally,
    TrusteePrivateKeys,
    _encrypt_share,
    _make_reveal,
    _partial_decrypt,
    combine_key_shares,
    decrypt_share,
    joint_public_key,
    round1_message,
    round2_message,
    verification_key,
    verify_round2,
)


def seeded_nonces(seed: bytes) -> SeededNonces:
    return SeededNonces(seed)


def make_ballot_with_seed(
    seed: bytes,
    election_fingerprint: bytes,
    joint_key: Point,
    credential: CredentialKeyPair,
    choices: Sequence[int],
    option_counts: Sequence[int],
) -> Ballot:
    """:func:`ballot.crypto.make_ballot` with every nonce derived from ``seed``."""
    return _make_ballot(
        election_fingerprint, joint_key, credential, choices, option_counts, SeededNonces(seed)
    )


def make_auditable_ballot_with_seed(
    seed: bytes,
    election_fingerprint: bytes,
    joint_key: Point,
    credential: CredentialKeyPair,
    choices: Sequence[int],
    option_counts: Sequence[int],
) -> tuple[Ballot, tuple[tuple[Scalar, ...], ...]]:
    """The ballot of :func:`make_ballot_with_seed` and its ElGamal nonces (audit vectors)."""
    recorder = RecordingNonces(SeededNonces(seed))
    ballot = _make_ballot(
        election_fingerprint, joint_key, credential, choices, option_counts, recorder
    )
    return ballot, recorder.randomness(option_counts)


def sign_with_seed(
    seed: bytes, keypair: CredentialKeyPair, fingerprint: bytes, message: bytes
) -> SchnorrProof:
    return _sign(keypair, fingerprint, message, SeededNonces(seed))


def trustee_keys_from_seed(seed: bytes, index: int) -> TrusteePrivateKeys:
    n = SeededNonces(seed)
    return TrusteePrivateKeys.from_private_bytes(
        index, n.bytes32("trustee-sign", index), n.bytes32("trustee-kx", index)
    )


def polynomial_from_seed(seed: bytes, index: int, threshold: int) -> Polynomial:
    n = SeededNonces(seed)
    return Polynomial([n.scalar("dkg-coef", index, j) for j in range(threshold)])


def partial_decrypt_with_seed(
    seed: bytes,
    fingerprint: bytes,
    trustee: int,
    secret: Scalar,
    tally: Tally,
    *,
    ballot_count: int,
    min_ballots: int,
) -> DecryptionShare:
    return _partial_decrypt(
        fingerprint, trustee, secret, tally, ballot_count, min_ballots, SeededNonces(seed)
    )


@dataclass(frozen=True)
class LocalCeremony:
    """A whole key ceremony run in one process (tests, benchmarks, vectors)."""

    ceremony: Ceremony
    keys: tuple[TrusteePrivateKeys, ...]
    polynomials: tuple[Polynomial, ...]
    reveals: tuple[CommitmentReveal, ...]
    round1: tuple[Round1Message, ...]
    round2: tuple[Round2Message, ...]
    encrypted_shares: tuple[EncryptedShare, ...]
    secret_shares: tuple[Scalar, ...]
    joint_key: Point
    verification_keys: dict[int, Point]

    def secret_key(self) -> Scalar:
        """The joint secret ``Σ a_i0`` — only a test harness ever computes this."""
        return combine_key_shares([p.coefficients[0] for p in self.polynomials])


def run_ceremony_for_tests(
    election_id: str, n: int, threshold: int, seed: bytes | None = None
) -> LocalCeremony:
    """Run rounds 1 and 2, share exchange and checks for ``n`` trustees in one process."""
    nonces: NonceSource = SeededNonces(seed) if seed is not None else RandomNonces()
    if seed is not None:
        keys = tuple(trustee_keys_from_seed(seed, i) for i in range(1, n + 1))
        polys = tuple(polynomial_from_seed(seed, i, threshold) for i in range(1, n + 1))
    else:
        keys = tuple(TrusteePrivateKeys.generate(i) for i in range(1, n + 1))
        polys = tuple(Polynomial.random(threshold) for _ in range(n))
    ceremony = Ceremony(election_id, threshold, tuple(k.public() for k in keys))
    reveals = tuple(
        _make_reveal(ceremony, k.index, p, nonces) for k, p in zip(keys, polys, strict=True)
    )
    r1 = tuple(round1_message(ceremony, k, r) for k, r in zip(keys, reveals, strict=True))
    r2 = tuple(round2_message(ceremony, k, r) for k, r in zip(keys, reveals, strict=True))
    for a, b in zip(r1, r2, strict=True):
        verify_round2(ceremony, a, b)
    enc: list[EncryptedShare] = []
    received: dict[int, list[Scalar]] = {i: [] for i in range(1, n + 1)}
    for sender, poly, reveal in zip(keys, polys, reveals, strict=True):
        for recipient in keys:
            msg = _encrypt_share(ceremony, sender, poly, reveal, recipient.index, nonces)
            enc.append(msg)
            received[recipient.index].append(decrypt_share(ceremony, recipient, msg, reveal))
    secrets_ = tuple(combine_key_shares(received[i]) for i in range(1, n + 1))
    k_joint = joint_public_key(reveals)
    vks = {i: verification_key(i, reveals) for i in range(1, n + 1)}
    return LocalCeremony(ceremony, keys, polys, reveals, r1, r2, tuple(enc), secrets_, k_joint, vks)


def decrypt_tally_with_secret(secret: Scalar, tally: Tally, bound: int) -> list[list[int]]:
    """Decrypt with the joint secret (test oracle only)."""
    from .dlog import discrete_log
    from .elgamal import decrypt_to_point

    return [[discrete_log(decrypt_to_point(secret, ct), bound) for ct in row] for row in tally]


__all__ = [
    "LocalCeremony",
    "decrypt_tally_with_secret",
    "make_ballot_with_seed",
    "partial_decrypt_with_seed",
    "polynomial_from_seed",
    "run_ceremony_for_tests",
    "seeded_nonces",
    "sign_with_seed",
    "trustee_keys_from_seed",
]
