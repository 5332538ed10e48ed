"""The batch index of the cast group commit: in-batch visibility and the order of refusals."""

from __future__ import annotations

from typing import Any, cast

import pytest

from ballot.application.casting import CastBatch
from ballot.domain.ballots import AUDITED_OWNER, CastBallot
from ballot.domain.board import Entry
from ballot.domain.errors import BallotError


def _cast(credential: str, tracker: str, *alphas: str) -> CastBallot:
    return CastBallot(cast(Any, None), tracker, credential, alphas)


class _Store:
    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []

    def __getattr__(self, name: str) -> Any:
        return lambda tx, *args: self.calls.append((name, args[-1]))


def _batch(store: Any, owners: dict[str, str] | None = None) -> CastBatch:
    return CastBatch(store, "e1", {"c1", "c2"}, {"old"}, dict(owners or {}))


def _code(batch: CastBatch, ballot: CastBallot) -> str:
    with pytest.raises(BallotError) as err:
        batch.admit(ballot)
    return err.value.code


def test_each_ballot_sees_the_ones_before_it_in_the_same_batch() -> None:
    store = _Store()
    batch = _batch(store)
    first = _cast("c1", "t1", "a1", "a2")
    batch.admit(first)
    batch.record(Entry("e1", 5, "ballot", {}, None, "h5"), first)
    assert _code(batch, _cast("c1", "t1", "a1", "a2")) == "ballot.replay"
    assert _code(batch, _cast("c2", "t2", "a2", "a3")) == "ballot.duplicate_ciphertext"
    revote = _cast("c1", "t3", "a1", "a4")  # the same credential may reuse its own α
    batch.admit(revote)
    batch.record(Entry("e1", 6, "ballot", {}, "h5", "h6"), revote)
    batch.flush(cast(Any, None))
    written = dict(store.calls)
    assert [e.seq for e in written["insert_entries"]] == [5, 6]
    assert written["insert_alpha_rows"] == [("a1", "c1"), ("a2", "c1"), ("a4", "c1")]
    assert written["insert_tracker_rows"] == [("t1", 5, "c1"), ("t3", 6, "c1")]
    assert written["set_last_seqs"] == [("c1", 6)]  # the last ballot of a credential counts
    store.calls.clear()
    batch.flush(cast(Any, None))
    assert store.calls == []  # nothing written twice


def test_refusals_keep_the_order_of_the_rules() -> None:
    batch = _batch(_Store(), {"x": AUDITED_OWNER, "y": "c2"})
    assert _code(batch, _cast("c9", "old", "x")) == "ballot.unknown_credential"
    assert _code(batch, _cast("c1", "old", "x")) == "ballot.replay"
    assert _code(batch, _cast("c1", "t", "y", "x")) == "ballot.audited"
    assert _code(batch, _cast("c1", "t", "y")) == "ballot.duplicate_ciphertext"
    batch.admit(_cast("c2", "t", "y"))
