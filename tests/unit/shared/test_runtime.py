"""The heap settling of a server (``shared.runtime``): thresholds set, start-up heap frozen,
nothing done when turned off, and after an app's lifespan start-up when wrapped."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator
from typing import Any

import pytest

from shared.runtime import settle_after_startup, settle_heap
from shared.settings import GcSettings


@pytest.fixture
def clean_gc() -> Iterator[None]:
    before = gc.get_threshold()
    gc.unfreeze()
    yield
    gc.unfreeze()
    gc.set_threshold(*before)


def test_settle_heap_freezes_and_sets_thresholds(clean_gc: None) -> None:
    assert gc.get_freeze_count() == 0
    done = settle_heap(GcSettings(gen0_threshold=12_345, gen1_threshold=7, gen2_threshold=9))
    assert done is True
    assert gc.get_threshold() == (12_345, 7, 9)
    assert gc.get_freeze_count() > 1000  # the modules and objects this process has built


def test_settle_heap_turned_off_changes_nothing(clean_gc: None) -> None:
    before = gc.get_threshold()
    assert settle_heap(GcSettings(tune=False)) is False
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_environment_names(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONGVU_GC_TUNE", "false")
    monkeypatch.setenv("CONGVU_GC_GEN0_THRESHOLD", "5000")
    s = GcSettings()
    assert (s.tune, s.gen0_threshold) == (False, 5000)
    monkeypatch.setenv("CONGVU_GC_GEN0_THRESHOLD", "10")
    with pytest.raises(ValueError):
        GcSettings()  # below the minimum: a typo must not make the collector run constantly


def test_wrapper_settles_after_startup_completes_not_before(
    clean_gc: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONGVU_GC_GEN0_THRESHOLD", "4321")
    seen: list[Any] = []

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        assert scope["type"] == "lifespan"
        await receive()
        seen.append(("before startup.complete", gc.get_freeze_count()))
        await send({"type": "lifespan.startup.complete"})

    async def main() -> None:
        async def receive() -> dict[str, Any]:
            return {"type": "lifespan.startup"}

        async def send(message: dict[str, Any]) -> None:
            seen.append((message["type"], gc.get_freeze_count()))

        await settle_after_startup(app)({"type": "lifespan"}, receive, send)

    asyncio.run(main())
    assert seen[0] == ("before startup.complete", 0)
    assert seen[1][0] == "lifespan.startup.complete" and seen[1][1] > 0
    assert gc.get_threshold()[0] == 4321


def test_wrapper_passes_other_scopes_through(clean_gc: None) -> None:
    calls: list[str] = []

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        calls.append(scope["type"])

    asyncio.run(settle_after_startup(app)({"type": "http"}, None, None))
    assert calls == ["http"]
    assert gc.get_freeze_count() == 0
