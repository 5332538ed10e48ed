"""The CCHC pages in Chromium on real PostgreSQL and Kafka: the same steps as
``test_cchc_pages.py`` (``cchc_steps.py``), served by one app whose assessment event store is a
fresh PostgreSQL database and whose read models are fed through Kafka — the relay publishes the
store's notifications to a private topic, the reporting consumer applies them to a second
PostgreSQL database — so every page that lists, queues or ranks reads what came through the
broker. The whole cycle runs: a criteria set imported, edited and published; the demo set's year
self-scored with evidence, appraised, a supplement asked and answered, reconciled, confirmed by
the council, ranked and published; the ranking page shows rank and index once the consumer
caught up (bounded reloads in ``reload_until``).

Sign-in is the development sign-in of the portal in embedded mode, with the test issuer; the
production portal still refuses it (``build_portal`` raises for a development issuer in
production mode, checked below). Evidence files stay on disk (a temporary directory), the audit
sealer is not wired (the relay publishes unsealed, as ``test_cchc_cycle_postgres_kafka.py``).
Servers missing: skipped on a workstation, FAILED under ``CI=true`` (``tests/conftest.py``).
The app and its fixtures (``pg_kafka_site``, ``reads_url``) are ``pg_kafka.py``'s.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from embedded.app import demo_users
from helpers import TEST_ISSUER
from shared.web.pages import WebSettings
from shared.web.signin import build_portal

from .cchc_steps import cycle_steps, set_steps
from .conftest import Site

pytestmark = [pytest.mark.e2e, pytest.mark.integration]


def test_production_portal_still_refuses_the_development_sign_in() -> None:
    with pytest.raises(ValueError, match="development issuer"):
        build_portal(
            WebSettings(mode="production", session_key="s" * 40),  # type: ignore[arg-type]
            dev_issuer=TEST_ISSUER,
            dev_users=demo_users(),
        )


def test_cchc_cycle_in_chromium_on_postgres_and_kafka(
    pg_kafka_site: Site,
    reads_url: str,
    kafka_topics: dict[str, str],
    open_page: Any,
    check_axe: Any,
    shoot: Any,
    tmp_path: Path,
) -> None:
    for step, run in (("set", set_steps), ("cycle", cycle_steps)):
        (tmp_path / step).mkdir()
        run(pg_kafka_site, open_page, check_axe, shoot, tmp_path / step)
    # the read models really came through the broker: the consumer's Kafka offsets are stored
    # beside the rows in the read models' PostgreSQL database
    import psycopg

    with psycopg.connect(reads_url) as conn:
        offsets = conn.execute(
            "SELECT sum(next_offset) FROM rm_offsets WHERE topic = %s", (kafka_topics["events"],)
        ).fetchone()
    assert offsets is not None and offsets[0] and int(offsets[0]) > 0
