"""Hypothesis properties of the crypto core (kept small: max_examples 25-50)."""

from __future__ import annotations

import hashlib
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from ballot.crypto import (
    ORDER,
    Ballot,
    CryptoError,
    DecryptionShare,
    DlogOutOfRangeError,
    NotEnoughSharesError,
    Point,
    Scalar,
    aggregate,
    combine_decryption_shares,
    decrypt_to_point,
    discrete_log,
    encrypt,
    encrypt_with_nonce,
    lagrange_coefficient,
    verify_ballot,
)
from ballot.crypto import hashing as H
from ballot.crypto.credentials import CredentialKeyPair
from ballot.crypto.elgamal import Ciphertext
from ballot.crypto.testing import (
    make_ballot_with_seed,
    partial_decrypt_with_seed,
    run_ceremony_for_tests,
    sign_with_seed,
)

FAST = settings(max_examples=30, deadline=None)
SLOW = settings(max_examples=15, deadline=None)

scalars = st.integers(min_value=1, max_value=ORDER - 1).map(Scalar.from_int)
small_m = st.integers(min_value=0, max_value=300)


@FAST
@given(secret=scalars, m=small_m)
def test_decrypt_of_encrypt_is_identity_for_small_m(secret: Scalar, m: int) -> None:
    k = Point.base_mul(secret)
    ct, r = encrypt(k, m)
    assert not r.is_zero()
    assert discrete_log(decrypt_to_point(secret, ct), 300) == m


@FAST
@given(
    secret=scalars,
    ms=st.lists(small_m, min_size=1, max_size=8),
    rs=st.lists(scalars, min_size=8, max_size=8),
)
def test_homomorphic_sum(secret: Scalar, ms: list[int], rs: list[Scalar]) -> None:
    k = Point.base_mul(secret)
    cts = [encrypt_with_nonce(k, m, r) for m, r in zip(ms, rs, strict=False)]
    total = aggregate(cts)
    pairwise = cts[0]
    for ct in cts[1:]:
        pairwise = pairwise + ct
    assert total == pairwise
    assert discrete_log(decrypt_to_point(secret, total), 8 * 300) == sum(ms)


@FAST
@given(a=scalars, b=scalars)
def test_scalar_and_point_arithmetic_agree(a: Scalar, b: Scalar) -> None:
    assert Point.base_mul(a) + Point.base_mul(b) == Point.base_mul(a + b)
    assert Point.base_mul(a) * b == Point.base_mul(a * b)
    assert (a + b).to_int() == (a.to_int() + b.to_int()) % ORDER
    assert Scalar.from_bytes(a.to_bytes()) == a
    assert Point.from_bytes(Point.base_mul(a).to_bytes()) == Point.base_mul(a)


@FAST
@given(fields=st.lists(st.binary(max_size=70), max_size=6), tag=st.binary(min_size=1, max_size=30))
def test_transcript_decode_inverts_encode(fields: list[bytes], tag: bytes) -> None:
    assert H.decode(H.transcript(tag, *fields), tag) == fields


@FAST
@given(
    left=st.lists(st.binary(max_size=8), max_size=4),
    right=st.lists(st.binary(max_size=8), max_size=4),
)
def test_transcripts_are_injective(left: list[bytes], right: list[bytes]) -> None:
    if left != right:
        assert H.transcript(b"t", *left) != H.transcript(b"t", *right)


@st.composite
def shapes_and_choices(draw: st.DrawFn) -> tuple[list[int], list[int]]:
    shape = draw(st.lists(st.integers(min_value=2, max_value=5), min_size=1, max_size=3))
    choices = [draw(st.integers(min_value=0, max_value=n - 1)) for n in shape]
    return shape, choices


@SLOW
@given(sc=shapes_and_choices(), x=scalars, key=scalars, seed=st.binary(min_size=1, max_size=16))
def test_ballots_verify_round_trip_and_encrypt_their_choices(
    sc: tuple[list[int], list[int]], x: Scalar, key: Scalar, seed: bytes
) -> None:
    shape, choices = sc
    fp = hashlib.sha256(seed).digest()
    k = Point.base_mul(key)
    cred = CredentialKeyPair(x, Point.base_mul(x))
    ballot = make_ballot_with_seed(seed, fp, k, cred, choices, shape)
    verify_ballot(fp, k, ballot, shape)
    assert Ballot.from_canonical_bytes(ballot.canonical_bytes()) == ballot
    assert Ballot.from_dict(ballot.to_dict()) == ballot
    for ans, choice in zip(ballot.answers, choices, strict=True):
        decoded = [discrete_log(decrypt_to_point(key, ct), 1) for ct in ans.ciphertexts]
        assert decoded == [int(i == choice) for i in range(len(decoded))]


