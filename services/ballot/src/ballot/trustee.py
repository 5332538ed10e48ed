"""What a trustee computes at each step, from the verified board state and its private keys.

Used by the ``ballot-trustee`` CLI and by tests; no I/O here. A trustee never trusts the
server: every step starts from a record it verified itself (``ballot.verifier``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ballot.crypto import (
    CommitmentReveal,
    DecryptionShare,
    EncryptedShare,
    Polynomial,
    Round1Message,
    Round2Message,
    Scalar,
    TrusteePrivateKeys,
    combine_key_shares,
    decrypt_share,
    encrypt_share,
    joint_public_key,
    make_commitment_reveal,
    partial_decrypt,
    round1_message,
    round2_message,
    verification_key,
)
from ballot.domain.ceremony import sign_complaint, sign_confirmation
from ballot.domain.election import ElectionConfig, ElectionState
from ballot.domain.errors import BallotError, wrong_state


def index_in(config: ElectionConfig, sign_public: bytes) -> int:
    """This trustee's index in the election's roster (by its Ed25519 public key)."""
    for t in config.trustees:
        if t.sign_key == sign_public:
            return t.index
    raise BallotError(
        "ballot.not_a_trustee",
        "Khóa này không thuộc danh sách thành viên giữ khóa của cuộc bỏ phiếu",
        "This key is not on the election's trustee roster",
    )


def with_index(keys: TrusteePrivateKeys, config: ElectionConfig) -> TrusteePrivateKeys:
    sign_public = keys.sign.public_key().public_bytes_raw()
    return TrusteePrivateKeys(index_in(config, sign_public), keys.sign, keys.kx)


@dataclass
class Round1Result:
    polynomial: Polynomial
    reveal: CommitmentReveal
    message: Round1Message


def make_round1(state: ElectionState, keys: TrusteePrivateKeys) -> Round1Result:
    poly = Polynomial.random(state.config.threshold)
    reveal = make_commitment_reveal(state.ceremony, keys.index, poly)
    return Round1Result(poly, reveal, round1_message(state.ceremony, keys, reveal))


def make_round2(
    state: ElectionState,
    keys: TrusteePrivateKeys,
    poly: Polynomial,
    reveal: CommitmentReveal,
) -> tuple[Round2Message, list[EncryptedShare]]:
    mine = state.round1.get(keys.index)
    if (
        mine is None
        or mine.commitment_hash != round1_message(state.ceremony, keys, reveal).commitment_hash
    ):
        raise wrong_state("vòng 1 trên bảng không phải của khóa này (cần lập khóa lại?)")
    msg = round2_message(state.ceremony, keys, reveal)
    shares = [
        encrypt_share(state.ceremony, keys, poly, reveal, t.index) for t in state.config.trustees
    ]
    return msg, shares


def open_shares(
    state: ElectionState, keys: TrusteePrivateKeys, reveal: CommitmentReveal
) -> tuple[Scalar, dict[str, Any]]:
    """Decrypt and check the n shares addressed to this trustee; sign the confirmation.

    Raises ``ShareInvalidError`` naming the sender of a bad share (then :func:`complaint`).
    """
    missing = [t.index for t in state.config.trustees if t.index not in state.round2]
    if missing:
        raise wrong_state(
            f"chưa đủ vòng 2: còn thiếu thành viên {', '.join(map(str, missing))} "
            "/ round 2 is not complete yet",
            missing=missing,
        )
    if state.round2[keys.index].reveal != reveal:
        raise wrong_state("vòng 2 trên bảng không phải của khóa này")
    received = []
    for sender in range(1, len(state.config.trustees) + 1):
        msg = next(s for s in state.enc_shares[sender] if s.recipient == keys.index)
        received.append(decrypt_share(state.ceremony, keys, msg, state.round2[sender].reveal))
    secret = combine_key_shares(received)
    reveals = state.reveals()
    vk = verification_key(keys.index, reveals)
    confirmation = sign_confirmation(
        state.ceremony, keys, state.attempt, joint_public_key(reveals).hex(), vk.hex()
    )
    return secret, confirmation


def complaint(state: ElectionState, keys: TrusteePrivateKeys, accused: int) -> dict[str, Any]:
    return sign_complaint(state.ceremony, keys, state.attempt, accused)


def decrypt(state: ElectionState, keys: TrusteePrivateKeys, secret: Scalar) -> DecryptionShare:
    """Partial decryption of the verified aggregate; refuses below the minimum of ballots."""
    if state.tally is None or state.fingerprint is None:
        raise wrong_state("chưa có tổng mã hóa để giải mã")
    return partial_decrypt(
        state.fingerprint,
        keys.index,
        secret,
        state.tally,
        ballot_count=state.counted,
        min_ballots=state.config.min_ballots,
    )
