"""The Idempotency-Key race: 20 concurrent identical commands with one key all get the
first one's answer (never a 409 ``already_exists``), and one set of events is stored."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from assessment.application.service import AssessmentApplication, CommandContext
from assessment.bootstrap import build_application, start_group_commit
from shared.settings import AssessmentSettings

ACTOR = {"subject": "snv", "role": "home_affairs", "acting_for": "SNV"}


def _race(app: AssessmentApplication, trial: int, clients: int = 20) -> list[Any]:
    ctx = CommandContext(
        tenant="dong-nai",
        actor=ACTOR,
        idempotency_key=f"race-{trial}",
        request_fingerprint=f"fp-{trial}",
    )
    barrier = threading.Barrier(clients)
    results: list[Any] = [None] * clients

    def one(i: int) -> None:
        barrier.wait()
        try:
            results[i] = app.register_unit(
                ctx, code=f"R{trial}", name=f"Đơn vị {trial}", kind="department"
            )
        except Exception as exc:  # collected: the assertion names it
            results[i] = exc

    threads = [threading.Thread(target=one, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def _check(app: AssessmentApplication, trials: int = 4) -> None:
    for trial in range(trials):
        results = _race(app, trial)
        errors = [r for r in results if isinstance(r, Exception)]
        assert not errors, [f"{type(e).__name__}: {e}" for e in errors[:3]]
        assert all(r == results[0] for r in results)
    notes = app.recorder.select_notifications(start=1, limit=1000)
    registered = [n for n in notes if n.topic.endswith("Unit.Registered")]
    assert len(registered) == trials


def test_idempotency_race_on_sqlite(tmp_path: Path) -> None:
    app = build_application(AssessmentSettings(sqlite_path=tmp_path / "a.sqlite"))
    try:
        _check(app)
    finally:
        app.close()


@pytest.fixture
def pg_app(pg_url: str) -> Iterator[AssessmentApplication]:
    settings = AssessmentSettings(mode="production", database_url=SecretStr(pg_url))
    app = build_application(settings)
    committer = start_group_commit(app, settings)
    yield app
    if committer is not None:
        committer.stop()
    app.close()


@pytest.mark.integration
def test_idempotency_race_on_postgres_with_group_commit(pg_app: AssessmentApplication) -> None:
    _check(pg_app)
