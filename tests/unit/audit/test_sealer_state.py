"""The sealer starts from the state it committed last, without reading it first (issue 14
item 3); when another sealer moved the head meanwhile, its write transaction notices, writes
nothing, and the next seal continues from the stored head: one chain, no fork."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

from assessment.application.service import CommandContext
from assessment.bootstrap import build_application, build_sealer, load_or_create_signing_key
from shared.settings import AssessmentSettings

CTX = CommandContext(
    tenant="dong-nai", actor={"subject": "snv", "role": "home_affairs", "acting_for": "SNV"}
)


def test_two_sealers_keep_one_chain(tmp_path: Path) -> None:
    settings = AssessmentSettings(
        sqlite_path=tmp_path / "a.sqlite", audit_key_file=tmp_path / "audit.pem"
    )
    load_or_create_signing_key(tmp_path / "audit.pem", create=True)
    app = build_application(settings)
    first, second = build_sealer(app, settings), build_sealer(app, settings)
    try:
        for i in range(2):
            app.register_unit(CTX, code=f"U{i}", name=f"Đơn vị {i}", kind="department")
        assert first.seal() > 0
        reads = []
        original = first.head
        first.head = lambda: (reads.append(1), original())[1]  # type: ignore[method-assign]
        app.register_unit(CTX, code="U2", name="Đơn vị 2", kind="department")
        assert first.seal() > 0
        assert reads == []  # started from the state it committed, not from a read

        app.register_unit(CTX, code="U3", name="Đơn vị 3", kind="department")
        assert second.seal() > 0  # the other sealer moves the head
        app.register_unit(CTX, code="U4", name="Đơn vị 4", kind="department")
        assert first.seal() == 0  # its remembered state is stale: nothing written
        assert first.last_sealed is None
        assert first.seal() > 0  # re-read the head, continued from it

        links = first.all_links()
        assert [lk.position for lk in links] == sorted({lk.position for lk in links})
        for before, after in itertools.pairwise(links):
            assert after.prev_hash == before.hash  # one chain, no fork
        assert first.head()[2] == links[-1].hash and first.head()[3] == len(links)
    finally:
        first.db.close()
        second.db.close()
        app.close()


def test_an_idle_read_asks_for_checkpoints_only_when_one_is_newer(tmp_path: Path) -> None:
    """The seal's transaction saw the last checkpoint: an idle read with nothing newer than
    what was published makes no checkpoint query; one signed meanwhile is still returned."""
    from assessment.adapters.relay import ApplicationSource

    settings = AssessmentSettings(
        sqlite_path=tmp_path / "a.sqlite",
        audit_key_file=tmp_path / "audit.pem",
        checkpoint_every_events=2,
    )
    load_or_create_signing_key(tmp_path / "audit.pem", create=True)
    app = build_application(settings)
    sealer = build_sealer(app, settings)
    asked: list[tuple[int, int | None]] = []
    original = sealer.checkpoints

    def counting(after: int = 0, up_to: int | None = None, limit: int = 1000) -> list[Any]:
        asked.append((after, up_to))
        return original(after, up_to, limit)

    sealer.checkpoints = counting  # type: ignore[method-assign]
    source = ApplicationSource(app, sealer)
    try:
        for i in range(2):
            app.register_unit(CTX, code=f"U{i}", name=f"Đơn vị {i}", kind="department")
        batch = source.read_batch(0, 100)
        assert [cp.position for cp in batch.checkpoints] == [batch.envelopes[-1].global_position]
        source.checkpoints_after = batch.checkpoints[-1].position  # published with the batch
        asked.clear()
        idle = source.read_batch(batch.position, 100)
        assert idle.envelopes == [] and idle.checkpoints == []
        assert asked == []  # nothing newer: not asked
        # two more events: the next seal signs a checkpoint, and the read returns it
        app.register_unit(CTX, code="U2", name="Đơn vị 2", kind="department")
        app.register_unit(CTX, code="U3", name="Đơn vị 3", kind="department")
        nxt = source.read_batch(batch.position, 100)
        assert len(asked) == 1 and [cp.position for cp in nxt.checkpoints] == [
            nxt.envelopes[-1].global_position
        ]
    finally:
        sealer.db.close()
        app.close()
