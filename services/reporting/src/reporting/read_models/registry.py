"""The read models the reporting service keeps, by name: the one list a new read model joins.

Each name is a package ``reporting.read_models.<name>`` exposing ``READ_MODEL``. The consumer
(Kafka or the in-process bus), ``ensure_schema`` and the rebuild apply every one of them, in
this order, in the same transaction as the consumer's position.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence

from reporting.adapters.db import Tx
from reporting.read_models import ReadModel
from shared.envelope import Envelope

NAMES: tuple[str, ...] = (
    "cycle_board",
    "cchc_scores",
    "individual_ratings",
    "inspection_overview",
    "accountability",
)


def load_read_models(names: Sequence[str] = NAMES) -> tuple[ReadModel, ...]:
    found = []
    for name in names:
        model = importlib.import_module(f"reporting.read_models.{name}").READ_MODEL
        if not isinstance(model, ReadModel) or model.name != name:
            raise ValueError(f"reporting.read_models.{name} does not define its READ_MODEL")
        found.append(model)
    return tuple(found)


READ_MODELS: tuple[ReadModel, ...] = load_read_models()


def create_all(tx: Tx, models: Sequence[ReadModel] = READ_MODELS) -> None:
    for model in models:
        model.create_schema(tx)


def apply_all(
    tx: Tx, envelopes: Sequence[Envelope], models: Sequence[ReadModel] = READ_MODELS
) -> tuple[int, int]:
    """Fold a batch into every read model: (applied, unchanged), counted per envelope — an
    envelope is applied when a read model changed a row for it, unchanged (a duplicate, a
    replay, or of no read model's concern) otherwise. Summing each model's "unchanged" would
    count every envelope once per read model that ignores it."""
    applied = 0
    for model in models:
        applied += model.apply_many(tx, envelopes)[0]
    applied = min(applied, len(envelopes))
    return applied, len(envelopes) - applied


def tables(models: Sequence[ReadModel] = READ_MODELS) -> tuple[str, ...]:
    return tuple(t for model in models for t in model.tables)


def indexes(models: Sequence[ReadModel] = READ_MODELS) -> dict[str, tuple[str, str]]:
    return {name: spec for model in models for name, spec in model.indexes.items()}
