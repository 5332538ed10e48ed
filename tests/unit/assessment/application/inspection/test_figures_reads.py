"""Reads of persons' work-item figures are recorded (personal data of officials): every read
through the API by someone other than the persons shown is a ``FiguresReadLog.ReadRecorded``
event naming the reader and whose figures; a refused read records nothing; a person alone in
a register reading it leaves no record."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from assessment.application.inspection.reads import READ_WORK_FIGURES, ReadFigures
from assessment.application.service import AssessmentApplication, CommandContext
from assessment.bootstrap import build_application
from assessment.domain.inspection.figures_reads import FiguresReadLog, figures_log_id_for
from assessment.entrypoints.api.app import create_app
from helpers import TEST_ISSUER, MutableClock
from inspection_flow import DEPUTY, HEAD, HOME, TEAM, Flow, h, ok
from shared.settings import AssessmentSettings


@pytest.fixture
def app(tmp_path: Path, clock: MutableClock) -> Iterator[AssessmentApplication]:
    application = build_application(
        AssessmentSettings(mode="embedded", sqlite_path=tmp_path / "a.sqlite"), clock=clock
    )
    yield application
    application.close()


def reads_of(app: AssessmentApplication, ident: UUID) -> list[Any]:
    return [
        app.mapper.to_domain_event(s)
        for s in app.recorder.select_events(ident)
        if s.topic.endswith("ReadRecorded")
    ]


def test_every_read_of_the_figures_by_another_is_recorded(
    app: AssessmentApplication, clock: MutableClock, tmp_path: Path
) -> None:
    api = TestClient(create_app(app, verifier=TEST_ISSUER.verifier()))
    flow = Flow(api, clock, tmp_path)
    flow.setup()
    flow.import_register()
    log_id = figures_log_id_for(UUID(flow.ids["inspection"]), flow.ids["SXD"])
    assert reads_of(app, log_id) == []  # importing is not reading
    url = flow.unit_base + "/work-items/figures"
    answer = ok(api.get(url, params={"by": "person"}, headers=h(TEAM)), 200)
    assert answer["read_recorded"] is True
    ok(api.get(url, params={"by": "field"}, headers=h(HOME)), 200)
    refused = api.get(url, headers=h(HEAD))  # a role the matrix does not name: 403, no record
    assert refused.status_code == 403
    events = reads_of(app, log_id)
    assert [(e.reader_subject, e.reader_role) for e in events] == [
        (TEAM["subject"], "inspector"),
        (HOME["subject"], "home_affairs"),
    ]
    shown = {g["key"]["person"] for g in answer["groups"]}
    assert set(events[0].persons) == shown and DEPUTY["subject"] in shown
    assert events[1].what == "số liệu theo field"
    assert all(e.tenant == "tra-vinh" and e.occurred_at is not None for e in events)
    log = app.repository.get(log_id)
    assert isinstance(log, FiguresReadLog) and log.reads == 2


def test_a_person_reading_only_their_own_figures_leaves_no_record(
    app: AssessmentApplication, clock: MutableClock, tmp_path: Path
) -> None:
    api = TestClient(create_app(app, verifier=TEST_ISSUER.verifier()))
    flow = Flow(api, clock, tmp_path)
    flow.setup()
    only = "snv.truong-doan"  # the team head is, here, the one person of a tiny register
    rows = [
        [
            "X-1",
            "Việc",
            "Xây dựng",
            "Văn bản đến",
            only,
            "01/03/2024 08:00",
            "08/03/2024",
            "05/03/2024 10:00",
            "",
            "",
        ],
    ]
    from inspection_flow import to_csv

    ok(flow.upload(to_csv(rows)))
    ctx = CommandContext(
        tenant="tra-vinh", actor={"subject": only, "role": "inspector", "acting_for": "SNV"}
    )
    ids = {"inspection_id": UUID(flow.ids["inspection"]), "unit_id": UUID(flow.ids["SXD"])}
    answer = app.execute(READ_WORK_FIGURES, ctx, ReadFigures(by=("person",)), ids)
    assert answer["read_recorded"] is False and answer["groups"][0]["key"]["person"] == only
    log_id = figures_log_id_for(ids["inspection_id"], flow.ids["SXD"])
    assert reads_of(app, log_id) == []
    other = CommandContext(
        tenant="tra-vinh", actor={"subject": "snv.khac", "role": "auditor", "acting_for": None}
    )
    assert app.execute(READ_WORK_FIGURES, other, ReadFigures(), ids)["read_recorded"] is True
    assert [e.persons for e in reads_of(app, log_id)] == [[only]]
