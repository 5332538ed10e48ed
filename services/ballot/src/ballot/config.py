"""Settings of the ballot service from ``BALLOT_*`` environment variables (never at import)."""

from __future__ import annotations

from pathlib import Path

from pydantic import model_validator
from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class BallotSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="BALLOT_", extra="ignore", frozen=True)

    sqlite_path: Path = Path("var/ballot.sqlite")
    events_topic: str = "ballot.events.v1"
    position_topic: str = "ballot.relay-position"
    relay_transactional_id: str = "ballot-relay"
    relay_batch_size: int = 200
    relay_poll_seconds: float = 0.5
    board_key_file: Path | None = None
    """Ed25519 PEM that signs board checkpoints; outside the database. Created in embedded mode."""
    checkpoint_every: int = 100
    """Sign a checkpoint every this many entries (always at open, close and result)."""
    database_pool_size: int = 8

    @model_validator(mode="after")
    def _production_needs_key(self) -> BallotSettings:
        if self.mode == "production" and self.board_key_file is None:
            raise ValueError("board_key_file (BALLOT_BOARD_KEY_FILE) is required in production")
        return self
