"""Individual ratings (seed 002; NĐ 90/48, NĐ 335, QĐ 124/366): per agency and year the
distribution by level, the use of the "excellent" quota per task group, heads against their
units, late decisions and redone ratings; per person their ratings across years and agencies.
``schema`` (its SQL), ``projection`` (folds), ``queries`` (what the API serves)."""

from __future__ import annotations

from reporting.read_models import ReadModel
from reporting.read_models.individual_ratings import projection, schema

READ_MODEL = ReadModel(
    name="individual_ratings",
    schema_version=schema.SCHEMA_VERSION,
    tables=schema.TABLES,
    create_schema=schema.create_schema,
    apply_many=projection.apply_many,
    folds=projection.FOLDS,
    indexes=schema.INDEXES,
)
