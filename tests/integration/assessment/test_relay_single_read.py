"""The relay reads and converts each event once (issue 14 item 3), on real PostgreSQL.

The sealer already reads every new notification, converts it to its envelope and chains it;
the relay's source takes that committed batch instead of reading the store again. These tests
show the batch is the one the two-read path gives, and that the store is read once per batch.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from assessment.adapters.contract_mapping import is_published, to_envelope
from assessment.adapters.relay import ApplicationSource
from assessment.adapters.sealer import Sealer
from assessment.application.service import AssessmentApplication, CommandContext
from assessment.bootstrap import build_application, build_sealer, load_or_create_signing_key
from shared.settings import AssessmentSettings

pytestmark = pytest.mark.integration
CTX = CommandContext(
    tenant="dong-nai", actor={"subject": "snv", "role": "home_affairs", "acting_for": "SNV"}
)


@pytest.fixture
def store(pg_url: str, tmp_path: Path) -> Iterator[tuple[AssessmentApplication, Sealer]]:
    key_file = tmp_path / "keys" / "audit.pem"
    load_or_create_signing_key(key_file, create=True)
    settings = AssessmentSettings(
        mode="production",
        database_url=SecretStr(pg_url),
        audit_key_file=key_file,
        checkpoint_every_events=4,
    )
    app = build_application(settings)
    sealer = build_sealer(app, settings)
    yield app, sealer
    sealer.db.close()
    app.close()


class CountingRecorder:
    """Counts the store reads of the notification log, passing everything through."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.selects = 0

    def select_notifications(self, *args: Any, **kwargs: Any) -> Any:
        self.selects += 1
        return self.inner.select_notifications(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


class Reads:
    """The application as the source sees it, with a counting recorder."""

    def __init__(self, app: AssessmentApplication) -> None:
        self.mapper = app.mapper
        self.recorder = CountingRecorder(app.recorder)


def _register(app: AssessmentApplication, first: int, n: int) -> None:
    for i in range(first, first + n):
        app.register_unit(CTX, code=f"U{i}", name=f"Đơn vị {i}", kind="department")


def test_one_store_read_per_batch_and_the_same_envelopes(
    store: tuple[AssessmentApplication, Sealer],
) -> None:
    app, sealer = store
    reads = Reads(app)
    sealer.app = reads  # the sealer reads through the counter too
    source = ApplicationSource(reads, sealer)
    _register(app, 0, 9)
    batch = source.read_batch(0, 1000)
    # one read: the sealer's; the relay took the sealed batch
    assert reads.recorder.selects == 1
    assert len(batch.envelopes) == 9
    assert all(env.hash and env.global_position for env in batch.envelopes)
    # the chain links: each envelope's prev_hash is the one before's hash
    for before, env in zip(batch.envelopes, batch.envelopes[1:], strict=False):
        assert env.prev_hash == before.hash
    assert batch.checkpoints, "a checkpoint every 4 events was signed and is handed on"

    # the old two-read path over the same range gives exactly the same batch
    sealer.last_sealed = None
    again = ApplicationSource(app, sealer)
    notes = app.recorder.select_notifications(start=0, limit=1000, inclusive_of_start=False)
    plain = [to_envelope(app.mapper, n) for n in notes if is_published(n.topic)]
    assert sealer.sealed(plain, 0, batch.position) == batch.envelopes
    assert again.read_batch(batch.position, 1000).envelopes == []


def test_a_source_behind_the_sealer_reads_the_store(
    store: tuple[AssessmentApplication, Sealer],
) -> None:
    """A relay restarted at an older position than the sealer's: the fresh batch does not
    start where the relay is, so the relay reads the store (already sealed rows) itself."""
    app, sealer = store
    _register(app, 0, 5)
    sealer.seal()  # sealed ahead of any relay
    _register(app, 5, 3)
    reads = Reads(app)
    source = ApplicationSource(reads, sealer)
    batch = source.read_batch(0, 1000)
    assert reads.recorder.selects == 1  # the relay's own read (the sealer read through app)
    assert len(batch.envelopes) == 8
    assert [e.global_position for e in batch.envelopes] == sorted(
        e.global_position for e in batch.envelopes
    )
    # then it is level with the sealer and takes the sealed batch from then on
    _register(app, 8, 2)
    sealer.app = reads
    before = reads.recorder.selects
    nxt = source.read_batch(batch.position, 1000)
    assert reads.recorder.selects == before + 1
    assert len(nxt.envelopes) == 2
    assert nxt.envelopes[0].prev_hash == batch.envelopes[-1].hash


def test_a_failed_seal_leaves_nothing_to_take(
    store: tuple[AssessmentApplication, Sealer],
) -> None:
    app, sealer = store
    _register(app, 0, 2)
    sealer.seal()
    assert sealer.last_sealed is not None
    _register(app, 2, 1)

    class Broken(Reads):
        pass

    broken = Broken(app)

    def fail(*_a: Any, **_k: Any) -> Any:
        raise RuntimeError("store down")

    broken.recorder.select_notifications = fail  # type: ignore[method-assign]
    sealer.app = broken
    with pytest.raises(RuntimeError):
        sealer.seal()
    assert sealer.last_sealed is None
