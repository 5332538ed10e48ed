"""The sealer: extends the audit chain over newly stored events and signs checkpoints.

Chain rows live beside the events, in the same database, in their own tables; the signing key
lives outside the database (a file). Only published events (the integration contract) are
chained, so the chain can be verified from the Kafka topic or an NDJSON export alone;
idempotency records, which never leave the service, are skipped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from assessment.adapters.contract_mapping import is_published, to_envelope
from assessment.adapters.event_tags import check_tag
from shared.audit import ChainLink, Checkpoint, CheckpointSigner, link
from shared.envelope import Envelope
from shared.sql import Database, Tx

log = logging.getLogger("congvu.audit")

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS audit_chain (
        position BIGINT PRIMARY KEY, event_id TEXT NOT NULL, aggregate_id TEXT NOT NULL,
        prev_hash TEXT, hash TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS audit_seal_state (
        service TEXT PRIMARY KEY, position BIGINT NOT NULL, head_position BIGINT NOT NULL,
        head_hash TEXT, count BIGINT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS audit_checkpoints (
        service TEXT NOT NULL, position BIGINT NOT NULL, count BIGINT NOT NULL,
        head_hash TEXT NOT NULL, signed_at TEXT NOT NULL, key_id TEXT NOT NULL,
        signature TEXT NOT NULL, PRIMARY KEY (service, position))""",
]


@dataclass(frozen=True)
class Refusal:
    """A store row the sealer will not seal: it was not written by the application."""

    position: int
    aggregate_id: str
    aggregate_version: int
    topic: str
    reason: str  # untagged | wrong_tag


