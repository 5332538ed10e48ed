"""k-of-n key ceremony and threshold decryption, including every misbehaviour we detect."""

from __future__ import annotations

import dataclasses
import hashlib

import pytest

from ballot.crypto import (
    BelowMinimumError,
    Ceremony,
    CommitmentMismatchError,
    CryptoError,
    DecryptionShare,
    InvalidParameterError,
    NotEnoughSharesError,
    Point,
    Polynomial,
    ProofInvalidError,
    Scalar,
    ShareInvalidError,
    SignatureInvalidError,
    TrusteePrivateKeys,
    combine_decryption_shares,
    decrypt_share,
    derive_credential,
    encrypt_share,
    generate_code,
    joint_public_key,
    make_ballot,
    make_commitment_reveal,
    partial_decrypt,
    round1_message,
    round2_message,
    verify_decryption_share,
    verify_round1,
    verify_round2,
)
from ballot.crypto.ballot import aggregate_ballots
from ballot.crypto.testing import LocalCeremony, run_ceremony_for_tests
from ballot.crypto.threshold import Tally, _share_sig_payload

EID = "threshold-test"
FP = hashlib.sha256(b"threshold fp").digest()
SHAPE = (3,)
CHOICES = [0, 0, 1, 2, 0, 1, 0]


@pytest.fixture(scope="module")
def lc() -> LocalCeremony:
    return run_ceremony_for_tests(EID, 5, 3)


@pytest.fixture(scope="module")
def tally(lc: LocalCeremony) -> Tally:
    ballots = [
        make_ballot(FP, lc.joint_key, derive_credential(generate_code(), EID), [c], SHAPE)
        for c in CHOICES
    ]
    return aggregate_ballots(ballots, SHAPE)


@pytest.fixture(scope="module")
def shares(lc: LocalCeremony, tally: Tally) -> list[DecryptionShare]:
    return [
        partial_decrypt(
            FP,
            i,
            lc.secret_shares[i - 1],
            tally,
            ballot_count=len(CHOICES),
            min_ballots=5,
        )
        for i in range(1, 6)
    ]


EXPECTED = ((4, 2, 1),)


class TestKeyCeremony:
    def test_joint_key_is_sum_of_constant_commitments_and_matches_shares(
        self, lc: LocalCeremony
    ) -> None:
        assert lc.joint_key == Point.base_mul(lc.secret_key())
        assert lc.joint_key == joint_public_key(lc.reveals)
        for i, s in enumerate(lc.secret_shares, start=1):
            assert lc.verification_keys[i] == Point.base_mul(s)

    def test_bad_share_is_named(self, lc: LocalCeremony) -> None:
        sender, recipient = lc.keys[1], lc.keys[3]
        wrong = Polynomial([Scalar.random() for _ in range(3)])
        msg = encrypt_share(lc.ceremony, sender, wrong, lc.reveals[1], recipient.index)
        with pytest.raises(ShareInvalidError) as exc:
            decrypt_share(lc.ceremony, recipient, msg, lc.reveals[1])
        assert exc.value.code == "ballot.share_invalid" and exc.value.trustee == 2

    def test_share_with_bad_signature_or_ciphertext_is_named(self, lc: LocalCeremony) -> None:
        sender, recipient = lc.keys[0], lc.keys[2]
        msg = encrypt_share(lc.ceremony, sender, lc.polynomials[0], lc.reveals[0], 3)
        assert decrypt_share(lc.ceremony, recipient, msg, lc.reveals[0]) == lc.polynomials[
            0
        ].evaluate(3)
        flipped = bytes([msg.ciphertext[0] ^ 1]) + msg.ciphertext[1:]
        for bad in (
            dataclasses.replace(msg, signature=bytes(64)),
            dataclasses.replace(msg, ciphertext=flipped),
        ):
            with pytest.raises(ShareInvalidError) as exc:
                decrypt_share(lc.ceremony, recipient, bad, lc.reveals[0])
            assert exc.value.trustee == 1
        # Correctly signed by the sender but encrypted under a different key: AEAD fails.
        resigned = dataclasses.replace(
            msg,
            ciphertext=flipped,
            signature=sender.sign.sign(
                _share_sig_payload(lc.ceremony, 1, 3, msg.ephemeral_key, flipped)
            ),
        )
        with pytest.raises(ShareInvalidError):
            decrypt_share(lc.ceremony, recipient, resigned, lc.reveals[0])

    def test_share_cannot_be_opened_by_another_trustee(self, lc: LocalCeremony) -> None:
        msg = encrypt_share(lc.ceremony, lc.keys[0], lc.polynomials[0], lc.reveals[0], 3)
        with pytest.raises(InvalidParameterError):
            decrypt_share(lc.ceremony, lc.keys[1], msg, lc.reveals[0])
        forwarded = dataclasses.replace(msg, recipient=2)
        with pytest.raises(ShareInvalidError):
            decrypt_share(lc.ceremony, lc.keys[1], forwarded, lc.reveals[0])

    def test_reveal_must_match_round_one(self, lc: LocalCeremony) -> None:
        other = make_commitment_reveal(lc.ceremony, 2, Polynomial.random(3))
        r2 = round2_message(lc.ceremony, lc.keys[1], other)
        with pytest.raises(CommitmentMismatchError) as exc:
            verify_round2(lc.ceremony, lc.round1[1], r2)
        assert exc.value.code == "ballot.commitment_mismatch" and exc.value.trustee == 2

    def test_round_signatures_are_checked(self, lc: LocalCeremony) -> None:
        forged = dataclasses.replace(lc.round1[0], signature=lc.round1[1].signature)
        with pytest.raises(SignatureInvalidError):
            verify_round1(lc.ceremony, forged)
        r2 = dataclasses.replace(lc.round2[0], signature=bytes(64))
        with pytest.raises(SignatureInvalidError):
            verify_round2(lc.ceremony, lc.round1[0], r2)

    def test_proof_of_knowledge_is_checked(self, lc: LocalCeremony) -> None:
        reveal = lc.reveals[0]
        bad = dataclasses.replace(reveal, proofs=(reveal.proofs[1], *reveal.proofs[1:]))
        r1 = round1_message(lc.ceremony, lc.keys[0], bad)
        r2 = round2_message(lc.ceremony, lc.keys[0], bad)
        with pytest.raises(ProofInvalidError) as exc:
            verify_round2(lc.ceremony, r1, r2)
        assert exc.value.kind == "pok"

    def test_messages_are_bound_to_the_roster(self, lc: LocalCeremony) -> None:
        keys = list(lc.ceremony.trustees)
        keys[4] = TrusteePrivateKeys.generate(5).public()
        other = Ceremony(EID, 3, tuple(keys))
        assert other.ceremony_id != lc.ceremony.ceremony_id
        with pytest.raises(CryptoError):
            verify_round2(other, lc.round1[0], lc.round2[0])

    @pytest.mark.parametrize(("n", "k"), [(0, 1), (3, 0), (3, 4)])
    def test_invalid_parameters(self, n: int, k: int) -> None:
        with pytest.raises(InvalidParameterError):
            Ceremony(
                EID, k, tuple(TrusteePrivateKeys.generate(i).public() for i in range(1, n + 1))
            )

    def test_private_key_repr_is_redacted(self, lc: LocalCeremony) -> None:
        assert "redacted" in repr(lc.keys[0]) and "redacted" in repr(lc.polynomials[0])


