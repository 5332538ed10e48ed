"""Read models of the reporting service: one package (or module) per read model, holding its
SQL (tables, version), its projection (envelopes → rows) and its queries. Each exposes
``READ_MODEL`` (a ``ReadModel``); ``registry.NAMES`` lists them, and the consumer, the
in-process subscriber and the rebuild work over that list — a new read model is one new
package plus its name there (docs/adr/0002-contexts-and-commands.md)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from reporting.adapters.db import Tx
from shared.envelope import Envelope

Fold = Callable[[Any, Envelope], Any]
"""A row (or None) and an envelope → the row after it, or None when the envelope changes
nothing (``reporting.read_models.rows``: rows are dicts keyed by the aggregate's id)."""


@dataclass(frozen=True)
class ReadModel:
    name: str
    schema_version: int
    """Bump on any change of its tables or folds: the read model is dropped and replayed."""
    tables: tuple[str, ...]
    create_schema: Callable[[Tx], None]
    apply_many: Callable[[Tx, Sequence[Envelope]], tuple[int, int]]
    """Fold a batch of envelopes in one transaction: (applied, unchanged). Must be idempotent:
    an envelope already reflected changes nothing (re-delivery, replay)."""
    indexes: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    """Index name → (table, columns): recreated under their names after a rebuild's swap."""
    folds: Mapping[str, tuple[Any, Fold]] = field(default_factory=dict)
    """Aggregate type → (``rows.Table``, pure fold) — the very folds ``apply_many`` applies, one
    row per aggregate id. A rebuild folds with them in memory across batches (the live
    consumers fold each batch); a read model without them is rebuilt through ``apply_many``."""
