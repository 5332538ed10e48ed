"""Assessment's pages: forms and a unit's file, one sub-package per context.

- :mod:`assessment.entrypoints.web.collective` — the unit's self-assessment (seed 001 step 2)
  with real evidence upload.

Mount with :func:`include_assessment_pages` on an app that has ``app.state.assessment``, an
evidence store on ``app.state.evidence`` and a portal (``shared.web.signin.install_portal``).
"""

from __future__ import annotations

from fastapi import FastAPI

from assessment.entrypoints.web.collective import include_collective_pages
from shared.web.pages import Portal


def include_assessment_pages(app: FastAPI, portal: Portal) -> None:
    include_collective_pages(app, portal)
