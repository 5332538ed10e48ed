"""A whole election through the HTTP API on SQLite: lifecycle, revote, result, record."""

from __future__ import annotations

from fastapi.testclient import TestClient

from ballot.harness import ElectionDriver
from ballot.verifier import read_ndjson, verify_record
from helpers import MutableClock


def test_whole_election_gives_the_result_with_quorum_and_flags(
    open_election: ElectionDriver, client: TestClient, clock: MutableClock
) -> None:
    d = open_election
    # person 0: 3 × low confidence, 1 × high; person 1: 2 high, 1 confidence, 1 blank
    votes = [(2, 0), (2, 0), (2, 1), (0, 3)]
    receipts = []
    for code, choices in zip(d.codes, votes, strict=False):
        r = d.cast(d.make_ballot(code, choices))
        assert r.status_code == 201, r.text
        assert "set-cookie" not in r.headers
        receipts.append(r.json()["tracker"])
    # voter 0 changes their mind: the last ballot of a credential counts
    r = d.cast(d.make_ballot(d.codes[0], (1, 0)))
    assert r.status_code == 201
    first = client.get(d.url(f"/trackers/{receipts[0]}")).json()
    assert first["superseded"] and not first["counted"]
    clock.advance(hours=5)
    closed = d.organiser("close")
    assert closed == {
        "status": "closed",
        "ballots": 5,
        "audited": 0,
        "counted": 4,
        "decryptable": True,
    }
    answers = d.decrypt([1, 3])
    assert answers[-1]["status"] == "decrypted"
    result = client.get(d.url("/result")).json()
    assert result["counts"] == [[1, 1, 2, 0], [2, 1, 0, 1]]
    assert result["used"] == [1, 3] and result["excluded"] == []
    report = result["report"]
    assert report["quorum"] == {"fraction": "2/3", "participants": 4, "required": 4, "met": True}
    p0, p1 = report["persons"]
    assert p0["returned"] == 4 and p0["valid"] == 4 and p0["invalid"] == 0
    assert [lv["count"] for lv in p0["levels"]] == [1, 1, 2]
    assert [lv["percent"] for lv in p0["levels"]] == ["25.00", "25.00", "50.00"]
    assert not p0["low_over_half"] and not p0["low_at_least_two_thirds"]
    assert p1["invalid"] == 1 and p1["valid"] == 3
    lines = read_ndjson(client.get(d.url("/record")).text.splitlines())
    verified = verify_record(lines)
    assert verified.report.ok, verified.report.findings
    assert verified.report.counted == 4 and verified.report.ballots == 5
    assert verified.state is not None and verified.state.result is not None


def test_concurrent_casts_and_replays_are_each_decided_once(
    open_election: ElectionDriver, client: TestClient
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    d = open_election
    ballots = [d.make_ballot(code, (i % 3, 1)) for i, code in enumerate(d.codes)]
    with ThreadPoolExecutor(8) as pool:  # every ballot sent twice at once
        responses = list(pool.map(d.cast, [b for b in ballots for _ in (0, 1)]))
    codes = sorted(r.json().get("code", "accepted") for r in responses)
    assert codes == ["accepted"] * 6 + ["ballot.replay"] * 6
    lines = read_ndjson(client.get(d.url("/record")).text.splitlines())
    verified = verify_record(lines)
    assert verified.report.ok and verified.report.ballots == 6
