"""The cycle board (seed 001): per cycle and unit, each step's status and every source's
proposed level, the units' names and lineage. ``schema`` (its SQL), ``projection`` (folds),
``board`` (statuses, as-of replay) and ``queries`` (what the API serves)."""

from __future__ import annotations

from reporting.read_models import ReadModel
from reporting.read_models.cycle_board import projection, schema

READ_MODEL = ReadModel(
    name="cycle_board",
    schema_version=schema.SCHEMA_VERSION,
    tables=schema.TABLES,
    create_schema=schema.create_schema,
    apply_many=projection.apply_many,
    folds=projection.FOLDS,
    indexes=schema.INDEXES,
)
