"""Ballots, credentials and signatures: round trips and every typed failure."""

from __future__ import annotations

import dataclasses
import hashlib

import pytest

from ballot.crypto import (
    Ballot,
    CredentialCodeInvalidError,
    CredentialKeyPair,
    CryptoError,
    DisjunctiveProof,
    EncryptedAnswer,
    InvalidParameterError,
    MalformedError,
    Point,
    ProofInvalidError,
    Scalar,
    WrongOptionCountError,
    aggregate_ballots,
    aggregate_canonical,
    derive_credential,
    format_code,
    generate_code,
    make_ballot,
    normalize_code,
    sign,
    verify_ballot,
    verify_signature,
)
from ballot.crypto.credentials import CODE_CHARS

FP = hashlib.sha256(b"test election").digest()
SECRET = Scalar.from_int(0xC0FFEE)
K = Point.base_mul(SECRET)
SHAPE = (3, 4)
EID = "unit-test-election"


@pytest.fixture(scope="module")
def alice() -> CredentialKeyPair:
    return derive_credential(generate_code(), EID)


@pytest.fixture(scope="module")
def bob() -> CredentialKeyPair:
    return derive_credential(generate_code(), EID)


@pytest.fixture(scope="module")
def ballot(alice: CredentialKeyPair) -> Ballot:
    return make_ballot(FP, K, alice, [2, 0], SHAPE)


def code_of(exc: pytest.ExceptionInfo[CryptoError]) -> str:
    return exc.value.code


class TestCredentials:
    def test_generated_codes_are_valid_long_and_distinct(self) -> None:
        codes = {generate_code() for _ in range(50)}
        assert len(codes) == 50
        for c in codes:
            assert len(c) == CODE_CHARS >= 22 and normalize_code(c) == c

    def test_formatting_and_separators_do_not_change_the_key(self) -> None:
        c = generate_code()
        f = format_code(c)
        assert f.count("-") == 5
        assert derive_credential(f, EID).public == derive_credential(c, EID).public
        assert (
            derive_credential(f.replace("-", " "), EID).public == derive_credential(c, EID).public
        )

    def test_key_depends_on_election_and_code(self) -> None:
        c = generate_code()
        assert derive_credential(c, EID).public != derive_credential(c, EID + "x").public
        assert derive_credential(c, EID).public != derive_credential(generate_code(), EID).public

    @pytest.mark.parametrize("mutate", ["short", "alphabet", "typo", "type"])
    def test_bad_codes_raise(self, mutate: str) -> None:
        c = generate_code()
        bad: object = {
            "short": c[:-1],
            "alphabet": "l" + c[1:],
            "typo": c[:3] + ("2" if c[3] != "2" else "3") + c[4:],
            "type": 12345,
        }[mutate]
        with pytest.raises(CredentialCodeInvalidError) as exc:
            derive_credential(bad, EID)  # type: ignore[arg-type]
        assert exc.value.code == "ballot.credential_code_invalid"

    def test_signature_round_trip_and_failures(
        self, alice: CredentialKeyPair, bob: CredentialKeyPair
    ) -> None:
        sig = sign(alice, FP, b"msg")
        verify_signature(alice.public, FP, b"msg", sig)
        for pub, fp, msg in (
            (bob.public, FP, b"msg"),
            (alice.public, bytes(32), b"msg"),
            (alice.public, FP, b"msG"),
            (Point.identity(), FP, b"msg"),
        ):
            with pytest.raises(CryptoError) as exc:
                verify_signature(pub, fp, msg, sig)
            assert exc.value.code == "ballot.signature_invalid"

    def test_keypair_repr_hides_the_secret(self, alice: CredentialKeyPair) -> None:
        assert alice.secret.hex() not in repr(alice)


class TestBallotRoundTrip:
    def test_verifies(self, ballot: Ballot) -> None:
        verify_ballot(FP, K, ballot, SHAPE)

    def test_dict_and_canonical_bytes_round_trip(self, ballot: Ballot) -> None:
        assert Ballot.from_dict(ballot.to_dict()) == ballot
        assert Ballot.from_canonical_bytes(ballot.canonical_bytes()) == ballot
        assert len(ballot.tracker()) == 64
        assert ballot.tracker() == hashlib.sha256(ballot.canonical_bytes()).hexdigest()

    def test_encrypts_the_one_hot_choice(self, ballot: Ballot) -> None:
        for ans, choice in zip(ballot.answers, [2, 0], strict=True):
            plain = [ct.beta - ct.alpha * SECRET for ct in ans.ciphertexts]
            assert plain == [
                Point.base_mul(Scalar.from_int(int(i == choice))) for i in range(len(plain))
            ]

    def test_two_ballots_with_the_same_choice_differ(self, alice: CredentialKeyPair) -> None:
        a = make_ballot(FP, K, alice, [0, 0], SHAPE)
        b = make_ballot(FP, K, alice, [0, 0], SHAPE)
        assert a.tracker() != b.tracker()

    def test_aggregate_counts_choices(self, alice: CredentialKeyPair) -> None:
        bs = [make_ballot(FP, K, alice, c, SHAPE) for c in ([0, 1], [0, 3], [2, 1])]
        tally = aggregate_ballots(bs, SHAPE)
        counts = [
            [
                next(
                    m
                    for m in range(4)
                    if ct.beta - ct.alpha * SECRET == Point.base_mul(Scalar.from_int(m))
                )
                for ct in row
            ]
            for row in tally
        ]
        assert counts == [[2, 0, 1], [0, 2, 0, 1]]

    @pytest.mark.parametrize(
        ("choices", "shape"),
        [([3, 0], SHAPE), ([-1, 0], SHAPE), ([0], SHAPE), ([0, 0], (1, 4)), ([0, 0], ())],
    )
    def test_make_ballot_rejects_bad_input(
        self, alice: CredentialKeyPair, choices: list[int], shape: tuple[int, ...]
    ) -> None:
        with pytest.raises(CryptoError):
            make_ballot(FP, K, alice, choices, shape)


