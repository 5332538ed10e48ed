"""Assessment's pages: forms and a unit's file, one sub-package per context.

- :mod:`assessment.entrypoints.web.collective` — the unit's self-assessment (seed 001 step 2)
  with real evidence upload.
- :mod:`assessment.entrypoints.web.registry` — the units list (``/don-vi``).
- :mod:`assessment.entrypoints.web.inspection` — inspections, registers and figures, sampling.
- :mod:`assessment.entrypoints.web.remediation` — the remediation board and plans.
- :mod:`assessment.entrypoints.web.individual` — individual rating: a person's sheet and
  self-assessment, the head's decisions with the quota, the meeting minutes, the person's file.
- :mod:`assessment.entrypoints.web.cchc` — CCHC criteria sets, self-scoring, appraisal, council.

Mount with :func:`include_assessment_pages` on an app that has ``app.state.assessment``, an
evidence store on ``app.state.evidence`` and a portal (``shared.web.signin.install_portal``).
"""

from __future__ import annotations

from fastapi import FastAPI

from assessment.entrypoints.web.cchc import include_cchc_pages
from assessment.entrypoints.web.collective import include_collective_pages
from assessment.entrypoints.web.individual import include_individual_pages
from assessment.entrypoints.web.inspection import include_inspection_pages
from assessment.entrypoints.web.registry import include_registry_pages
from assessment.entrypoints.web.remediation import include_remediation_pages
from shared.web.pages import Portal, WebSettings
from shared.web.signin import build_portal, install_portal


def include_assessment_pages(app: FastAPI, portal: Portal) -> None:
    include_individual_pages(app, portal)  # first: /ho-so/{year}/{unit_code} is greedy
    include_cchc_pages(app, portal)  # first: its /ho-so/cchc/… paths before /ho-so/{year}/…
    include_collective_pages(app, portal)
    include_registry_pages(app, portal)
    include_inspection_pages(app, portal)
    include_remediation_pages(app, portal)


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
