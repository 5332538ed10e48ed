"""``shared.server.settle_heap``: the server's startup heap frozen out of the collector once it
has started (issue 14: full collections under load walked it), unless ``CONGVU_GC_FREEZE=off``;
only ``congvu run`` asks for it among the embedded app's callers."""

from __future__ import annotations

import gc
import inspect
from collections.abc import Iterator

import pytest

from shared.server import settle_heap


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_the_startup_heap_is_frozen(unfrozen: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CONGVU_GC_FREEZE", raising=False)
    assert gc.get_freeze_count() == 0
    settle_heap()
    assert gc.get_freeze_count() > 1000


def test_off_leaves_the_collector_alone(unfrozen: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONGVU_GC_FREEZE", "off")
    settle_heap()
    assert gc.get_freeze_count() == 0


def test_only_the_server_command_settles_the_embedded_app() -> None:
    from embedded import cli
    from embedded.app import create_embedded_app

    assert inspect.signature(create_embedded_app).parameters["settle"].default is False
    assert "settle=True" in inspect.getsource(cli.run)
