"""Edge findings of the fuzzing run: integer parameters bounded, duplicate JSON keys refused.

Before: ``GET …/record?after=2^63`` answered 200 and wrote a 12 KB traceback per anonymous
request (the overflow happened inside the streamed body); a public ballot whose JSON carried a
bogus ``credential`` followed by the real one was counted (``json.loads`` keeps the last key).
"""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ballot.harness import ElectionDriver

PROBLEM = "application/problem+json"


def assert_invalid(response: Any) -> dict[str, Any]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body: dict[str, Any] = response.json()
    assert body["code"] == "request.invalid" and body["title"]
    return body


@pytest.mark.parametrize(
    "query",
    [
        {"after": str(2**63)},
        {"after": str(2**64 + 1)},
        {"after": str(2**31)},
        {"after": "-1"},
        {"limit": "0"},
        {"limit": str(2**63)},
        {"after": "1e3"},
    ],
)
def test_record_integer_parameters_are_bounded_at_the_schema(
    open_election: ElectionDriver,
    client: TestClient,
    caplog: pytest.LogCaptureFixture,
    query: dict[str, str],
) -> None:
    with caplog.at_level(logging.DEBUG):
        assert_invalid(client.get(open_election.url("/record"), params=query))
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


def test_record_pages_still_work_within_the_bounds(
    open_election: ElectionDriver, client: TestClient
) -> None:
    url = open_election.url("/record")
    full = [json.loads(x) for x in client.get(url).text.splitlines()]
    tail = client.get(url, params={"after": 3, "limit": 2})
    assert tail.status_code == 200
    seqs = [json.loads(x)["seq"] for x in tail.text.splitlines() if '"entry"' in x]
    assert seqs == [4, 5]
    past_the_end = client.get(url, params={"after": 2_147_483_647})
    assert past_the_end.status_code == 200 and past_the_end.text == ""
    assert past_the_end.headers["x-board-head"].startswith(f"{full[-2]['seq']}:")


def with_duplicate(data: dict[str, Any], key: str, first: Any) -> str:
    """The JSON text of ``data`` with ``key`` appearing twice: ``first``, then the real value."""
    real = json.dumps(data)
    needle = f'"{key}": '
    at = real.index(needle)
    return real[:at] + needle + json.dumps(first) + ", " + real[at:]


def test_a_ballot_with_a_duplicated_credential_key_is_refused_and_not_counted(
    open_election: ElectionDriver, client: TestClient
) -> None:
    d = open_election
    data = d.make_ballot(d.codes[0], (0, 1)).to_dict()
    bogus = d.make_ballot(d.codes[1], (0, 1)).to_dict()["credential"]
    raw = with_duplicate(data, "credential", bogus)
    assert json.loads(raw) == data  # what a last-key-wins parser reads: the genuine ballot
    r = client.post(d.url("/ballots"), content=raw, headers={"Content-Type": "application/json"})
    body = assert_invalid(r)
    assert "credential" in json.dumps(body, ensure_ascii=False)
    assert client.get(d.url()).json()["ballots"] == 0
    assert d.cast(data).status_code == 201  # the same ballot, sent cleanly, is accepted


def test_duplicate_keys_and_non_standard_numbers_are_refused_on_every_ballot_route(
    open_election: ElectionDriver, client: TestClient
) -> None:
    d = open_election
    organiser = d.headers("ballot_organiser")
    for path, raw, headers in [
        ("", '{"unit": "SNV", "unit": "SXD"}', organiser),
        ("/ballots", '{"format": "congvu/v1/ballot", "answers": [{"a": 1, "a": 2}]}', {}),
        ("/ballots", '{"format": NaN}', {}),
        ("/ballots", '{"format": Infinity}', {}),
    ]:
        r = client.post(
            d.url(path) if path else "/v1/ballot/elections",
            content=raw,
            headers={**headers, "Content-Type": "application/json"},
        )
        assert_invalid(r)


def test_strict_loads_accepts_ordinary_json() -> None:
    from ballot.entrypoints.api.strict_json import strict_loads

    assert strict_loads(b'{"a": [1, {"b": 2.5}], "c": "\\u0111"}') == {
        "a": [1, {"b": 2.5}],
        "c": "đ",
    }
    with pytest.raises(json.JSONDecodeError, match="duplicate JSON key"):
        strict_loads('{"a": 1, "a": 1}')