class TestThresholdDecryption:
    def test_any_three_of_five(
        self, lc: LocalCeremony, tally: Tally, shares: list[DecryptionShare]
    ) -> None:
        for subset in ((1, 2, 3), (3, 4, 5), (1, 3, 5), (2, 5, 4)):
            picked = [shares[i - 1] for i in subset]
            res = combine_decryption_shares(
                FP, tally, picked, lc.verification_keys, 3, len(CHOICES)
            )
            assert res.counts == EXPECTED
            assert res.used == tuple(sorted(subset)) and res.excluded == ()

    def test_bad_share_named_and_excluded(
        self, lc: LocalCeremony, tally: Tally, shares: list[DecryptionShare]
    ) -> None:
        d = shares[1].shares
        bad = DecryptionShare(2, ((d[0][0] + Point.generator(), *d[0][1:]),), shares[1].proofs)
        with pytest.raises(ShareInvalidError) as exc:
            verify_decryption_share(FP, bad, lc.verification_keys[2], tally)
        assert exc.value.trustee == 2
        res = combine_decryption_shares(
            FP,
            tally,
            [shares[0], bad, shares[2], shares[3]],
            lc.verification_keys,
            3,
            len(CHOICES),
        )
        assert res.counts == EXPECTED and res.excluded == (2,) and res.used == (1, 3, 4)

    def test_share_under_another_trustees_name_is_rejected(
        self, lc: LocalCeremony, tally: Tally, shares: list[DecryptionShare]
    ) -> None:
        impostor = dataclasses.replace(shares[0], trustee=2)
        with pytest.raises(ShareInvalidError):
            verify_decryption_share(FP, impostor, lc.verification_keys[2], tally)

    def test_not_enough_valid_shares(
        self, lc: LocalCeremony, tally: Tally, shares: list[DecryptionShare]
    ) -> None:
        bad = dataclasses.replace(shares[2], trustee=4)
        with pytest.raises(NotEnoughSharesError) as exc:
            combine_decryption_shares(
                FP, tally, [shares[0], shares[1], bad], lc.verification_keys, 3, len(CHOICES)
            )
        assert exc.value.code == "ballot.not_enough_shares"
        assert exc.value.bad == (4,) and exc.value.valid == (1, 2)

    def test_below_minimum_is_refused(self, lc: LocalCeremony, tally: Tally) -> None:
        with pytest.raises(BelowMinimumError) as exc:
            partial_decrypt(FP, 1, lc.secret_shares[0], tally, ballot_count=4, min_ballots=5)
        assert exc.value.code == "ballot.below_minimum"

    def test_shares_are_bound_to_the_fingerprint(
        self, lc: LocalCeremony, tally: Tally, shares: list[DecryptionShare]
    ) -> None:
        with pytest.raises(ShareInvalidError):
            verify_decryption_share(bytes(32), shares[0], lc.verification_keys[1], tally)

    def test_wrong_shape_is_rejected(
        self, lc: LocalCeremony, tally: Tally, shares: list[DecryptionShare]
    ) -> None:
        s = shares[0]
        short = DecryptionShare(1, (s.shares[0][:2],), (s.proofs[0][:2],))
        with pytest.raises(ShareInvalidError):
            verify_decryption_share(FP, short, lc.verification_keys[1], tally)

    def test_dict_round_trip(self, shares: list[DecryptionShare], lc: LocalCeremony) -> None:
        assert DecryptionShare.from_dict(shares[0].to_dict()) == shares[0]
        for msg in lc.encrypted_shares[:3]:
            assert type(msg).from_dict(msg.to_dict()) == msg
        assert type(lc.round1[0]).from_dict(lc.round1[0].to_dict()) == lc.round1[0]
        assert type(lc.round2[0]).from_dict(lc.round2[0].to_dict()) == lc.round2[0]
