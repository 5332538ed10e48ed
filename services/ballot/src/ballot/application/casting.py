"""The index work of one group-commit transaction of casts, done once per batch.

Before, every ballot of a batch cost seven statements inside the transaction that holds the
election's head lock (credential, tracker and α look-ups, then four writes), so the lock and
the thread were held for seven round trips per ballot. Here the three look-ups run once for
the whole batch, in one query (``UNION ALL`` of three ``IN (…)``); the checks run in memory —
each ballot still sees the ballots before it in the same batch, so a replay or a copied
ciphertext inside one batch is refused — and the writes go out as one multi-row statement
per table before a checkpoint and at the end (a first version used ``executemany``: with the
batches of 1–3 ballots seen under load, psycopg's pipeline cost more CPU per ballot than the
seven plain statements had, the py-spy profile showed).

The checks and their order are exactly those of ``ballot.domain.ballots`` (SPEC §15.2):
unknown credential, replay, a ciphertext of an audited ballot, a ciphertext of another
credential. Both writers of the α index (casts and audits) hold the head lock, so the rows read
at the start of the batch are the rows the per-ballot reads would have seen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ballot.adapters.store import BoardStore
from ballot.domain.ballots import (
    AUDITED_OWNER,
    CastBallot,
    audited_ballot,
    duplicate_ciphertext,
    replay,
    unknown_credential,
)
from ballot.domain.board import Entry
from shared.sql import Tx


@dataclass
class CastBatch:
    store: BoardStore
    election_id: str
    listed: set[str]
    trackers: set[str]
    owners: dict[str, str]
    entries: list[Entry] = field(default_factory=list)
    alpha_rows: list[tuple[str, str]] = field(default_factory=list)
    tracker_rows: list[tuple[str, int, str]] = field(default_factory=list)
    last_seq: dict[str, int] = field(default_factory=dict)

    @classmethod
    def read(
        cls, store: BoardStore, tx: Tx, election_id: str, casts: Sequence[CastBallot]
    ) -> CastBatch:
        listed, known, owners = store.cast_index(
            tx,
            election_id,
            sorted({c.credential for c in casts}),
            sorted({c.tracker for c in casts}),
            sorted({a for c in casts for a in c.alphas}),
        )
        return cls(store, election_id, listed, known, owners)

    def admit(self, cast: CastBallot) -> None:
        """Raise the board's refusal for this verified ballot, if any."""
        if cast.credential not in self.listed:
            raise unknown_credential()
        if cast.tracker in self.trackers:
            raise replay(cast.tracker)
        owners = {self.owners[a] for a in cast.alphas if a in self.owners}
        if AUDITED_OWNER in owners:
            raise audited_ballot()
        if any(owner != cast.credential for owner in owners):
            raise duplicate_ciphertext()

    def record(self, entry: Entry, cast: CastBallot) -> None:
        """Remember an accepted ballot (visible to the next ones) and queue its rows."""
        self.entries.append(entry)
        self.trackers.add(cast.tracker)
        self.tracker_rows.append((cast.tracker, entry.seq, cast.credential))
        for a in cast.alphas:
            if a not in self.owners:  # the table's ON CONFLICT DO NOTHING, in memory
                self.owners[a] = cast.credential
                self.alpha_rows.append((a, cast.credential))
        self.last_seq[cast.credential] = entry.seq

    def flush(self, tx: Tx) -> None:
        """Write what was queued (board entries first, in order), then forget it."""
        if self.entries:
            self.store.insert_entries(tx, self.entries)
            self.store.insert_alpha_rows(tx, self.election_id, self.alpha_rows)
            self.store.insert_tracker_rows(tx, self.election_id, self.tracker_rows)
            self.store.set_last_seqs(tx, self.election_id, sorted(self.last_seq.items()))
        self.entries, self.alpha_rows, self.tracker_rows, self.last_seq = [], [], [], {}
