"""The individual rating's pages (seed 002; NĐ 90/2020–48/2023, NĐ 335/2025), under
``/ho-so/ca-nhan/`` (served by assessment behind the proxy's ``/ho-so/``):

- :mod:`.rating_file` — a person's rating for a year: the rule set in force, Decree 335's
  monthly sheets, the self-assessment form for the person, the agency's steps, the decision
  and its notice (the person's notification), the quota of the group; the person's file.
- :mod:`.decisions` — the head's scoring page for a list of people (levels beside their
  self-assessment, the cap on "excellent" live) and the agency meeting's minutes.
- :mod:`.staff_import` — the staff list from XLSX, refused row by row with nothing stored.

The lists of an agency's ratings are reporting's pages (``/xep-loai-ca-nhan``), from its read
model; these pages read and write through the application only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from fastapi import FastAPI

from assessment.entrypoints.web.individual.decisions import include_decision_pages
from assessment.entrypoints.web.individual.rating_file import include_rating_file
from assessment.entrypoints.web.individual.staff_import import include_staff_import
from shared.web.pages import Portal

TEMPLATES: Final = Path(__file__).resolve().parent / "templates"


def include_individual_pages(app: FastAPI, portal: Portal) -> None:
    """Before the collective pages: ``/ho-so/{year}/{unit_code}`` would match these paths."""
    portal.add_templates(TEMPLATES)
    include_rating_file(app, portal)
    include_decision_pages(app, portal)
    include_staff_import(app, portal)
