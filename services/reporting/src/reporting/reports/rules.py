"""Thresholds of the caucus report, set per tenant (``REPORTING_REPORT_RULES``, JSON:
``{"dong-nai": {"inflated_by_levels": 1, "worst_count": 3}}``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any


@dataclass(frozen=True)
class ReportRules:
    inflated_by_levels: int = 1
    """A self-proposed level this many levels or more above the final one is inflated."""
    worst_count: int = 3
    """How many units (and their heads) the report names as having done worst."""

    @classmethod
    def for_tenant(cls, tenant: str, configured: Mapping[str, Mapping[str, Any]]) -> ReportRules:
        raw = dict(configured.get(tenant, {}))
        known = {f.name for f in fields(cls)}
        unknown = set(raw) - known
        if unknown:
            raise ValueError(f"unknown report rules for {tenant}: {sorted(unknown)}")
        values = {k: int(v) for k, v in raw.items()}
        if any(v < 1 for v in values.values()):
            raise ValueError(f"report rules for {tenant} must be ≥ 1")
        return cls(**values)
