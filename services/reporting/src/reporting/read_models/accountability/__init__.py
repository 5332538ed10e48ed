"""Accountability (seed 000, seed 002): per unit assessment, every step's source event (event id,
aggregate version, business time, lateness, level) and the history of reopenings, adjustments,
flags and publications; per ballot on a unit's head, its configuration and published result
with validity (quorum). ``schema`` (SQL, version), ``projection`` (folds); the reports that
join these rows with the cycle board live in ``reporting.reports``."""

from __future__ import annotations

from reporting.read_models import ReadModel
from reporting.read_models.accountability import projection, schema

READ_MODEL = ReadModel(
    name="accountability",
    schema_version=schema.SCHEMA_VERSION,
    tables=schema.TABLES,
    create_schema=schema.create_schema,
    apply_many=projection.apply_many,
    folds=projection.FOLDS,
    indexes=schema.INDEXES,
)