class TestBallotRejections:
    def test_tampered_proof_fails_signature(self, ballot: Ballot) -> None:
        ans = ballot.answers[0]
        p = ans.proofs[1]
        bad = dataclasses.replace(p, z1=p.z1 + Scalar.one())
        forged = dataclasses.replace(
            ballot,
            answers=(
                dataclasses.replace(ans, proofs=(ans.proofs[0], bad, ans.proofs[2])),
                ballot.answers[1],
            ),
        )
        with pytest.raises(CryptoError) as exc:
            verify_ballot(FP, K, forged, SHAPE)
        assert code_of(exc) == "ballot.signature_invalid"

    def test_tampered_proof_re_signed_by_its_owner_fails_the_proof(
        self, ballot: Ballot, alice: CredentialKeyPair
    ) -> None:
        ans = ballot.answers[0]
        p = ans.proofs[1]
        bad = DisjunctiveProof(p.c0, p.c1, p.z0 + Scalar.one(), p.z1)
        body = dataclasses.replace(
            ballot,
            answers=(
                dataclasses.replace(ans, proofs=(ans.proofs[0], bad, ans.proofs[2])),
                ballot.answers[1],
            ),
        )
        resigned = dataclasses.replace(body, signature=sign(alice, FP, body.body_bytes()))
        with pytest.raises(ProofInvalidError) as exc:
            verify_ballot(FP, K, resigned, SHAPE)
        assert exc.value.code == "ballot.proof_invalid"
        assert (exc.value.kind, exc.value.question, exc.value.option) == ("cds", 0, 1)

    def test_two_votes_for_one_person_fail_the_sum_proof(self, alice: CredentialKeyPair) -> None:
        # Build an honest ballot for choice 0 and one for choice 1; splice option 1 of the second
        # into the first: every CDS proof is individually valid but the sum is 2.
        a = make_ballot(FP, K, alice, [0, 0], SHAPE)
        b = make_ballot(FP, K, alice, [1, 0], SHAPE)
        qa, qb = a.answers[0], b.answers[0]
        spliced = EncryptedAnswer(
            (qa.ciphertexts[0], qb.ciphertexts[1], qa.ciphertexts[2]),
            (qa.proofs[0], qb.proofs[1], qa.proofs[2]),
            qa.sum_proof,
        )
        body = dataclasses.replace(a, answers=(spliced, a.answers[1]))
        resigned = dataclasses.replace(body, signature=sign(alice, FP, body.body_bytes()))
        with pytest.raises(ProofInvalidError) as exc:
            verify_ballot(FP, K, resigned, SHAPE)
        assert exc.value.code == "ballot.proof_invalid"
        assert exc.value.kind == "sum"

    def test_wrong_credential(self, ballot: Ballot, bob: CredentialKeyPair) -> None:
        forged = dataclasses.replace(ballot, credential=bob.public)
        with pytest.raises(CryptoError) as exc:
            verify_ballot(FP, K, forged, SHAPE)
        assert code_of(exc) == "ballot.signature_invalid"

    def test_copied_and_re_signed_under_another_credential(
        self, ballot: Ballot, bob: CredentialKeyPair
    ) -> None:
        copy = dataclasses.replace(ballot, credential=bob.public)
        resigned = dataclasses.replace(copy, signature=sign(bob, FP, copy.body_bytes()))
        verify_signature(resigned.credential, FP, resigned.body_bytes(), resigned.signature)
        with pytest.raises(CryptoError) as exc:
            verify_ballot(FP, K, resigned, SHAPE)
        assert code_of(exc) == "ballot.proof_invalid"

    def test_replay_into_another_election(self, ballot: Ballot) -> None:
        with pytest.raises(CryptoError) as exc:
            verify_ballot(bytes(32), K, ballot, SHAPE)
        assert code_of(exc) == "ballot.wrong_election"

    def test_wrong_joint_key(self, ballot: Ballot) -> None:
        with pytest.raises(CryptoError) as exc:
            verify_ballot(FP, K + Point.generator(), ballot, SHAPE)
        assert code_of(exc) == "ballot.proof_invalid"

    def test_wrong_number_of_options(self, ballot: Ballot) -> None:
        with pytest.raises(WrongOptionCountError) as exc:
            verify_ballot(FP, K, ballot, (3, 5))
        assert exc.value.code == "ballot.wrong_option_count"
        assert exc.value.question == 1
        d = ballot.to_dict()
        d["answers"][0]["options"].pop()
        with pytest.raises(WrongOptionCountError) as exc2:
            verify_ballot(FP, K, Ballot.from_dict(d), SHAPE)
        assert exc2.value.question == 0

    def test_wrong_number_of_questions(self, ballot: Ballot) -> None:
        with pytest.raises(CryptoError) as exc:
            verify_ballot(FP, K, ballot, (3, 4, 3))
        assert code_of(exc) == "ballot.wrong_question_count"

    @pytest.mark.parametrize(
        ("path", "value"),
        [
            (("credential",), "00" * 31 + "80"),
            (("answers", 0, "options", 0, "alpha"), "ff" * 32),
            (("answers", 0, "options", 0, "beta"), "01" + "00" * 31),
            (("answers", 0, "options", 1, "c0"), "ff" * 32),
            (
                ("answers", 1, "sum_proof", "z"),
                "edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010",
            ),
            (("signature", "c"), "ED" * 32),
            (("election",), "00" * 31),
        ],
    )
    def test_non_canonical_encodings_are_rejected_at_parse_time(
        self, ballot: Ballot, path: tuple[object, ...], value: str
    ) -> None:
        d = ballot.to_dict()
        node = d
        for key in path[:-1]:
            node = node[key]  # type: ignore[index]
        node[path[-1]] = value  # type: ignore[index]
        with pytest.raises(CryptoError) as exc:
            Ballot.from_dict(d)
        assert code_of(exc) == "ballot.non_canonical_encoding"

    def test_identity_alpha_is_rejected(self, ballot: Ballot) -> None:
        d = ballot.to_dict()
        d["answers"][0]["options"][0]["alpha"] = "00" * 32
        with pytest.raises(CryptoError) as exc:
            verify_ballot(FP, K, Ballot.from_dict(d), SHAPE)
        assert code_of(exc) == "ballot.identity_point"

    @pytest.mark.parametrize("mutation", ["extra_key", "missing_key", "format", "answers_type"])
    def test_malformed_dicts(self, ballot: Ballot, mutation: str) -> None:
        d = ballot.to_dict()
        if mutation == "extra_key":
            d["timestamp"] = "2025-01-01"
        elif mutation == "missing_key":
            del d["signature"]
        elif mutation == "format":
            d["format"] = "congvu/v0/ballot"
        else:
            d["answers"] = {}
        with pytest.raises(MalformedError):
            Ballot.from_dict(d)

    def test_canonical_bytes_are_strict(self, ballot: Ballot) -> None:
        raw = ballot.canonical_bytes()
        for bad in (raw + b"\x00", raw[:-1], raw[:100]):
            with pytest.raises(CryptoError):
                Ballot.from_canonical_bytes(bad)

    def test_invalid_parameters(self, alice: CredentialKeyPair) -> None:
        with pytest.raises(InvalidParameterError):
            make_ballot(b"short", K, alice, [0, 0], SHAPE)
        with pytest.raises(CryptoError):
            make_ballot(FP, Point.identity(), alice, [0, 0], SHAPE)


