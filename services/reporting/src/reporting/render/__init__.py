"""Renderers of the reports (``reporting.reports``), one module per format: ``html`` (Jinja2),
``pdf`` (typst, reproducible bytes for the same data and moment), ``xlsx`` (XlsxWriter),
``csv_export`` (``utf-8-sig``), ``charts`` (altair + vl-convert: SVG for pages, PNG for PDFs).
``fmt`` holds the Vietnamese formats they share."""

from __future__ import annotations
