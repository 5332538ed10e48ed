"""CCHC scores (seed 004): per unit × criterion × year the self, appraised and survey points
(kept apart), exclusions and the appraisers' reasons; the self-vs-appraised gaps (a unit that
self-scores far above its appraisal is a flag for seed 000's "inflated"); each unit's index
history from published rankings; published rankings per block. ``schema`` (SQL), ``projection``
(folds), ``queries`` (what the API serves)."""

from __future__ import annotations

from reporting.read_models import ReadModel
from reporting.read_models.cchc_scores import projection, schema

READ_MODEL = ReadModel(
    name="cchc_scores",
    schema_version=schema.SCHEMA_VERSION,
    tables=schema.TABLES,
    create_schema=schema.create_schema,
    apply_many=projection.apply_many,
    folds=projection.FOLDS,
    indexes=schema.INDEXES,
)
