"""Command-line entry points of the assessment service."""

from __future__ import annotations
