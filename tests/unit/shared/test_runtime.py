"""The heap settling of a server (``shared.runtime``): thresholds set, start-up heap frozen,
nothing done when turned off."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from shared.runtime import settle_heap
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
