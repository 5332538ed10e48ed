"""Adapters of the inspection context: reading registers from files."""

from __future__ import annotations
