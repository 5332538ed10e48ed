"""The ballot service's PostgreSQL pool pings a pooled connection only when it is suspect
(``shared.sql.check_when_suspect``, tested in ``tests/integration/assessment/test_pool_check``):
no round trip per check-out, so one less per cast batch."""

from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr

from ballot.bootstrap import build_ballot, load_or_create_board_key
from ballot.config import BallotSettings
from shared.sql import PostgresDatabase, check_when_suspect


def test_the_ballot_pool_uses_the_suspect_check(pg_url: str, tmp_path: Path) -> None:
    key = tmp_path / "board.pem"
    load_or_create_board_key(key, create=True)
    module = build_ballot(
        BallotSettings(mode="production", database_url=SecretStr(pg_url), board_key_file=key)
    )
    try:
        assert isinstance(module.db, PostgresDatabase)
        assert module.db._pool._check is check_when_suspect
        with module.db.transaction() as tx:  # and it serves
            assert tx.fetchone("SELECT 1") == (1,)
    finally:
        module.close()
