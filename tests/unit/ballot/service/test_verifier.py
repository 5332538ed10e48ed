"""The record verifier on in-process records: what each kind of tampering is reported as."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient

from ballot.domain.board import Entry
from ballot.harness import ElectionDriver
from ballot.verifier import read_ndjson, verify_record
from helpers import MutableClock
from shared.audit import public_key_pem


@pytest.fixture
def record(open_election: ElectionDriver, client: TestClient, clock: MutableClock) -> list[Any]:
    d = open_election
    for i, code in enumerate(d.codes[:4]):
        assert d.cast(d.make_ballot(code, (i % 3, 2))).status_code == 201
    clock.advance(hours=5)
    d.organiser("close")
    d.decrypt([1, 2])
    return read_ndjson(client.get(d.url("/record")).text.splitlines())


def codes(lines: list[Any], **kwargs: Any) -> set[str]:
    return {f.code for f in verify_record(lines, **kwargs).report.findings}


def rechain(lines: list[Any]) -> list[Any]:
    out, prev = [], None
    for line in lines:
        if line["type"] == "entry":
            e = Entry.make(line["election"], line["seq"], line["kind"], line["body"], prev)
            prev = e.hash
            out.append(e.to_line())
        else:
            out.append(line)
    return out


def test_the_untouched_record_verifies(record: list[Any]) -> None:
    v = verify_record(record)
    assert v.report.ok and v.report.status == "decrypted" and v.report.counted == 4
    assert v.report.sealed_seq == v.report.head_seq


def test_a_pinned_board_key_must_be_the_one_that_signed(record: list[Any]) -> None:
    other = public_key_pem(Ed25519PrivateKey.generate().public_key()).encode()
    assert {"record.board_key_mismatch", "record.checkpoint_invalid"} <= codes(
        record, board_key_pem=other
    )


def test_since_detects_a_rewritten_history(record: list[Any]) -> None:
    fifth = next(x for x in record if x["type"] == "entry" and x["seq"] == 5)
    assert verify_record(record, since=(5, fifth["hash"])).report.ok
    assert "record.history_rewritten" in codes(record, since=(5, "ab" * 32))


def test_a_finished_election_must_be_sealed_at_its_last_entry(record: list[Any]) -> None:
    assert record[-1]["type"] == "checkpoint"
    assert "record.unsealed_head" in codes(record[:-1])


def test_a_duplicated_line_is_named(record: list[Any]) -> None:
    i = next(n for n, x in enumerate(record) if x.get("kind") == "ballot.cast")
    assert "record.duplicate_entry" in codes([*record[: i + 1], record[i], *record[i + 1 :]])


def test_a_rewritten_result_is_caught_even_with_a_recomputed_chain(record: list[Any]) -> None:
    forged = copy.deepcopy(record)
    result = next(x for x in forged if x.get("kind") == "tally.result")
    result["body"]["counts"][0] = [0, 0, 4, 0]
    found = codes(rechain(forged))
    assert {"ballot.result_mismatch", "record.checkpoint_mismatch"} <= found


def test_a_ballot_slipped_in_after_closing_is_caught(record: list[Any]) -> None:
    forged = copy.deepcopy(record)
    ballot = next(x for x in forged if x.get("kind") == "ballot.cast")
    closed = next(n for n, x in enumerate(forged) if x.get("kind") == "election.closed")
    forged.insert(closed + 1, copy.deepcopy(ballot))
    seq = 0
    for line in forged:
        if line["type"] == "entry":
            seq += 1
            line["seq"] = seq
    found = codes(rechain(forged))
    assert "ballot.wrong_state" in found
