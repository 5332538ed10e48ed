"""A vote below quorum is invalid everywhere it is shown, and raises no consequence flag.

Before: the result of a 3-of-6 vote (quorum 4) was published with ``status: decrypted``, the
low-confidence flags set, and ``ballot-verify`` printed "quorum met = False" then
"HỢP LỆ / VALID".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from ballot.cli.verify import app as verify_app
from ballot.harness import ElectionDriver
from ballot.verifier import read_ndjson, verify_record
from helpers import MutableClock


def finish(d: ElectionDriver, clock: MutableClock, votes: int) -> dict[str, Any]:
    for code in d.codes[:votes]:  # everyone votes "low" on person 1
        assert d.cast(d.make_ballot(code, (2, 0))).status_code == 201
    clock.advance(hours=5)
    d.organiser("close")
    d.decrypt([1, 2])
    result: dict[str, Any] = d.client.get(d.url("/result")).json()
    return result


def verify_cli(client: TestClient, d: ElectionDriver, tmp_path: Path) -> tuple[int, str]:
    path = tmp_path / "record.ndjson"
    path.write_text(client.get(d.url("/record")).text)
    out = CliRunner().invoke(verify_app, [str(path)])
    return out.exit_code, out.output


def test_below_quorum_the_vote_is_invalid_in_result_record_verifier_and_page(
    open_election: ElectionDriver, client: TestClient, clock: MutableClock, tmp_path: Path
) -> None:
    d = open_election
    result = finish(d, clock, votes=3)  # 6 summoned, 2/3 → 4 needed
    report = result["report"]
    assert report["quorum"] == {"fraction": "2/3", "participants": 3, "required": 4, "met": False}
    assert report["valid"] is False and report["invalid_reason"] == "quorum_not_met"
    for person in report["persons"]:  # 3 of 3 "low" on person 1, yet no consequence flag
        assert person["low_over_half"] is None and person["low_at_least_two_thirds"] is None
    assert result["counts"][0] == [0, 0, 3, 0]  # the count itself stays verifiable
    assert client.get(d.url()).json()["vote_valid"] is False

    record = read_ndjson(client.get(d.url("/record")).text.splitlines())
    on_board = next(x for x in record if x.get("kind") == "tally.result")
    assert on_board["body"]["report"]["valid"] is False
    verified = verify_record(record).report
    assert verified.ok and verified.vote_valid is False
    assert verified.to_dict()["vote_valid"] is False

    code, out = verify_cli(client, d, tmp_path)
    assert code == 0, out
    assert "VOTE INVALID" in out and "không đủ túc số" in out
    assert "/ VALID" not in out and "HỢP LỆ: bản ghi và kết quả" not in out

    page = client.get(f"/bo-phieu/{d.election_id}").text
    assert "KHÔNG HỢP LỆ vì không đủ số người tham gia" in page and "3/6" in page


def test_at_quorum_the_vote_is_valid_and_flags_are_published(
    open_election: ElectionDriver, client: TestClient, clock: MutableClock, tmp_path: Path
) -> None:
    d = open_election
    report = finish(d, clock, votes=4)["report"]
    assert report["valid"] is True and report["invalid_reason"] is None
    assert report["persons"][0]["low_over_half"] is True
    assert report["persons"][1]["low_over_half"] is False
    code, out = verify_cli(client, d, tmp_path)
    assert code == 0 and "HỢP LỆ: bản ghi và kết quả kiểm chứng được, đủ túc số" in out
    assert "kết quả đã được công bố" in client.get(f"/bo-phieu/{d.election_id}").text
