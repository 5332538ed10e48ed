"""Group commit on PostgreSQL: concurrent commands share transactions, conflicts stay exact."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator

import pytest
from pydantic import SecretStr

from assessment.application.kernel.errors import ConcurrencyConflict
from assessment.application.service import AssessmentApplication, CommandContext
from assessment.bootstrap import build_application, start_group_commit
from shared.settings import AssessmentSettings

pytestmark = pytest.mark.integration


def ctx(role: str = "home_affairs") -> CommandContext:
    return CommandContext(tenant="t", actor={"subject": "s", "role": role, "acting_for": None})


@pytest.fixture
def app(pg_url: str) -> Iterator[AssessmentApplication]:
    settings = AssessmentSettings(mode="production", database_url=SecretStr(pg_url))
    application = build_application(settings)
    committer = start_group_commit(application, settings)
    assert committer is not None
    application.committer = committer  # type: ignore[attr-defined]
    yield application
    committer.stop()
    application.close()


def run_all(n: int, fn: object) -> list[BaseException | None]:
    results: list[BaseException | None] = [None] * n
    start = threading.Barrier(n)

    def work(i: int) -> None:
        start.wait()
        try:
            fn(i)  # type: ignore[operator]
        except BaseException as exc:
            results[i] = exc

    threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_concurrent_commands_are_committed_in_groups(app: AssessmentApplication) -> None:
    results = run_all(
        48, lambda i: app.register_unit(ctx(), code=f"U{i}", name=f"Đơn vị {i}", kind="department")
    )
    assert results == [None] * 48
    committer = app.committer  # type: ignore[attr-defined]
    assert committer.commands == 48 and committer.batches < 48
    notes = app.recorder.select_notifications(start=1, limit=100)
    assert len(notes) == 48


def test_conflicting_commands_in_one_group_lose_no_update(app: AssessmentApplication) -> None:
    unit = uuid.UUID(app.register_unit(ctx(), code="U", name="Đơn vị", kind="department")["id"])
    cycle = uuid.UUID(app.plan_cycle(ctx(), year=2024, plan_reference="KH", unit_ids=[unit])["id"])
    results = run_all(24, lambda i: app.flag_perfunctory(ctx(), cycle, unit, reason=f"r{i}"))
    ok = sum(1 for r in results if r is None)
    conflicts = sum(1 for r in results if isinstance(r, ConcurrencyConflict))
    assert ok + conflicts == 24 and ok >= 1
    view = app.get_unit_assessment(ctx("auditor"), cycle, unit)
    assert len(view["perfunctory_flags"]) == ok
