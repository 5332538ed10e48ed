"""The ballot side of ``shared.relay``: the boards' outbox as a notification source."""

from __future__ import annotations

from ballot.adapters.contract_mapping import to_envelope
from ballot.adapters.store import BoardStore
from shared.relay import Batch


class BoardSource:
    """Published board entries in outbox order (positions are gap-free and commit in order)."""

    def __init__(self, store: BoardStore) -> None:
        self.store = store

    def read_batch(self, after: int, limit: int) -> Batch:
        with self.store.db.transaction() as tx:
            rows = self.store.outbox_after(tx, after, limit)
        if not rows:
            return Batch([], after)
        return Batch([to_envelope(pos, tenant, e) for pos, tenant, e in rows], rows[-1][0])
