"""Adapters of the individual context (file formats)."""

from __future__ import annotations
