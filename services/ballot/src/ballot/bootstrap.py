"""Composition root of the ballot service: database, board key, service, relay source.

``build_ballot`` is what both the standalone API (``create_app``) and the embedded one-process
server call; nothing is built at import time.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ballot.adapters.relay import BoardSource
from ballot.application.service import BallotService, Clock
from ballot.config import BallotSettings
from shared.audit import CheckpointSigner
from shared.relay import Relay, RelayTarget
from shared.sql import Database, PostgresDatabase, SqliteDatabase, check_when_suspect


def load_or_create_board_key(path: Path, *, create: bool) -> CheckpointSigner:
    """The board's checkpoint key: an Ed25519 PEM file outside the database (mode 0600)."""
    return CheckpointSigner.load_or_create(path, create=create, what="ballot board key")


@dataclass
class BallotModule:
    """Everything the ballot service owns in one process."""

    service: BallotService
    db: Database
    settings: BallotSettings

    @property
    def source(self) -> BoardSource:
        return BoardSource(self.service.store)

    def relay(self, target: RelayTarget) -> Relay:
        """A relay of the published lifecycle/result entries to ``target`` (Kafka or a bus)."""
        relay = Relay(
            self.source,
            target,
            batch_size=self.settings.relay_batch_size,
            poll_seconds=self.settings.relay_poll_seconds,
        )
        self.service.add_publish_listener(relay.wake)
        return relay

    def close(self) -> None:
        self.db.close()


def open_ballot_database(settings: BallotSettings) -> Database:
    if settings.database_url is not None:
        # a pooled connection is pinged only when its socket shows the server went (one
        # round trip less per cast batch)
        return PostgresDatabase(
            settings.database_url.get_secret_value(),
            max_size=settings.database_pool_size,
            check=check_when_suspect,
        )
    return SqliteDatabase(Path(settings.sqlite_path))


def build_ballot(
    settings: BallotSettings | None = None,
    *,
    clock: Clock | None = None,
    signer: CheckpointSigner | None = None,
) -> BallotModule:
    """Open the database, load (or in embedded mode create) the board key, create tables."""
    settings = settings or BallotSettings()
    if signer is None:
        key_file = settings.board_key_file or Path(settings.sqlite_path).parent / (
            "keys/ballot-board-key.pem"
        )
        signer = load_or_create_board_key(Path(key_file), create=settings.mode == "embedded")
    db = open_ballot_database(settings)
    service = BallotService(db, signer, clock=clock, checkpoint_every=settings.checkpoint_every)
    try:
        service.start()
    except Exception:
        db.close()
        raise
    return BallotModule(service, db, settings)
