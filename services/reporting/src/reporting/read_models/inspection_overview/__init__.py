"""Inspection and remediation overview (issue 11): per person and unit, the work-item figures
recorded at each import, the findings, and the remediation plans with their milestones; per
province, the overdue remediation and the findings repeated across years. ``schema`` (its SQL),
``projection`` (folds), ``queries`` (what the API serves)."""

from __future__ import annotations

from reporting.read_models import ReadModel
from reporting.read_models.inspection_overview import projection, schema

READ_MODEL = ReadModel(
    name="inspection_overview",
    schema_version=schema.SCHEMA_VERSION,
    tables=schema.TABLES,
    create_schema=schema.create_schema,
    apply_many=projection.apply_many,
    folds=projection.FOLDS,
    indexes=schema.INDEXES,
)