class TestAggregateCanonical:
    def test_matches_the_object_path(self, alice: CredentialKeyPair) -> None:
        bs = [make_ballot(FP, K, alice, [i % 3, i % 4], SHAPE) for i in range(6)]
        raws = [b.canonical_bytes() for b in bs]
        assert aggregate_canonical(raws, SHAPE) == aggregate_ballots(bs, SHAPE)

    def test_empty_board_is_the_zero_tally(self) -> None:
        tally = aggregate_canonical([], SHAPE)
        assert all(ct.alpha.is_identity() and ct.beta.is_identity() for row in tally for ct in row)

    def test_rejects_other_shapes_and_corruption(self, ballot: Ballot) -> None:
        raw = ballot.canonical_bytes()
        with pytest.raises(CryptoError):
            aggregate_canonical([raw], (3, 3))
        with pytest.raises(CryptoError):
            aggregate_canonical([raw[:-1]], SHAPE)
        alpha = ballot.answers[0].ciphertexts[0].alpha.to_bytes()
        pos = raw.index(alpha)
        top = bytearray(raw)
        top[pos + 31] |= 0x80
        with pytest.raises(CryptoError):
            aggregate_canonical([bytes(top)], SHAPE)
        bad = bytearray(raw)
        bad[pos : pos + 32] = b"\xff" * 32
        with pytest.raises(CryptoError):
            aggregate_canonical([bytes(bad)], SHAPE)
