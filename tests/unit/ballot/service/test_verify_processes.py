"""Proofs checked in worker processes answer exactly as in the request's thread.

Same ``BoardBallot`` for a good ballot, the same ``BallotError`` (code, titles, detail, extra)
for a tampered one, and a worker that dies is replaced: the ballot being checked is checked
in the caller's thread, never refused for it. After ``close`` the ballot is checked in-thread.
"""

from __future__ import annotations

import copy
import secrets
from collections.abc import Iterator
from typing import Any

import pytest

from ballot.application.verifying import InlineVerifier, ProcessVerifier
from ballot.crypto import GENERATOR, Scalar, derive_credential, generate_code, make_ballot
from ballot.domain.errors import BallotError

SHAPE = (4,)


@pytest.fixture(scope="module")
def election() -> tuple[bytes, Any, list[dict[str, Any]]]:
    fingerprint, key = secrets.token_bytes(32), GENERATOR * Scalar.random()
    ballots = [
        make_ballot(fingerprint, key, derive_credential(generate_code(), "e"), (i,), SHAPE)
        for i in range(3)
    ]
    return fingerprint, key, [b.to_dict() for b in ballots]


@pytest.fixture
def workers() -> Iterator[ProcessVerifier]:
    verifier = ProcessVerifier(1)
    verifier.start()
    yield verifier
    verifier.close()


def refusal(verifier: Any, *args: Any) -> tuple[Any, ...]:
    with pytest.raises(BallotError) as caught:
        verifier.verify(*args)
    e = caught.value
    return (type(e), e.code, e.title, e.title_en, e.detail, e.extra, str(e))


def test_same_answers_as_in_the_thread(election: Any, workers: ProcessVerifier) -> None:
    fingerprint, key, bodies = election
    inline = InlineVerifier()
    for body in bodies:
        assert workers.verify(body, fingerprint, key, SHAPE) == inline.verify(
            body, fingerprint, key, SHAPE
        )
    tampered = copy.deepcopy(bodies[0])
    option = tampered["answers"][0]["options"][1]
    option["c0"], option["c1"] = option["c1"], option["c0"]
    wrong_shape = (5,)
    for args in (
        (tampered, fingerprint, key, SHAPE),
        (bodies[1], fingerprint, key, wrong_shape),
        (bodies[1], secrets.token_bytes(32), key, SHAPE),
        ({"format": "?"}, fingerprint, key, SHAPE),
    ):
        assert refusal(workers, *args) == refusal(inline, *args)


def test_a_dead_worker_is_replaced(election: Any, workers: ProcessVerifier) -> None:
    fingerprint, key, bodies = election
    first = workers.verify(bodies[0], fingerprint, key, SHAPE)
    worker = workers._idle.get()
    assert worker is not None and not isinstance(worker, str)
    worker.process.kill()
    worker.process.join()
    workers._idle.put(worker)
    assert workers.verify(bodies[0], fingerprint, key, SHAPE) == first  # in the thread
    again = workers._idle.get()
    assert again is None  # the dead one was dropped; the next take starts a new process
    workers._idle.put(again)
    assert workers.verify(bodies[1], fingerprint, key, SHAPE).tracker != first.tracker
    fresh = workers._idle.get()
    assert fresh is not None and not isinstance(fresh, str) and fresh.process.is_alive()
    assert fresh.process.pid != worker.process.pid
    workers._idle.put(fresh)


def test_closed_checks_in_the_thread(election: Any) -> None:
    fingerprint, key, bodies = election
    verifier = ProcessVerifier(1)
    verifier.start()
    verifier.close()
    assert verifier.verify(bodies[2], fingerprint, key, SHAPE).credential
    with pytest.raises(BallotError):
        verifier.verify({"format": "?"}, fingerprint, key, SHAPE)
