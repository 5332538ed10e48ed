"""Assessment's pages: forms and a unit's file, one sub-package per context.

- :mod:`assessment.entrypoints.web.collective` — the unit's self-assessment (seed 001 step 2)
  with real evidence upload.
- :mod:`assessment.entrypoints.web.cchc` — CCHC criteria sets, self-scoring, appraisal, council.

Mount with :func:`include_assessment_pages` on an app that has ``app.state.assessment``, an
evidence store on ``app.state.evidence`` and a portal (``shared.web.signin.install_portal``).
"""

from __future__ import annotations

from fastapi import FastAPI

from assessment.entrypoints.web.cchc import include_cchc_pages
from assessment.entrypoints.web.collective import include_collective_pages
from shared.web.pages import Portal, WebSettings
from shared.web.signin import build_portal, install_portal


def include_assessment_pages(app: FastAPI, portal: Portal) -> None:
    include_cchc_pages(app, portal)  # first: its /ho-so/cchc/… paths before /ho-so/{year}/…
    include_collective_pages(app, portal)


def mount_assessment_pages(app: FastAPI, settings: WebSettings | None = None) -> bool:
    """Production: assessment serves its forms behind the proxy (``/ho-so/``). Needs
    ``CONGVU_WEB_SESSION_KEY`` (else no pages: an API-only process); the evidence store is
    built on first use from ``ASSESSMENT_*``."""
    settings = settings or WebSettings()
    if settings.session_key is None:
        return False
    portal = build_portal(settings)
    install_portal(app, portal)
    include_assessment_pages(app, portal)
    return True
