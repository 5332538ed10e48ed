"""The rows of a rebuild, folded in memory across batches and written behind (write-back).

The live consumers fold each batch in memory and write every row it changed (``rows``: one
read, one JSON decode and one JSON encode per row per batch). A rebuild replays the whole
history into shadow tables nobody reads before the swap, so it keeps the rows it folded in
memory from batch to batch — decoded once, written once — with the very same pure folds
(``ReadModel.folds``) in the same order, and writes a row only when it leaves memory or at the
end. Memory stays bounded: past ``limit`` rows the least recently changed are written (when
changed) and dropped; a later event of such a row reads it back from the shadow table with the
live consumers' loader (``rows.load_rows``), exactly as a later batch of a live consumer would.

A read model without ``folds`` is applied batch by batch through its own ``apply_many``.
"""

from __future__ import annotations

from collections.abc import Sequence

from reporting.adapters.db import Tx
from reporting.read_models import Fold, ReadModel
from reporting.read_models.rows import Row, Table, insert_new_rows, load_rows, store_rows
from shared.envelope import Envelope

DEFAULT_ROWS = 10_000
"""Rows kept in memory (every table together). A unit assessment's rows are the largest (its
board row and its accountability row, 5 and 14 kB of JSON in the benchmark's province, about
15 kB of Python objects per row on average): 10,000 rows ≈ 150 MB."""

Key = tuple[str, str]  # (table name, row id)


class RowCache:
    """Every registered read model's rows during one rebuild (one instance per rebuild)."""

    def __init__(self, models: Sequence[ReadModel], limit: int = DEFAULT_ROWS) -> None:
        self.folds: dict[str, list[tuple[Table, Fold]]] = {}
        self.others: list[ReadModel] = []  # applied page by page through ``apply_many``
        seen: set[str] = set()
        for model in models:
            names = [table.name for table, _ in model.folds.values()]
            if not names or len(set(names)) < len(names) or seen.intersection(names):
                self.others.append(model)  # no folds, or a table fed by two kinds: as is
                continue
            seen.update(names)
            for kind, (table, fold) in model.folds.items():
                self.folds.setdefault(kind, []).append((table, fold))
        self.tables = {t.name: t for pairs in self.folds.values() for t, _ in pairs}
        self.limit = max(1, limit)
        self.rows: dict[Key, Row] = {}  # least recently changed first
        self.dirty: set[Key] = set()
        self.in_table: set[Key] = set()  # written to its shadow table (ids only)
        self.written = self.reloaded = 0

    def apply(self, tx: Tx, envelopes: Sequence[Envelope]) -> None:
        """Fold a batch: the rows it needs that were written out are read back first."""
        self._reload(tx, envelopes)
        rows, dirty, folds = self.rows, self.dirty, self.folds
        for env in envelopes:
            pairs = folds.get(env.aggregate_type)
            if pairs is None:
                continue
            aggregate_id = env.aggregate_id
            for table, fold in pairs:
                key = (table.name, aggregate_id)
                new = fold(rows.get(key), env)
                if new is None:
                    continue
                rows.pop(key, None)  # to the end: most recently changed
                rows[key] = new
                dirty.add(key)
        for model in self.others:
            model.apply_many(tx, envelopes)
        if len(rows) > self.limit:
            self._evict(tx, len(rows) - self.limit * 3 // 4)

    def flush(self, tx: Tx) -> None:
        """Write every changed row (before the swap)."""
        self._write(tx, [k for k in self.rows if k in self.dirty])

    def _missing(self, envelopes: Sequence[Envelope]) -> list[Key]:
        out = []
        for env in envelopes:
            for table, _ in self.folds.get(env.aggregate_type, ()):
                key = (table.name, env.aggregate_id)
                if key not in self.rows and key in self.in_table:
                    out.append(key)
        return out

    def _reload(self, tx: Tx, envelopes: Sequence[Envelope]) -> None:
        if not self.in_table:
            return
        wanted: dict[str, set[str]] = {}
        for name, row_id in self._missing(envelopes):
            wanted.setdefault(name, set()).add(row_id)
        for name, ids in wanted.items():
            for row_id, row in load_rows(tx, self.tables[name], sorted(ids)).items():
                self.rows[(name, row_id)] = row  # clean: the table holds it
                self.reloaded += 1

    def _evict(self, tx: Tx, count: int) -> None:
        out: list[Key] = []
        for key in self.rows:
            if len(out) >= count:
                break
            out.append(key)
        self._write(tx, [k for k in out if k in self.dirty])
        for key in out:
            del self.rows[key]

    def _write(self, tx: Tx, keys: list[Key]) -> None:
        """Rows new to their table are inserted (``COPY`` on PostgreSQL), the others upserted."""
        new: dict[str, list[Row]] = {}
        again: dict[str, list[Row]] = {}
        for key in keys:
            (again if key in self.in_table else new).setdefault(key[0], []).append(self.rows[key])
            self.dirty.discard(key)
            self.in_table.add(key)
        for name, rows in new.items():
            insert_new_rows(tx, self.tables[name], rows)
            self.written += len(rows)
        for name, rows in again.items():
            store_rows(tx, self.tables[name], rows)
            self.written += len(rows)
