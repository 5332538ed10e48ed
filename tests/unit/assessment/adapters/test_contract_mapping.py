"""The direct stored-JSON → envelope path gives exactly the envelope of the domain-event path."""

from __future__ import annotations

import json
from pathlib import Path
from uuid import UUID

from eventsourcing.persistence import Notification

from assessment.adapters import contract_mapping
from assessment.adapters.contract_mapping import _direct, to_envelope, to_envelope_via_event
from assessment.adapters.event_tags import split_tag
from assessment.bootstrap import build_application
from embedded.demo import load_demo
from shared.envelope import event_id_for
from shared.settings import AssessmentSettings


def test_direct_path_matches_the_domain_event_path_on_the_whole_demo_history(
    tmp_path: Path,
) -> None:
    app = build_application(AssessmentSettings(sqlite_path=tmp_path / "a.sqlite"))
    try:
        load_demo(app)
        notes = app.recorder.select_notifications(start=None, limit=100_000)
        assert len(notes) > 40
        topics = set()
        for n in notes:
            direct = _direct(app.mapper, n)
            assert direct is not None, n.topic  # the demo needs no fallback
            assert direct == to_envelope_via_event(app.mapper, n), n.topic
            topics.add(n.topic)
        assert len(topics) >= 8, topics  # units, cycles, the assessment steps
    finally:
        app.close()


def test_unknown_typed_values_and_older_class_versions_take_the_domain_event_path(
    tmp_path: Path,
) -> None:
    app = build_application(AssessmentSettings(sqlite_path=tmp_path / "a.sqlite"))
    try:
        load_demo(app)
        note = app.recorder.select_notifications(start=None, limit=1)[0]
        state = json.loads(split_tag(note.state)[0])  # the write tag is not content
        odd = {**state, "extra": {"_type_": "not_known", "_data_": 1}}
        n = Notification(**{**note.__dict__, "state": json.dumps(odd).encode()})
        assert _direct(app.mapper, n) is None
        old = {**state, "class_version": 0}
        n = Notification(**{**note.__dict__, "state": json.dumps(old).encode()})
        assert _direct(app.mapper, n) is None
        assert to_envelope(app.mapper, note) == to_envelope_via_event(app.mapper, note)
    finally:
        app.close()
    assert contract_mapping.is_published(note.topic)


def test_event_id_is_uuid5_of_aggregate_and_version() -> None:
    import uuid

    from shared.envelope import EVENT_ID_NAMESPACE

    for i in range(200):
        agg = uuid.uuid4()
        expected = str(uuid.uuid5(EVENT_ID_NAMESPACE, f"{agg}:{i}"))
        assert event_id_for(agg, i) == expected
        assert event_id_for(str(agg), i) == expected
    assert UUID(event_id_for(agg, 1)).version == 5