@SLOW
@given(sc=shapes_and_choices(), x=scalars, y=scalars, seed=st.binary(min_size=1, max_size=8))
def test_no_ballot_verifies_under_another_credential(
    sc: tuple[list[int], list[int]], x: Scalar, y: Scalar, seed: bytes
) -> None:
    shape, choices = sc
    fp = hashlib.sha256(b"e" + seed).digest()
    k = Point.base_mul(Scalar.from_int(7))
    a = CredentialKeyPair(x, Point.base_mul(x))
    b = CredentialKeyPair(y, Point.base_mul(y))
    ballot = make_ballot_with_seed(seed, fp, k, a, choices, shape)
    copied = Ballot(fp, b.public, ballot.answers, ballot.signature)
    forged = Ballot(fp, b.public, ballot.answers, sign_with_seed(seed, b, fp, copied.body_bytes()))
    if a.public == b.public:
        return
    try:
        verify_ballot(fp, k, forged, shape)
    except CryptoError as exc:
        assert exc.code == "ballot.proof_invalid"
    else:
        raise AssertionError("copied ballot verified under another credential")


@st.composite
def ceremonies(draw: st.DrawFn) -> tuple[int, int, bytes, list[list[int]]]:
    n = draw(st.integers(min_value=2, max_value=5))
    k = draw(st.integers(min_value=2, max_value=n))
    seed = draw(st.binary(min_size=4, max_size=8))
    votes = draw(st.lists(st.integers(min_value=0, max_value=2), min_size=1, max_size=6))
    counts = [[votes.count(o) for o in range(3)]]
    return n, k, seed, counts


@settings(max_examples=20, deadline=None)
@given(params=ceremonies())
def test_any_k_of_n_shares_decrypt_and_k_minus_1_do_not(
    params: tuple[int, int, bytes, list[list[int]]],
) -> None:
    n, k, seed, counts = params
    lc = run_ceremony_for_tests("prop", n, k, seed=seed)
    fp = hashlib.sha256(seed).digest()
    # Encrypted tally with the expected counts (built directly: ballots are tested elsewhere).
    tally = tuple(
        tuple(
            encrypt_with_nonce(lc.joint_key, c, Scalar.from_int(3 + 5 * o + 11 * q))
            for o, c in enumerate(row)
        )
        for q, row in enumerate(counts)
    )
    total = sum(counts[0])
    shares = [
        partial_decrypt_with_seed(
            seed, fp, i, lc.secret_shares[i - 1], tally, ballot_count=total, min_ballots=0
        )
        for i in range(1, n + 1)
    ]
    results = set()
    for subset in itertools.combinations(range(1, n + 1), k):
        picked = [shares[i - 1] for i in subset]
        res = combine_decryption_shares(fp, tally, picked, lc.verification_keys, k, total)
        results.add(res.counts)
    assert results == {tuple(tuple(r) for r in counts)}

    fewer = list(range(1, k))  # k - 1 trustees
    picked = [shares[i - 1] for i in fewer]
    try:
        combine_decryption_shares(fp, tally, picked, lc.verification_keys, k, total)
    except NotEnoughSharesError:
        pass
    else:
        raise AssertionError("k-1 shares were accepted")
    # Forcing the combination with k-1 shares interpolates the wrong polynomial: the result is
    # a random group element, not a small multiple of G.
    wrong = _combine_raw(tally[0][0], picked, fewer)
    try:
        discrete_log(wrong, 10_000)
    except DlogOutOfRangeError:
        return
    raise AssertionError("k-1 shares decrypted")


def _combine_raw(ct: Ciphertext, picked: list[DecryptionShare], subset: list[int]) -> Point:
    acc = Point.identity()
    for sh, i in zip(picked, subset, strict=True):
        acc = acc + sh.shares[0][0] * lagrange_coefficient(i, subset)
    return ct.beta - acc
