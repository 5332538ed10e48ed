"""The heap settling of a server (``shared.runtime``): thresholds set, start-up heap frozen,
nothing done when turned off; the thread switch interval of the relay and the consumer."""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator

import pytest

from shared.runtime import quicken_switches, settle_heap
from shared.settings import GcSettings, ThreadSettings


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


@pytest.fixture
def clean_switch() -> Iterator[None]:
    before = sys.getswitchinterval()
    yield
    sys.setswitchinterval(before)


def test_quicken_switches_sets_the_interval(clean_switch: None) -> None:
    assert quicken_switches(ThreadSettings(switch_interval_ms=2)) == pytest.approx(0.002)
    assert sys.getswitchinterval() == pytest.approx(0.002)
    assert quicken_switches() == pytest.approx(0.001)  # the default: 1 ms instead of 5


def test_switch_interval_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, clean_switch: None
) -> None:
    monkeypatch.setenv("CONGVU_THREAD_SWITCH_INTERVAL_MS", "5")
    assert quicken_switches() == pytest.approx(0.005)  # CPython's own
    for bad in ("0", "-1", "1000"):
        monkeypatch.setenv("CONGVU_THREAD_SWITCH_INTERVAL_MS", bad)
        with pytest.raises(ValueError):
            ThreadSettings()
