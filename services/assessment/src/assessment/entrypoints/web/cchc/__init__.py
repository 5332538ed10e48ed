"""The CCHC pages (seed 004) under ``/ho-so/cchc/``: criteria sets (``sets``), the unit's
self-scoring sheet (``unit_sheet``), the appraiser's sheet, the council's confirmation and the
ranking decision (``appraisal``). Lists (sets per year and block, the appraisal queue) and the
ranking with its chart are reporting's pages (``/cchc/…``), read from its ``cchc_scores`` model.

Registered before the collective pages: ``/ho-so/{year}/{unit_code}/{command}`` would otherwise
take ``/ho-so/cchc/…``."""

from __future__ import annotations

from fastapi import FastAPI

from assessment.entrypoints.web.cchc.appraisal import include_appraisal_pages
from assessment.entrypoints.web.cchc.common import PREFIX
from assessment.entrypoints.web.cchc.sets import include_set_pages
from assessment.entrypoints.web.cchc.unit_sheet import include_unit_sheet
from shared.web.pages import Portal


def include_cchc_pages(app: FastAPI, portal: Portal) -> None:
    portal.body_limits[PREFIX] = portal.settings.upload_max_bytes
    include_set_pages(app, portal)
    include_unit_sheet(app, portal)
    include_appraisal_pages(app, portal)
