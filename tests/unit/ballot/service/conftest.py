"""Fixtures of the ballot service unit tests: SQLite in a temp dir, the tests' token issuer,
a clock the tests move, and a driver that plays trustees, the credential authority and voters."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ballot.bootstrap import BallotModule, build_ballot
from ballot.config import BallotSettings
from ballot.entrypoints.api.app import create_app
from ballot.harness import ElectionDriver, Trustee, election_request
from helpers import TEST_ISSUER, MutableClock, headers

TENANT = "dong-nai"
SUBJECTS = {
    "ballot_organiser": "tccb.organiser",
    "trustee": "tt.trustee",
    "credential_authority": "ca.officer",
}


def role_headers(role: str, tenant: str = TENANT) -> dict[str, str]:
    return headers(tenant=tenant, subject=SUBJECTS.get(role, role), role=role, unit="SNV")


@pytest.fixture
def module(tmp_path: Path, clock: MutableClock) -> Iterator[BallotModule]:
    settings = BallotSettings(
        mode="embedded",
        sqlite_path=tmp_path / "ballot.sqlite",
        board_key_file=tmp_path / "keys" / "board.pem",
        checkpoint_every=5,
    )
    module = build_ballot(settings, clock=clock)
    yield module
    module.close()


@pytest.fixture
def client(module: BallotModule) -> Iterator[TestClient]:
    app = create_app(module, verifier=TEST_ISSUER.verifier())
    with TestClient(app) as c:
        yield c


@pytest.fixture
def driver(client: TestClient) -> ElectionDriver:
    return ElectionDriver(client, role_headers, [Trustee.generate(i) for i in (1, 2, 3)])


@pytest.fixture
def open_election(driver: ElectionDriver, clock: MutableClock) -> ElectionDriver:
    """A 2-of-3 confidence vote on two people, 6 summoned, minimum 3 ballots, open now."""
    request = election_request(
        driver.trustees,
        summoned=6,
        threshold=2,
        opens_at=clock.now - timedelta(minutes=5),
        persons=(("Nguyễn Văn An", "Giám đốc Sở"), ("Trần Thị Bình", "Phó Giám đốc Sở")),
        min_ballots=3,
    )
    driver.setup_open(request, voters=6)
    return driver


@pytest.fixture
def as_role() -> Callable[..., dict[str, str]]:
    """``as_role(role, tenant=...)`` → headers with a bearer token of that role."""
    return role_headers
