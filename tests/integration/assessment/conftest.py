"""Fixtures of the assessment integration tests (defined in store_roles.py)."""

from __future__ import annotations

from integration.assessment.store_roles import roles, service

__all__ = ["roles", "service"]
