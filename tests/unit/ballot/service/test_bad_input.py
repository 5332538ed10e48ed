"""Every bad input gets its own clear problem+json error and changes nothing stored."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ballot.bootstrap import BallotModule
from ballot.crypto import (
    Ballot,
    Point,
    Scalar,
    derive_credential,
    generate_code,
    partial_decrypt,
    sign,
)
from ballot.crypto.group import ORDER
from ballot.crypto.testing import make_ballot_with_seed
from ballot.harness import ElectionDriver, dump_tables, election_request
from helpers import MutableClock

PROBLEM = "application/problem+json"


@pytest.fixture
def unchanged(module: BallotModule) -> Iterator[Callable[[], None]]:
    before: dict[str, Any] = {}

    def snapshot() -> None:
        before.clear()
        before.update(dump_tables(module.db))

    yield snapshot
    assert before, "the test must take a snapshot"
    assert dump_tables(module.db) == before, "a refused request changed stored rows"


def assert_problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    assert body["code"] == code and body["status"] == status
    assert body["type"].endswith(code) and body["title"]
    return dict(body)


def a_ballot(d: ElectionDriver, voter: int = 0, choices: tuple[int, ...] = (0, 1)) -> Ballot:
    return d.make_ballot(d.codes[voter], choices)


def test_tampered_proof_is_refused(
    open_election: ElectionDriver, unchanged: Callable[[], None]
) -> None:
    d = open_election
    data = a_ballot(d).to_dict()
    z0 = Scalar.from_hex(data["answers"][0]["options"][1]["z0"])
    data["answers"][0]["options"][1]["z0"] = (z0 + Scalar.one()).hex()
    unchanged()
    # altered in transit: the credential signature over the body no longer holds
    assert_problem(d.cast(data), 422, "ballot.signature_invalid")
    # altered by the voter, who signs again: the 0/1 proof itself fails, and is located
    tampered = Ballot.from_dict(data)
    voter = derive_credential(d.codes[0], d.election_id)
    resigned = Ballot(
        tampered.election_fingerprint,
        tampered.credential,
        tampered.answers,
        sign(voter, tampered.election_fingerprint, tampered.body_bytes()),
    )
    body = assert_problem(d.cast(resigned), 422, "ballot.proof_invalid")
    assert body["kind"] == "cds" and body["question"] == 0 and body["option"] == 1


def test_unknown_credential_is_refused(
    open_election: ElectionDriver, unchanged: Callable[[], None]
) -> None:
    ballot = open_election.make_ballot(generate_code(), (0, 0))
    unchanged()
    assert_problem(open_election.cast(ballot), 403, "ballot.unknown_credential")


def test_ballot_copied_and_resigned_under_another_credential_is_refused(
    open_election: ElectionDriver, unchanged: Callable[[], None]
) -> None:
    d = open_election
    original = a_ballot(d, 0)
    assert d.cast(original).status_code == 201
    thief = derive_credential(d.codes[1], d.election_id)  # a listed credential
    body = Ballot(original.election_fingerprint, thief.public, original.answers, original.signature)
    stolen = Ballot(
        body.election_fingerprint,
        thief.public,
        body.answers,
        sign(thief, body.election_fingerprint, body.body_bytes()),
    )
    unchanged()
    assert_problem(d.cast(stolen), 422, "ballot.proof_invalid")


def test_same_ciphertexts_under_two_credentials_are_refused(
    open_election: ElectionDriver, unchanged: Callable[[], None]
) -> None:
    d = open_election
    m = d.manifest
    fp, key = bytes.fromhex(m["fingerprint"]), Point.from_hex(m["manifest"]["joint_key"])
    creds = [derive_credential(c, d.election_id) for c in d.codes[:2]]
    seed = b"the same nonces twice"
    first, second = (
        make_ballot_with_seed(seed, fp, key, c, (1, 1), m["option_counts"]) for c in creds
    )
    assert first.answers[0].ciphertexts == second.answers[0].ciphertexts
    assert d.cast(first).status_code == 201
    unchanged()
    assert_problem(d.cast(second), 409, "ballot.duplicate_ciphertext")


def test_replayed_ballot_is_refused_with_its_tracker(
    open_election: ElectionDriver, unchanged: Callable[[], None]
) -> None:
    d = open_election
    ballot = a_ballot(d)
    assert d.cast(ballot).status_code == 201
    d.cast(a_ballot(d, 0, (1, 1)))  # a revote: replaying the first one must not undo it
    unchanged()
    body = assert_problem(d.cast(ballot), 409, "ballot.replay")
    assert body["tracker"] == ballot.tracker()


@pytest.mark.parametrize("when", ["before", "after"])
def test_ballot_outside_the_window_is_refused(
    open_election: ElectionDriver, clock: MutableClock, unchanged: Callable[[], None], when: str
) -> None:
    ballot = a_ballot(open_election)
    clock.advance(minutes=-10) if when == "before" else clock.advance(hours=4)
    unchanged()
    body = assert_problem(open_election.cast(ballot), 409, "ballot.outside_window")
    assert body["opens_at"] < body["closes_at"]


def _non_canonical_variants(data: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    def edit(field: str, value: str) -> dict[str, Any]:
        out = copy.deepcopy(data)
        out["answers"][0]["options"][0][field] = value
        return out

    alpha = bytearray.fromhex(data["answers"][0]["options"][0]["alpha"])
    alpha[31] |= 0x80  # the same point with the top bit set (libsodium 1.0.18 accepts it)
    yield "point top bit", edit("alpha", alpha.hex())
    yield "invalid point (odd s)", edit("beta", "01" + "00" * 31)
    z0 = Scalar.from_hex(data["answers"][0]["options"][0]["z0"]).to_int()
    yield "scalar + ℓ", edit("z0", (z0 + ORDER).to_bytes(32, "little").hex())
    yield "uppercase hex", edit("c0", data["answers"][0]["options"][0]["c0"].upper())


def test_non_canonical_point_and_scalar_encodings_are_refused(
    open_election: ElectionDriver, unchanged: Callable[[], None]
) -> None:
    data = a_ballot(open_election).to_dict()
    unchanged()
    for name, variant in _non_canonical_variants(data):
        r = open_election.cast(variant)
        assert r.status_code == 422, name
        assert_problem(r, 422, "ballot.non_canonical_encoding")


def test_wrong_number_of_options_is_refused(
    open_election: ElectionDriver, unchanged: Callable[[], None]
) -> None:
    d = open_election
    m = d.manifest
    ballot = make_ballot_with_seed(
        b"three options",
        bytes.fromhex(m["fingerprint"]),
        Point.from_hex(m["manifest"]["joint_key"]),
        derive_credential(d.codes[0], d.election_id),
        (0, 0),
        (3, 4),  # the election has 4 options per person (3 levels + blank)
    )
    unchanged()
    body = assert_problem(d.cast(ballot), 422, "ballot.wrong_option_count")
    assert body["question"] == 0


def test_too_few_ballots_to_decrypt_are_refused(
    open_election: ElectionDriver, clock: MutableClock, unchanged: Callable[[], None]
) -> None:
    d = open_election
    for voter in range(2):  # minimum is 3
        assert d.cast(a_ballot(d, voter)).status_code == 201
    clock.advance(hours=5)
    assert d.organiser("close")["decryptable"] is False
    state = d.verified().state
    assert state is not None and state.tally is not None and state.fingerprint is not None
    t = d.trustees[0]
    assert t.secret is not None
    # a trustee whose software skipped the check: the board refuses anyway
    share = partial_decrypt(
        state.fingerprint, 1, t.secret, state.tally, ballot_count=2, min_ballots=0
    )
    unchanged()
    r = d.client.post(
        d.url("/decryption"), json={"share": share.to_dict()}, headers=d.headers("trustee")
    )
    assert_problem(r, 409, "ballot.below_minimum")


def test_bad_trustee_share_is_named_refused_and_k_good_shares_decrypt(
    open_election: ElectionDriver, client: TestClient, clock: MutableClock, module: BallotModule
) -> None:
    d = open_election
    for voter in range(4):
        assert d.cast(a_ballot(d, voter, (voter % 3, 2))).status_code == 201
    clock.advance(hours=5)
    d.organiser("close")
    state = d.verified().state
    assert state is not None and state.tally is not None and state.fingerprint is not None
    liar = d.trustees[1]
    assert liar.secret is not None
    forged = partial_decrypt(  # trustee 2 decrypts with a wrong secret
        state.fingerprint, 2, liar.secret + Scalar.one(), state.tally, ballot_count=4, min_ballots=3
    )
    before = dump_tables(module.db)
    r = client.post(
        d.url("/decryption"), json={"share": forged.to_dict()}, headers=d.headers("trustee")
    )
    body = assert_problem(r, 422, "ballot.share_invalid")
    assert body["trustee"] == 2
    assert dump_tables(module.db) == before
    d.decrypt([1, 3])  # k = 2 good shares remain
    result = client.get(d.url("/result")).json()
    assert result["used"] == [1, 3]
    assert result["counts"][1] == [0, 0, 4, 0]


def test_cast_before_the_election_opens_is_a_state_problem(
    driver: ElectionDriver, clock: MutableClock
) -> None:
    d = driver
    d.create(election_request(d.trustees, summoned=3, threshold=2, opens_at=clock.now))
    r = d.client.post(d.url("/ballots"), json={"format": "x"})
    assert_problem(r, 409, "ballot.wrong_state")


def test_cast_after_close_is_a_state_problem(
    open_election: ElectionDriver, clock: MutableClock, unchanged: Callable[[], None]
) -> None:
    d = open_election
    ballot = a_ballot(d)
    clock.advance(hours=5)
    d.organiser("close")
    clock.advance(hours=-5)  # even back inside the window: the board is closed
    unchanged()
    assert_problem(d.cast(ballot), 409, "ballot.wrong_state")


def test_malformed_ballot_is_refused(
    open_election: ElectionDriver, unchanged: Callable[[], None]
) -> None:
    data = a_ballot(open_election).to_dict()
    data["extra"] = 1
    unchanged()
    assert_problem(open_election.cast(data), 422, "ballot.malformed")
    r = open_election.client.post(
        open_election.url("/ballots"),
        content=b"not json",
        headers={"Content-Type": "application/json"},
    )
    assert_problem(r, 422, "request.invalid")
