"""Adapters of the CCHC context: criteria-set and survey spreadsheets (XLSX)."""

from __future__ import annotations
