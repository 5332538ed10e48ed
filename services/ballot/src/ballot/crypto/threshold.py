"""k-of-n trustees: distributed key generation and threshold decryption (SPEC.md §10–§11).

Key generation (Pedersen's DKG with Feldman commitments, commit-then-reveal):

1. Each trustee ``i`` (1..n) picks a random polynomial ``f_i`` of degree ``k−1`` and computes
   the commitments ``C_ij = a_ij·G`` with a Schnorr proof of knowledge for each.
2. Round 1: it publishes the SHA-256 of its commitments and proofs, Ed25519-signed.
3. Round 2 (after every round-1 hash is on the board): it reveals commitments and proofs,
   Ed25519-signed, and sends each peer ``l`` the share ``f_i(l)`` encrypted with
   X25519 + HKDF-SHA256 + ChaCha20-Poly1305 and Ed25519-signed; the server only relays.
4. Each recipient checks ``f_i(l)·G = Σ_j l^j·C_ij``; a failing share names its sender
   (:class:`ShareInvalidError`) and the ceremony restarts without it.

The joint key is ``K = Σ_i C_i0``; trustee ``l`` holds ``s_l = Σ_i f_i(l)`` and its public
verification key is ``V_l = Σ_i Σ_j l^j·C_ij``.

Decryption: each trustee publishes ``D = s_l·A`` for every aggregate ciphertext ``(A, B)``
with a DLEQ proof of ``log_G V_l = log_A D``. Any ``k`` valid shares give
``m·G = B − Σ λ_l·D_l`` (Lagrange at 0); bad shares are named and skipped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from .dlog import discrete_log
from .elgamal import Ciphertext
from .errors import (
    BelowMinimumError,
    CommitmentMismatchError,
    CryptoError,
    IdentityPointError,
    InvalidParameterError,
    MalformedError,
    NonCanonicalEncodingError,
    NotEnoughSharesError,
    ProofInvalidError,
    ShareInvalidError,
    SignatureInvalidError,
)
from .group import ORDER, Point, Scalar, parse_hex
from .hashing import (
    TAG_DKG_CEREMONY,
    TAG_DKG_COMMIT,
    TAG_DKG_POK,
    TAG_DKG_ROUND1,
    TAG_DKG_ROUND2,
    TAG_DKG_SHARE_AAD,
    TAG_DKG_SHARE_KEY,
    TAG_DKG_SHARE_SIG,
    TAG_PDEC,
    Field,
    digest256,
    text,
    transcript,
    u32,
)
from .nonces import NonceSource, RandomNonces
from .proofs import (
    DleqProof,
    SchnorrProof,
    dleq_is_valid,
    prove_dleq,
    schnorr_is_valid,
    schnorr_prove,
)

MAX_TRUSTEES = 64
_AEAD_NONCE = bytes(
    12
)  # the AEAD key is fresh per message (ephemeral X25519), so a zero nonce is safe


# --------------------------------------------------------------------------------------------
# Trustee identities
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TrusteePublicKeys:
    """A trustee's long-term public keys: Ed25519 (signing) and X25519 (share transport)."""

    index: int
    sign_key: bytes
    kx_key: bytes

    def __post_init__(self) -> None:
        if not 1 <= self.index <= MAX_TRUSTEES:
            raise InvalidParameterError("trustee index must be in 1..64")
        if len(self.sign_key) != 32 or len(self.kx_key) != 32:
            raise NonCanonicalEncodingError("trustee keys are 32 bytes each")

    def to_dict(self) -> dict[str, Any]:
        return {"index": self.index, "sign_key": self.sign_key.hex(), "kx_key": self.kx_key.hex()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TrusteePublicKeys:
        if not isinstance(data, Mapping) or set(data) != {"index", "sign_key", "kx_key"}:
            raise MalformedError("trustee keys need index, sign_key, kx_key")
        index = data["index"]
        if not isinstance(index, int) or isinstance(index, bool):
            raise MalformedError("trustee index must be an integer")
        return cls(index, parse_hex(data["sign_key"], 32), parse_hex(data["kx_key"], 32))


class TrusteePrivateKeys:
    """A trustee's long-term private keys. Store them encrypted; never log them."""

    __slots__ = ("index", "kx", "sign")

    def __init__(self, index: int, sign: Ed25519PrivateKey, kx: X25519PrivateKey) -> None:
        self.index = index
        self.sign = sign
        self.kx = kx

    @classmethod
    def generate(cls, index: int) -> TrusteePrivateKeys:
        return cls(index, Ed25519PrivateKey.generate(), X25519PrivateKey.generate())

    @classmethod
    def from_private_bytes(
        cls, index: int, sign_seed: bytes, kx_secret: bytes
    ) -> TrusteePrivateKeys:
        return cls(
            index,
            Ed25519PrivateKey.from_private_bytes(sign_seed),
            X25519PrivateKey.from_private_bytes(kx_secret),
        )

    def public(self) -> TrusteePublicKeys:
        return TrusteePublicKeys(
            self.index,
            self.sign.public_key().public_bytes_raw(),
            self.kx.public_key().public_bytes_raw(),
        )

    def __repr__(self) -> str:
        return f"TrusteePrivateKeys(index={self.index}, <redacted>)"


@dataclass(frozen=True, slots=True)
class Ceremony:
    """Public parameters of one key ceremony: election id, threshold ``k`` and the roster."""

    election_id: str
    threshold: int
    trustees: tuple[TrusteePublicKeys, ...]
    ceremony_id: bytes = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        n = len(self.trustees)
        if not 1 <= n <= MAX_TRUSTEES:
            raise InvalidParameterError("a ceremony has 1..64 trustees")
        if tuple(t.index for t in self.trustees) != tuple(range(1, n + 1)):
            raise InvalidParameterError("trustees must be listed with indices 1..n in order")
        if not 1 <= self.threshold <= n:
            raise InvalidParameterError("threshold must be in 1..n")
        fields: list[Field] = [text(self.election_id), u32(self.threshold), u32(n)]
        for t in self.trustees:
            fields += [u32(t.index), t.sign_key, t.kx_key]
        object.__setattr__(self, "ceremony_id", digest256(TAG_DKG_CEREMONY, *fields))

    @property
    def n(self) -> int:
        return len(self.trustees)

    def trustee(self, index: int) -> TrusteePublicKeys:
        if not 1 <= index <= self.n:
            raise InvalidParameterError("no such trustee")
        return self.trustees[index - 1]

    def _ctx(self, i: int) -> tuple[bytes, ...]:
        return (self.ceremony_id, u32(self.threshold), u32(self.n), u32(i))


def _ed25519_verify(public: bytes, signature: bytes, message: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


# --------------------------------------------------------------------------------------------
# Key generation
# --------------------------------------------------------------------------------------------


class Polynomial:
    """A trustee's secret polynomial ``f(x) = a_0 + a_1 x + ... + a_{k-1} x^{k-1}``."""

    __slots__ = ("coefficients",)

    def __init__(self, coefficients: Sequence[Scalar]) -> None:
        if not coefficients:
            raise InvalidParameterError("a polynomial needs at least one coefficient")
        self.coefficients = tuple(coefficients)

    @classmethod
    def random(cls, threshold: int) -> Polynomial:
        return cls([Scalar.random() for _ in range(threshold)])

    def evaluate(self, x: int) -> Scalar:
        xs = Scalar.from_int(x)
        acc = Scalar.zero()
        for a in reversed(self.coefficients):
            acc = acc * xs + a
        return acc

    def commitments(self) -> tuple[Point, ...]:
        return tuple(Point.base_mul(a) for a in self.coefficients)

    def __repr__(self) -> str:
        return "Polynomial(<redacted>)"


@dataclass(frozen=True, slots=True)
class CommitmentReveal:
    """Trustee ``trustee``'s commitments ``C_j`` with one Schnorr proof of knowledge each."""

    trustee: int
    commitments: tuple[Point, ...]
    proofs: tuple[SchnorrProof, ...]

    def fields(self) -> list[Field]:
        out: list[Field] = list(self.commitments)
        for p in self.proofs:
            out += [p.c, p.z]
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "trustee": self.trustee,
            "commitments": [c.hex() for c in self.commitments],
            "proofs": [p.to_dict() for p in self.proofs],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CommitmentReveal:
        if not isinstance(data, Mapping) or set(data) != {"trustee", "commitments", "proofs"}:
            raise MalformedError("reveal needs trustee, commitments, proofs")
        cs, ps, t = data["commitments"], data["proofs"], data["trustee"]
        if not isinstance(cs, list) or not isinstance(ps, list) or not isinstance(t, int):
            raise MalformedError("reveal has wrongly typed fields")
        return cls(
            t,
            tuple(Point.from_hex(c) for c in cs),
            tuple(SchnorrProof.from_dict(p) for p in ps),
        )


def commitment_hash(ceremony: Ceremony, reveal: CommitmentReveal) -> bytes:
    """Round-1 value: ``SHA-256(T(dkg-commit01, ceremony ctx, C_0.., c_0, z_0, ..))``."""
    return digest256(TAG_DKG_COMMIT, *ceremony._ctx(reveal.trustee), *reveal.fields())


@dataclass(frozen=True, slots=True)
class Round1Message:
    trustee: int
    commitment_hash: bytes
    signature: bytes

    def to_dict(self) -> dict[str, Any]:
        return {
            "trustee": self.trustee,
            "commitment_hash": self.commitment_hash.hex(),
            "signature": self.signature.hex(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Round1Message:
        if not isinstance(data, Mapping) or set(data) != {
            "trustee",
            "commitment_hash",
            "signature",
        }:
            raise MalformedError("round-1 message needs trustee, commitment_hash, signature")
        if not isinstance(data["trustee"], int):
            raise MalformedError("trustee must be an integer")
        return cls(
            data["trustee"],
            parse_hex(data["commitment_hash"], 32),
            parse_hex(data["signature"], 64),
        )


@dataclass(frozen=True, slots=True)
class Round2Message:
    reveal: CommitmentReveal
    signature: bytes

    def to_dict(self) -> dict[str, Any]:
        return {"reveal": self.reveal.to_dict(), "signature": self.signature.hex()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Round2Message:
        if not isinstance(data, Mapping) or set(data) != {"reveal", "signature"}:
            raise MalformedError("round-2 message needs reveal, signature")
        return cls(CommitmentReveal.from_dict(data["reveal"]), parse_hex(data["signature"], 64))


@dataclass(frozen=True, slots=True)
class EncryptedShare:
    """``f_sender(recipient)`` encrypted to the recipient and signed by the sender."""

    sender: int
    recipient: int
    ephemeral_key: bytes
    ciphertext: bytes
    signature: bytes

    def to_dict(self) -> dict[str, Any]:
        return {
            "sender": self.sender,
            "recipient": self.recipient,
            "ephemeral_key": self.ephemeral_key.hex(),
            "ciphertext": self.ciphertext.hex(),
            "signature": self.signature.hex(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> EncryptedShare:
        keys = {"sender", "recipient", "ephemeral_key", "ciphertext", "signature"}
        if not isinstance(data, Mapping) or set(data) != keys:
            raise MalformedError(f"encrypted share needs {sorted(keys)}")
        if not isinstance(data["sender"], int) or not isinstance(data["recipient"], int):
            raise MalformedError("sender and recipient must be integers")
        return cls(
            data["sender"],
            data["recipient"],
            parse_hex(data["ephemeral_key"], 32),
            parse_hex(data["ciphertext"], 48),
            parse_hex(data["signature"], 64),
        )


def _make_reveal(
    ceremony: Ceremony, index: int, poly: Polynomial, nonces: NonceSource
) -> CommitmentReveal:
    if len(poly.coefficients) != ceremony.threshold:
        raise InvalidParameterError("polynomial degree must be threshold - 1")
    ceremony.trustee(index)
    commitments = poly.commitments()
    proofs = tuple(
        schnorr_prove(
            TAG_DKG_POK,
            (*ceremony._ctx(index), u32(j)),
            c,
            a,
            nonces.scalar("dkg-pok-w", index, j),
        )
        for j, (a, c) in enumerate(zip(poly.coefficients, commitments, strict=True))
    )
    return CommitmentReveal(index, commitments, proofs)


def make_commitment_reveal(ceremony: Ceremony, index: int, poly: Polynomial) -> CommitmentReveal:
    """Commitments to ``poly`` with proofs of knowledge (kept private until round 2)."""
    return _make_reveal(ceremony, index, poly, RandomNonces())


def round1_message(
    ceremony: Ceremony, keys: TrusteePrivateKeys, reveal: CommitmentReveal
) -> Round1Message:
    h = commitment_hash(ceremony, reveal)
    msg = transcript(TAG_DKG_ROUND1, *ceremony._ctx(keys.index), h)
    return Round1Message(keys.index, h, keys.sign.sign(msg))


def verify_round1(ceremony: Ceremony, msg: Round1Message) -> None:
    """Raise :class:`SignatureInvalidError` unless the sender signed its round-1 hash."""
    t = ceremony.trustee(msg.trustee)
    payload = transcript(TAG_DKG_ROUND1, *ceremony._ctx(msg.trustee), msg.commitment_hash)
    if not _ed25519_verify(t.sign_key, msg.signature, payload):
        raise SignatureInvalidError(f"round-1 signature of trustee {msg.trustee} is invalid")


def round2_message(
    ceremony: Ceremony, keys: TrusteePrivateKeys, reveal: CommitmentReveal
) -> Round2Message:
    msg = transcript(TAG_DKG_ROUND2, *ceremony._ctx(keys.index), *reveal.fields())
    return Round2Message(reveal, keys.sign.sign(msg))


def verify_reveal(ceremony: Ceremony, reveal: CommitmentReveal) -> None:
    """Check shape, non-identity commitments and every proof of knowledge."""
    i = reveal.trustee
    ceremony.trustee(i)
    k = ceremony.threshold
    if len(reveal.commitments) != k or len(reveal.proofs) != k:
        raise MalformedError(f"trustee {i} must reveal exactly {k} commitments")
    for j, (c, p) in enumerate(zip(reveal.commitments, reveal.proofs, strict=True)):
        if c.is_identity():
            raise IdentityPointError(f"commitment {j} of trustee {i} is the identity")
        if not schnorr_is_valid(TAG_DKG_POK, (*ceremony._ctx(i), u32(j)), c, p):
            raise ProofInvalidError(f"proof of knowledge {j} of trustee {i} is invalid", kind="pok")


def verify_round2(ceremony: Ceremony, round1: Round1Message, msg: Round2Message) -> None:
    """Check the round-2 signature, that it matches the round-1 hash, and the proofs."""
    i = msg.reveal.trustee
    if round1.trustee != i:
        raise InvalidParameterError("round-1 and round-2 messages are from different trustees")
    verify_round1(ceremony, round1)
    t = ceremony.trustee(i)
    payload = transcript(TAG_DKG_ROUND2, *ceremony._ctx(i), *msg.reveal.fields())
    if not _ed25519_verify(t.sign_key, msg.signature, payload):
        raise SignatureInvalidError(f"round-2 signature of trustee {i} is invalid")
    verify_reveal(ceremony, msg.reveal)
    if commitment_hash(ceremony, msg.reveal) != round1.commitment_hash:
        raise CommitmentMismatchError(
            f"trustee {i} revealed commitments that differ from round 1", trustee=i
        )


def _share_key(
    ceremony: Ceremony, sender: int, recipient: int, shared: bytes, eph_pub: bytes, rcpt_pub: bytes
) -> bytes:
    info = transcript(
        TAG_DKG_SHARE_KEY, ceremony.ceremony_id, u32(sender), u32(recipient), eph_pub, rcpt_pub
    )
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(shared)


def _share_aad(ceremony: Ceremony, sender: int, recipient: int, chash: bytes) -> bytes:
    return transcript(TAG_DKG_SHARE_AAD, *ceremony._ctx(sender), u32(recipient), chash)


def _share_sig_payload(
    ceremony: Ceremony, sender: int, recipient: int, eph_pub: bytes, ct: bytes
) -> bytes:
    return transcript(TAG_DKG_SHARE_SIG, *ceremony._ctx(sender), u32(recipient), eph_pub, ct)


def _encrypt_share(
    ceremony: Ceremony,
    keys: TrusteePrivateKeys,
    poly: Polynomial,
    reveal: CommitmentReveal,
    recipient: int,
    nonces: NonceSource,
) -> EncryptedShare:
    rcpt = ceremony.trustee(recipient)
    eph = X25519PrivateKey.from_private_bytes(nonces.bytes32("dkg-eph", keys.index, recipient))
    eph_pub = eph.public_key().public_bytes_raw()
    shared = eph.exchange(X25519PublicKey.from_public_bytes(rcpt.kx_key))
    key = _share_key(ceremony, keys.index, recipient, shared, eph_pub, rcpt.kx_key)
    aad = _share_aad(ceremony, keys.index, recipient, commitment_hash(ceremony, reveal))
    ct = ChaCha20Poly1305(key).encrypt(_AEAD_NONCE, poly.evaluate(recipient).to_bytes(), aad)
    sig = keys.sign.sign(_share_sig_payload(ceremony, keys.index, recipient, eph_pub, ct))
    return EncryptedShare(keys.index, recipient, eph_pub, ct, sig)


def encrypt_share(
    ceremony: Ceremony,
    keys: TrusteePrivateKeys,
    poly: Polynomial,
    reveal: CommitmentReveal,
    recipient: int,
) -> EncryptedShare:
    """Encrypt and sign ``f_sender(recipient)`` for ``recipient`` (fresh ephemeral key)."""
    return _encrypt_share(ceremony, keys, poly, reveal, recipient, RandomNonces())


def expected_share_point(reveal: CommitmentReveal, x: int) -> Point:
    """``Σ_j x^j·C_j`` — what ``f(x)·G`` must equal."""
    acc = Point.identity()
    power = 1
    for c in reveal.commitments:
        acc = acc + c * Scalar.from_int(power)
        power = power * x % ORDER
    return acc


def decrypt_share(
    ceremony: Ceremony,
    keys: TrusteePrivateKeys,
    msg: EncryptedShare,
    sender_reveal: CommitmentReveal,
) -> Scalar:
    """Open and check a share addressed to ``keys``; raise :class:`ShareInvalidError` naming
    the sender if the signature, the encryption or the commitment check fails."""
    s = msg.sender
    if msg.recipient != keys.index or sender_reveal.trustee != s:
        raise InvalidParameterError("share is not addressed to this trustee / reveal mismatch")
    sender = ceremony.trustee(s)
    payload = _share_sig_payload(ceremony, s, msg.recipient, msg.ephemeral_key, msg.ciphertext)
    if not _ed25519_verify(sender.sign_key, msg.signature, payload):
        raise ShareInvalidError(f"share from trustee {s} has an invalid signature", trustee=s)
    my_pub = keys.kx.public_key().public_bytes_raw()
    try:
        shared = keys.kx.exchange(X25519PublicKey.from_public_bytes(msg.ephemeral_key))
        key = _share_key(ceremony, s, msg.recipient, shared, msg.ephemeral_key, my_pub)
        aad = _share_aad(ceremony, s, msg.recipient, commitment_hash(ceremony, sender_reveal))
        plain = ChaCha20Poly1305(key).decrypt(_AEAD_NONCE, msg.ciphertext, aad)
        share = Scalar.from_bytes(plain)
    except (InvalidTag, ValueError, CryptoError) as exc:
        raise ShareInvalidError(f"share from trustee {s} does not decrypt", trustee=s) from exc
    if Point.base_mul(share) != expected_share_point(sender_reveal, msg.recipient):
        raise ShareInvalidError(f"share from trustee {s} fails the commitment check", trustee=s)
    return share


def combine_key_shares(shares: Sequence[Scalar]) -> Scalar:
    """A trustee's decryption key ``s_l = Σ_i f_i(l)`` from the ``n`` verified shares."""
    acc = Scalar.zero()
    for s in shares:
        acc = acc + s
    return acc


def joint_public_key(reveals: Sequence[CommitmentReveal]) -> Point:
    """``K = Σ_i C_i0``."""
    acc = Point.identity()
    for r in reveals:
        acc = acc + r.commitments[0]
    return acc.require_non_identity("joint key")


def verification_key(index: int, reveals: Sequence[CommitmentReveal]) -> Point:
    """``V_index = Σ_i Σ_j index^j·C_ij`` = ``s_index·G``."""
    acc = Point.identity()
    for r in reveals:
        acc = acc + expected_share_point(r, index)
    return acc


# --------------------------------------------------------------------------------------------
# Threshold decryption
# --------------------------------------------------------------------------------------------

Tally = tuple[tuple[Ciphertext, ...], ...]


@dataclass(frozen=True, slots=True)
class DecryptionShare:
    """Trustee ``trustee``'s partial decryptions ``D[q][o] = s·A[q][o]`` with DLEQ proofs."""

    trustee: int
    shares: tuple[tuple[Point, ...], ...]
    proofs: tuple[tuple[DleqProof, ...], ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "trustee": self.trustee,
            "questions": [
                [{"d": d.hex(), **p.to_dict()} for d, p in zip(ds, ps, strict=True)]
                for ds, ps in zip(self.shares, self.proofs, strict=True)
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DecryptionShare:
        if not isinstance(data, Mapping) or set(data) != {"trustee", "questions"}:
            raise MalformedError("decryption share needs trustee, questions")
        t, qs = data["trustee"], data["questions"]
        if not isinstance(t, int) or not isinstance(qs, list):
            raise MalformedError("decryption share has wrongly typed fields")
        shares, proofs = [], []
        for q in qs:
            if not isinstance(q, list):
                raise MalformedError("each question is a list of options")
            row_d, row_p = [], []
            for o in q:
                if not isinstance(o, Mapping) or set(o) != {"d", "c", "z"}:
                    raise MalformedError("each option needs d, c, z")
                row_d.append(Point.from_hex(o["d"]))
                row_p.append(DleqProof(Scalar.from_hex(o["c"]), Scalar.from_hex(o["z"])))
            shares.append(tuple(row_d))
            proofs.append(tuple(row_p))
        return cls(t, tuple(shares), tuple(proofs))


def _pdec_context(fingerprint: bytes, trustee: int, q: int, o: int) -> tuple[bytes, ...]:
    return (fingerprint, u32(trustee), u32(q), u32(o))


def _partial_decrypt(
    fingerprint: bytes,
    trustee: int,
    secret: Scalar,
    tally: Tally,
    ballot_count: int,
    min_ballots: int,
    nonces: NonceSource,
) -> DecryptionShare:
    if ballot_count < min_ballots:
        raise BelowMinimumError(
            f"refusing to decrypt {ballot_count} ballots (minimum {min_ballots})"
        )
    vk = Point.base_mul(secret)
    shares, proofs = [], []
    for q, row in enumerate(tally):
        row_d, row_p = [], []
        for o, ct in enumerate(row):
            d = ct.alpha * secret
            w = nonces.scalar("pdec-w", trustee, q, o)
            row_p.append(
                prove_dleq(
                    TAG_PDEC,
                    _pdec_context(fingerprint, trustee, q, o),
                    Point.generator(),
                    vk,
                    ct.alpha,
                    d,
                    secret,
                    w,
                )
            )
            row_d.append(d)
        shares.append(tuple(row_d))
        proofs.append(tuple(row_p))
    return DecryptionShare(trustee, tuple(shares), tuple(proofs))


def partial_decrypt(
    fingerprint: bytes,
    trustee: int,
    secret: Scalar,
    tally: Tally,
    *,
    ballot_count: int,
    min_ballots: int,
) -> DecryptionShare:
    """Trustee's decryption share of the encrypted tally, with DLEQ proofs.

    Refuses (:class:`BelowMinimumError`) when ``ballot_count < min_ballots``: exact tallies of a
    handful of voters would reveal votes. The caller must have verified the board first.
    """
    return _partial_decrypt(
        fingerprint, trustee, secret, tally, ballot_count, min_ballots, RandomNonces()
    )


def verify_decryption_share(
    fingerprint: bytes, share: DecryptionShare, verification_key: Point, tally: Tally
) -> None:
    """Raise :class:`ShareInvalidError` (naming the trustee) unless every proof verifies."""
    t = share.trustee
    if len(share.shares) != len(tally) or len(share.proofs) != len(tally):
        raise ShareInvalidError(f"decryption share of trustee {t} has the wrong shape", trustee=t)
    g = Point.generator()
    for q, (row, ds, ps) in enumerate(zip(tally, share.shares, share.proofs, strict=True)):
        if len(ds) != len(row) or len(ps) != len(row):
            raise ShareInvalidError(
                f"decryption share of trustee {t} has the wrong shape", trustee=t
            )
        for o, (ct, d, p) in enumerate(zip(row, ds, ps, strict=True)):
            ctx = _pdec_context(fingerprint, t, q, o)
            if not dleq_is_valid(TAG_PDEC, ctx, g, verification_key, ct.alpha, d, p):
                raise ShareInvalidError(
                    f"decryption proof of trustee {t} fails at question {q} option {o}",
                    trustee=t,
                )


def lagrange_coefficient(index: int, indices: Sequence[int]) -> Scalar:
    """``λ_index = Π_{m ≠ index} m / (m − index)`` mod ℓ (interpolation at 0)."""
    num, den = 1, 1
    for m in indices:
        if m != index:
            num = num * m % ORDER
            den = den * (m - index) % ORDER
    return Scalar.from_int(num * pow(den, -1, ORDER))


@dataclass(frozen=True, slots=True)
class TallyResult:
    """Decrypted counts per question and option; ``used`` and ``excluded`` trustees."""

    counts: tuple[tuple[int, ...], ...]
    used: tuple[int, ...]
    excluded: tuple[int, ...]


def combine_decryption_shares(
    fingerprint: bytes,
    tally: Tally,
    shares: Sequence[DecryptionShare],
    verification_keys: Mapping[int, Point],
    threshold: int,
    bound: int,
) -> TallyResult:
    """Verify every share, drop (and name) bad ones, combine the first ``threshold`` good ones.

    ``bound`` is the largest possible count (the number of counted ballots). Raises
    :class:`NotEnoughSharesError` when fewer than ``threshold`` valid shares remain.
    """
    good: dict[int, DecryptionShare] = {}
    bad: list[int] = []
    for sh in shares:
        vk = verification_keys.get(sh.trustee)
        if vk is None or sh.trustee in good:
            bad.append(sh.trustee)
            continue
        try:
            verify_decryption_share(fingerprint, sh, vk, tally)
        except ShareInvalidError:
            bad.append(sh.trustee)
            continue
        good[sh.trustee] = sh
    if len(good) < threshold:
        raise NotEnoughSharesError(
            f"{len(good)} valid decryption shares, {threshold} needed",
            bad=tuple(sorted(bad)),
            valid=tuple(sorted(good)),
        )
    used = tuple(sorted(good)[:threshold])
    lambdas = {i: lagrange_coefficient(i, used) for i in used}
    counts = []
    for q, row in enumerate(tally):
        row_counts = []
        for o, ct in enumerate(row):
            combined = Point.identity()
            for i in used:
                combined = combined + good[i].shares[q][o] * lambdas[i]
            row_counts.append(discrete_log(ct.beta - combined, bound))
        counts.append(tuple(row_counts))
    return TallyResult(tuple(counts), used, tuple(sorted(bad)))


__all__ = [
    "Ceremony",
    "CommitmentReveal",
    "DecryptionShare",
    "EncryptedShare",
    "Polynomial",
    "Round1Message",
    "Round2Message",
    "TallyResult",
    "TrusteePrivateKeys",
    "TrusteePublicKeys",
    "combine_decryption_shares",
    "combine_key_shares",
    "commitment_hash",
    "decrypt_share",
    "encrypt_share",
    "expected_share_point",
    "joint_public_key",
    "lagrange_coefficient",
    "make_commitment_reveal",
    "partial_decrypt",
    "round1_message",
    "round2_message",
    "verification_key",
    "verify_decryption_share",
    "verify_reveal",
    "verify_round1",
    "verify_round2",
]