class Sealer:
    def __init__(
        self,
        app: Any,
        db: Database,
        signer: CheckpointSigner | None,
        *,
        service: str = "assessment",
        every_events: int = 1000,
        every_seconds: float = 60.0,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        tag_key: bytes | None = None,
        create_schema: bool = True,
        public_key: Ed25519PublicKey | None = None,
    ) -> None:
        self.app = app
        self.db = db
        self.signer = signer
        # what the API serves at /v1/audit/public-key: the signer's, or a public key file
        # (the API of the compose layout never holds the private key)
        self.public_key = signer.public_key if signer is not None else public_key
        self.service = service
        self.every_events = every_events
        self.every_seconds = every_seconds
        self.clock = clock
        self.tag_key = tag_key
        self.refused: Refusal | None = None
        # what the last seal() committed: (notification position it started after, last
        # notification position it consumed, the published envelopes with their chain fields);
        # the relay in the same process takes these instead of reading and converting again
        self.last_sealed: tuple[int, int, list[Envelope]] | None = None
        # the seal state this sealer last committed: the next seal starts from it without a
        # read of its own (its write transaction still checks it, and re-reads on a mismatch)
        self._committed_state: tuple[int, int, str | None, int] | None = None
        # the last checkpoint's position as the last seal's transaction saw it (0: none yet;
        # None: not known, e.g. no signer): lets the relay skip looking for newer ones
        self.checkpoint_seen: int | None = None
        self._checkpoint_in_tx: int | None = None
        if tag_key is None:
            log.warning(
                "sealer: no event tag key (ASSESSMENT_EVENT_KEY_FILE): rows written by SQL "
                "cannot be told from the application's"
            )
        if create_schema:
            with db.transaction() as tx:
                for statement in SCHEMA:
                    tx.execute(statement)

    def _refuse(self, note: Any, reason: str) -> None:
        refusal = Refusal(
            int(note.id), str(note.originator_id), int(note.originator_version), note.topic, reason
        )
        if refusal != self.refused:
            log.error(
                "sealer: REFUSED store row at position %s (aggregate %s version %s, topic %s): "
                "%s — not sealed, not published; sealing stops here until an operator acts",
                refusal.position,
                refusal.aggregate_id,
                refusal.aggregate_version,
                refusal.topic,
                reason,
            )
        self.refused = refusal

    # ------------------------------------------------------------------ state
    def _state(self, tx: Tx) -> tuple[int, int, str | None, int]:
        """(notification position read, last chained position, head hash, chained count)."""
        row = tx.fetchone(
            "SELECT position, head_position, head_hash, count FROM audit_seal_state "
            "WHERE service = %s",
            (self.service,),
        )
        return (int(row[0]), int(row[1]), row[2], int(row[3])) if row else (0, 0, None, 0)

    def head(self) -> tuple[int, int, str | None, int]:
        with self.db.transaction() as tx:
            return self._state(tx)

    def read_position(self) -> int:
        """How far the notification log is sealed: as the last seal committed or checked it,
        else read from the store."""
        known = self._committed_state
        return known[0] if known is not None else self.head()[0]

    def _last_checkpoint(self, tx: Tx) -> Checkpoint | None:
        row = tx.fetchone(
            "SELECT position, count, head_hash, signed_at, key_id, signature "
            "FROM audit_checkpoints WHERE service = %s ORDER BY position DESC LIMIT 1",
            (self.service,),
        )
        if row is None:
            return None
        return Checkpoint(self.service, int(row[0]), int(row[1]), row[2], row[3], row[4], row[5])

    # ------------------------------------------------------------------ sealing
    def seal(self, limit: int = 1000) -> int:
        """Chain up to ``limit`` more stored notifications; returns how many were read.

        The store is read *before* our write transaction opens: on SQLite the chain tables share
        the event store's file, and holding its write lock while reading through the store's
        own connection would stall every concurrent save until a timeout. If another sealer
        moved the head meanwhile, nothing is written and the next call continues from there.
        """
        self.last_sealed = None
        self.checkpoint_seen = self._checkpoint_in_tx = None
        start, self._committed_state = self._committed_state or self.head(), None
        position, head_position, prev, count = start
        notes = self.app.recorder.select_notifications(
            start=position, limit=limit, inclusive_of_start=False
        )
        rows = []
        sealed_envs: list[Envelope] = []
        accepted = 0
        refusing = False
        for note in notes:
            if self.tag_key is not None:
                problem = check_tag(
                    self.tag_key,
                    note.originator_id,
                    note.originator_version,
                    note.topic,
                    note.state,
                )
                if problem is not None:
                    self._refuse(note, problem)
                    refusing = True
                    break
            accepted += 1
            if not is_published(note.topic):
                continue
            env = to_envelope(self.app.mapper, note)
            lk = link(prev, env)
            rows.append((lk.position, lk.event_id, env.aggregate_id, lk.prev_hash, lk.hash))
            sealed_envs.append(replace(env, prev_hash=lk.prev_hash, hash=lk.hash))
            prev, count, head_position = lk.hash, count + 1, lk.position
        with self.db.transaction() as tx:
            if self._state(tx) != start:
                return 0
            if rows:
                tx.executemany(
                    "INSERT INTO audit_chain (position, event_id, aggregate_id, prev_hash, hash) "
                    "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (position) DO NOTHING",
                    rows,
                )
            notes = notes[:accepted]
            if notes:
                tx.execute(
                    """INSERT INTO audit_seal_state (service, position, head_position, head_hash,
                         count) VALUES (%s, %s, %s, %s, %s) ON CONFLICT (service) DO UPDATE SET
                       position = excluded.position, head_position = excluded.head_position,
                       head_hash = excluded.head_hash, count = excluded.count""",
                    (self.service, int(notes[-1].id), head_position, prev, count),
                )
            self._maybe_checkpoint(tx, head_position, prev, count, force=False)
        committed = (int(notes[-1].id), head_position, prev, count) if notes else start
        self._committed_state = committed
        self.checkpoint_seen = self._checkpoint_in_tx
        if notes:
            # set only once the transaction has committed (an exception above leaves None)
            self.last_sealed = (position, int(notes[-1].id), sealed_envs)
        if not refusing:
            self.refused = None
        return len(notes)

    def _maybe_checkpoint(
        self, tx: Tx, position: int, head: str | None, count: int, *, force: bool
    ) -> Checkpoint | None:
        if self.signer is None or head is None or count == 0:
            return None
        last = self._last_checkpoint(tx)
        self._checkpoint_in_tx = last.position if last is not None else 0
        now = self.clock()
        if last is not None:
            if last.count == count:
                return None
            elapsed = (now - datetime.fromisoformat(last.signed_at)).total_seconds()
            due = count - last.count >= self.every_events or elapsed >= self.every_seconds
            if not (due or force):
                return None
        cp = self.signer.sign(Checkpoint(self.service, position, count, head, now.isoformat(), ""))
        tx.execute(
            """INSERT INTO audit_checkpoints (service, position, count, head_hash, signed_at,
                 key_id, signature) VALUES (%s, %s, %s, %s, %s, %s, %s)
               ON CONFLICT (service, position) DO NOTHING""",
            (
                cp.service,
                cp.position,
                cp.count,
                cp.head_hash,
                cp.signed_at,
                cp.key_id,
                cp.signature,
            ),
        )
        self._checkpoint_in_tx = cp.position
        log.info("checkpoint signed at position %s (%s events)", cp.position, count)
        return cp

    def checkpoint_now(self) -> Checkpoint | None:
        with self.db.transaction() as tx:
            _, head_position, head, count = self._state(tx)
            return self._maybe_checkpoint(tx, head_position, head, count, force=True)

    # ------------------------------------------------------------------ reading
    def links(self, after: int, up_to: int) -> dict[int, ChainLink]:
        with self.db.transaction() as tx:
            rows = tx.fetchall(
                "SELECT position, event_id, prev_hash, hash, aggregate_id FROM audit_chain "
                "WHERE position > %s AND position <= %s",
                (after, up_to),
            )
        return {int(r[0]): ChainLink(int(r[0]), r[1], r[2], r[3], r[4]) for r in rows}

    def all_links(self) -> list[ChainLink]:
        with self.db.transaction() as tx:
            rows = tx.fetchall(
                "SELECT position, event_id, prev_hash, hash, aggregate_id FROM audit_chain "
                "ORDER BY position"
            )
        return [ChainLink(int(r[0]), r[1], r[2], r[3], r[4]) for r in rows]

    def checkpoints(
        self,
        after: int = 0,
        up_to: int | None = None,
        limit: int = 1000,
    ) -> list[Checkpoint]:
        with self.db.transaction() as tx:
            rows = tx.fetchall(
                "SELECT position, count, head_hash, signed_at, key_id, signature "
                "FROM audit_checkpoints WHERE service = %s AND position > %s "
                "AND position <= %s ORDER BY position LIMIT %s",
                (
                    self.service,
                    min(max(after, -1), 2**62),  # bounded: never an integer overflow
                    min(up_to, 2**62) if up_to is not None else 2**62,
                    min(max(limit, 0), 10**9),
                ),
            )
        return [
            Checkpoint(self.service, int(r[0]), int(r[1]), r[2], r[3], r[4], r[5]) for r in rows
        ]

    def sealed(self, envelopes: Sequence[Envelope], after: int, up_to: int) -> list[Envelope]:
        """The envelopes with their chain fields; stops before the first unsealed one."""
        links = self.links(after, up_to)
        out = []
        for env in envelopes:
            lk = links.get(env.global_position)
            if lk is None:
                break
            out.append(replace(env, prev_hash=lk.prev_hash, hash=lk.hash))
        return out
