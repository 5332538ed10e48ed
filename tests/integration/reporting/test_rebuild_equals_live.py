"""A rebuild writes exactly the rows the live consumer wrote, read model by read model, on real
PostgreSQL: the demo province (units, cycle and the whole assessment flow, CCHC, individual
ratings, inspection and remediation) in the event store plus a confidence vote
(``ballot.events.v1``), fed to the in-process consumer (``BoardProjector``) in small batches,
then rebuilt from the store into shadow tables and swapped in: every row of every table of
every read model is compared as stored (the JSON text included), and the consumer's position.

Rebuilds compared: the rows folded in memory across pages and written behind (as ``congvu
rebuild`` runs it), the same with a cache of 5 rows (rows written out and read back again all
along), and each page through ``apply_all`` (``cache_rows=0``, the former rebuild)."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse, urlunparse

import psycopg
import pytest
from pydantic import SecretStr

from assessment.adapters.history import iter_envelope_batches
from assessment.bootstrap import build_application
from embedded.demo import load_demo
from reporting.adapters.db import PostgresDatabase
from reporting.consumer.rebuild import rebuild_from_envelopes
from reporting.consumer.runner import BoardProjector, ensure_schema
from reporting.read_models import registry
from shared.envelope import Envelope
from shared.settings import AssessmentSettings
from unit.reporting.reports.conftest import ballot_envelopes

pytestmark = pytest.mark.integration
Tables = dict[str, list[tuple[Any, ...]]]
VARIANTS = {"write-behind": 20_000, "5-row cache": 5, "per page (cache_rows=0)": 0}


def every_row(db: PostgresDatabase) -> Tables:
    out: Tables = {}
    with db.transaction() as tx:
        for table in (*registry.tables(), "rm_bus_position"):
            out[table] = tx.fetchall(f"SELECT * FROM {table} ORDER BY 1")
    return out


def _batches(app: Any, page: int) -> list[tuple[list[Envelope], int]]:
    batches = list(iter_envelope_batches(app, page=page))
    return [*batches, (ballot_envelopes(), batches[-1][1])]


@pytest.fixture(scope="module")
def results(pg_admin_url: str) -> Iterator[tuple[Tables, dict[str, Tables]]]:
    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = urlunparse(urlparse(pg_admin_url)._replace(path=f"/{name}"))
    app = build_application(AssessmentSettings(mode="production", database_url=SecretStr(url)))
    db = PostgresDatabase(url)
    try:
        assert load_demo(app) is not None
        ensure_schema(db)
        live = BoardProjector(db)
        rng = random.Random(14)
        store = _batches(app, page=500)
        stream = [e for envs, _ in store for e in envs]
        i = 0
        while i < len(stream):  # the live consumer's batches: 1 to 9 envelopes
            n = rng.randint(1, 9)
            live.handle_batch(stream[i : i + n], 0)
            i += n
        live.handle_batch([], store[-1][1])
        before = every_row(db)
        rebuilt: dict[str, Tables] = {}
        for variant, rows in VARIANTS.items():
            applied = rebuild_from_envelopes(
                db, _batches(app, page=7), "cycle-board", cache_rows=rows
            )
            assert applied == len(stream)
            rebuilt[variant] = every_row(db)
        yield before, rebuilt
    finally:
        db.close()
        app.close()
        with psycopg.connect(pg_admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.parametrize("variant", list(VARIANTS))
@pytest.mark.parametrize("model", [m.name for m in registry.READ_MODELS])
def test_rebuild_writes_exactly_the_live_rows_of_each_read_model(
    results: tuple[Tables, dict[str, Tables]], model: str, variant: str
) -> None:
    before, rebuilt = results
    (read_model,) = [m for m in registry.READ_MODELS if m.name == model]
    assert sum(len(before[t]) for t in read_model.tables) > 0, "the history feeds every model"
    for table in read_model.tables:
        assert rebuilt[variant][table] == before[table], table
    assert rebuilt[variant]["rm_bus_position"] == before["rm_bus_position"]
