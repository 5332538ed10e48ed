"""The inspection and remediation pages in Chromium on the embedded system (demo data).

Home Affairs records the decision (a Vietnamese message beside an empty field first, nothing
stored); the team (``thanhtra``) plans, declares a conflict of interest, notifies, starts the
visit, imports the unit's register — a bad file first: its errors listed row by row, nothing
stored — reads the figures, commits the register and a secret, the unit's head commits and
reveals, the team reveals: the draw; its record re-verified on the page and on the public
verification page, a swapped file refused; the team records a finding and opens a remediation
plan; the unit's head writes the roadmap (a milestone already overdue is highlighted), reports
it done with evidence; the team verifies: the plan is closed. axe-core: no serious or critical
violation on any page. The steps are ``inspection_steps.py`` (shared with the PostgreSQL +
Kafka run).
"""

from __future__ import annotations

from typing import Any

import pytest

from .inspection_steps import inspection_steps

pytestmark = pytest.mark.e2e


def test_an_inspection_from_decision_to_closed_remediation(
    site: Any, open_page: Any, check_axe: Any, shoot: Any
) -> None:
    inspection_steps(site, open_page, check_axe, shoot)
