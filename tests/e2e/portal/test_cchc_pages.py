"""The CCHC pages in Chromium on the embedded demo (seed 004), axe-core on every page.

1. Home Affairs: the list of criteria sets, the demo set's tree, its XLSX export; an import of a
   bad file (a component's maximum no longer adds up): the rows named, nothing stored; the good
   file imported as the next year's draft; a bad cell in the row editor and a publication
   without its decision number: the Vietnamese message beside the field, nothing changed; then
   published.
2. The cycle on the demo set (2020, departments): the head of SYT self-scores a component with
   an evidence file, flags a criterion, approves and submits; Home Affairs appraises it with
   another score and its reason and asks a supplement; the unit replies with a file; Home Affairs
   closes the reconciliation, the council confirms, the ranking is decided and published; the
   ranking page shows rank, index, per-field sub-indices and the chart (SVG rendered by the
   server), and its CSV.
The criteria the test does not click through are scored over the JSON API with the same
commands (the demo set has dozens of components).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .cchc_steps import cycle_steps, set_steps

pytestmark = pytest.mark.e2e


def test_home_affairs_edits_imports_and_publishes_a_set(
    site: Any, open_page: Any, check_axe: Any, shoot: Any, tmp_path: Path
) -> None:
    set_steps(site, open_page, check_axe, shoot, tmp_path)


def test_self_scoring_appraisal_supplement_council_and_ranking(
    site: Any, open_page: Any, check_axe: Any, shoot: Any, tmp_path: Path
) -> None:
    cycle_steps(site, open_page, check_axe, shoot, tmp_path)
