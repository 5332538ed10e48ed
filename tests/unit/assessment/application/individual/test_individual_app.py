"""The individual context through the application (in-memory store): an agency rated under
Decree 335 for 2026 — staff import, monthly sheets, the procedure, the head after the unit,
bulk decisions against the quota, recorded reads, the redo — each refusal storing nothing."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from assessment.application.kernel.permissions import Forbidden, OutsideAssignment
from assessment.application.service import AssessmentApplication, CommandContext
from assessment.domain.individual.errors import (
    ExcellentQuotaExceeded,
    FileAccessDenied,
    HeadAboveUnit,
    LevelAboveCeiling,
    LevelNotMatchingScore,
    NotCompetent,
    UnitResultPending,
)
from assessment.domain.kernel.errors import AlreadyExists
from helpers import MutableClock

T = "dong-nai"
GOOD, EXC = "hoan_thanh_tot", "hoan_thanh_xuat_sac"


def ctx(role: str, unit: str | None, subject: str = "u") -> CommandContext:
    return CommandContext(tenant=T, actor={"subject": subject, "role": role, "acting_for": unit})


HA = ctx("home_affairs", "SNV")
TCCB = ctx("personnel", "SNN", "tccb.snn")
HEAD = ctx("unit_head", "SNN", "gd.snn")
CHAIR = ctx("chairman", "UBND", "ct.ubnd")


def row(code: str, position: str = "staff", category: str = "cong_chuc") -> dict[str, Any]:
    return {
        "code": code,
        "full_name": f"Người {code}",
        "category": category,
        "agency_id": "SNN",
        "position": position,
        "job_position": "Chuyên viên",
        "task_group": "chuyen_vien" if position == "staff" else "lanh_dao",
        "employed_from": "2015-01-01",
        "account": code.lower(),
    }


def sheet(code: str, month: int, general: str) -> dict[str, Any]:
    return {
        "person_code": code,
        "period": month,
        "general": general,
        "products": [{"code": "BC", "assigned": "2", "completed": "2"}],
    }


@pytest.fixture
def app() -> Iterator[AssessmentApplication]:
    clock = MutableClock(datetime(2026, 12, 1, 2, 0, tzinfo=UTC))
    application = AssessmentApplication(
        env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock=clock
    )
    application.register_unit(HA, code="UBND", name="UBND tỉnh", kind="peoples_committee")
    application.register_unit(HA, code="SNN", name="Sở NN", kind="department", parent_code="UBND")
    application.register_unit(HA, code="STC", name="Sở TC", kind="department", parent_code="UBND")
    yield application
    application.close()


def count(app: AssessmentApplication) -> int:
    return app.recorder.max_notification_id() or 0


def staff(app: AssessmentApplication, n: int = 10) -> dict[str, uuid.UUID]:
    rows = [row("GD", "head"), row("PGD", "deputy")] + [row(f"CV{i}") for i in range(n)]
    out = app.import_staff(TCCB, rows=rows)
    return {item["code"]: uuid.UUID(item["id"]) for item in out["items"]}


def recognise_unit(app: AssessmentApplication, level: str) -> None:
    from assessment.application.registry.api import unit_id

    snn = unit_id(T, "SNN")
    cycle = app.plan_cycle(HA, year=2026, plan_reference="KH 1", unit_ids=[snn])
    cid = uuid.UUID(cycle["id"])
    groups = {
        g: {"results": "r" * 90, "limitations": "l"} for g in ("tham_muu", "nhiem_vu", "ky_luat")
    }
    app.submit_self_assessment(
        ctx("unit_officer", "SNN"), cid, snn, groups=groups, proposed_level=level
    )
    app.consolidate(HA, cid, snn, summary="Tổng hợp", proposed_level=level)
    app.review_by_caucus(ctx("party_caucus", "BCS"), cid, snn, comment="Nhất trí")
    app.recognise(
        CHAIR,
        cid,
        snn,
        decision_number="QĐ 9",
        decision_date="2026-12-01",  # not in the future (the clock)
        signer="Chủ tịch",
        level=level,
    )


def through_proposal(app: AssessmentApplication, rid: uuid.UUID, code: str) -> None:
    app.self_assess(
        ctx("official", "SNN", code.lower()),
        rid,
        form="phieu_diem_335",
        content={"ket_qua": "Các sản phẩm tháng"},
    )
    app.minute_meeting(
        TCCB,
        rid,
        minutes_number="BB-1",
        held_on="2026-12-08",
        attendees=12,
        comments=[{"by": "Tổ công đoàn", "text": "Nhất trí"}],
    )
    app.approve_minutes(TCCB, rid, approved_on="2026-12-08")
    app.comment_by_party_committee(TCCB, rid, document_number="NX-1", comments="Nhất trí")
    rating = app.execute(
        __import__("assessment.application.individual.reads", fromlist=["x"]).READ_RATING,
        TCCB,
        __import__("assessment.application.individual.reads", fromlist=["x"]).ReadFile(),
        {"rating_id": rid},
    )
    score = rating["steps"]["self_assessment"]["score"]
    level = rating["steps"]["self_assessment"]["proposed_level"]
    app.propose_level(TCCB, rid, proposed_level=level, summary=f"Điểm năm {score}")


def test_an_agency_rated_under_decree_335(app: AssessmentApplication) -> None:
    ids = staff(app)
    with pytest.raises(AlreadyExists):
        app.import_staff(TCCB, rows=[row("CV0")])
    with pytest.raises(OutsideAssignment):  # personnel of another agency
        app.import_staff(ctx("personnel", "STC"), rows=[row("X9")])
    # 12 months: CV0, CV1 at 95 (excellent), the rest at 80 (good); leaders at 85
    general = {"CV0": "25", "CV1": "25", "GD": "15", "PGD": "15"}
    sheets = [sheet(code, m, general.get(code, "10")) for code in ids for m in range(1, 13)]
    out = app.import_sheets(TCCB, year=2026, sheets=sheets)
    assert len(out["items"]) == 12 * 12
    before = app.recorder.max_notification_id()
    with pytest.raises(AlreadyExists):  # one sheet of the period exists already: all refused
        app.import_sheets(TCCB, year=2026, sheets=[sheet(next(iter(ids)), 12, "10")])
    assert app.recorder.max_notification_id() == before
    opened = app.open_ratings(TCCB, agency_id="SNN", year=2026, person_codes=list(ids))
    rid = {code: uuid.UUID(i["id"]) for code, i in zip(ids, opened["items"], strict=True)}
    # a head waits for the unit's collective result
    app.self_assess(
        ctx("official", "SNN", "gd"), rid["GD"], form="phieu_diem_335", content={"ket_qua": "x"}
    )
    app.minute_meeting(
        TCCB,
        rid["GD"],
        minutes_number="BB-2",
        held_on="2026-12-08",
        attendees=12,
        comments=[{"by": "Tập thể lãnh đạo", "text": "Nhất trí"}],
    )
    app.approve_minutes(TCCB, rid["GD"], approved_on="2026-12-08")
    app.comment_by_party_committee(TCCB, rid["GD"], document_number="NX-2", comments="Nhất trí")
    with pytest.raises(UnitResultPending):
        app.propose_level(TCCB, rid["GD"], proposed_level=GOOD, summary="x")
    for code in ids:
        if code != "GD":
            through_proposal(app, rid[code], code)
    # a level that does not match the score is refused, above or below it
    with pytest.raises(LevelAboveCeiling):
        app.decide_rating(
            HEAD, rid["CV2"], level=EXC, decision_number="QĐ 1", decided_on="2026-12-10"
        )
    with pytest.raises(LevelNotMatchingScore):
        app.decide_rating(
            HEAD, rid["CV0"], level=GOOD, decision_number="QĐ 1", decided_on="2026-12-10"
        )
    # 8 good + 2 excellent in 'chuyen_vien': 20 % of 8 is 1 → the batch is refused whole
    batch = [
        {"rating_id": str(rid[c]), "level": EXC if c in ("CV0", "CV1") else GOOD}
        for c in ids
        if c.startswith("CV")
    ]
    before = count(app)
    with pytest.raises(ExcellentQuotaExceeded):
        app.decide_ratings(HEAD, decisions=batch, decision_number="QĐ 2", decided_on="2026-12-10")
    assert count(app) == before
    app.override_quota(
        CHAIR,
        agency_id="SNN",
        task_group="chuyen_vien",
        year=2026,
        percent="25",
        decision_number="QĐ 3/UBND",
        decided_on="2026-12-09",
        reason="Đơn vị dẫn đầu chuyển đổi số",
    )
    done = app.decide_ratings(
        HEAD, decisions=batch, decision_number="QĐ 2", decided_on="2026-12-10"
    )
    assert len(done["items"]) == 10 and not done["late"]
    # the deputy by the head (late: after 15/12)
    with pytest.raises(NotCompetent):  # the chairman does not rate a sở's deputy
        app.decide_rating(
            CHAIR, rid["PGD"], level=GOOD, decision_number="QĐ 4", decided_on="2026-12-10"
        )
    late = app.decide_rating(
        HEAD, rid["PGD"], level=GOOD, decision_number="QĐ 4", decided_on="2026-12-16"
    )
    assert late["late"] is True
    # the head: after the unit's result, by the chairman (superior), not above the unit
    recognise_unit(app, GOOD)
    through_proposal_head(app, rid["GD"])
    with pytest.raises(OutsideAssignment):  # the sở head may not rate themself
        app.decide_rating(
            HEAD, rid["GD"], level=GOOD, decision_number="QĐ 5", decided_on="2026-12-11"
        )
    app.decide_rating(CHAIR, rid["GD"], level=GOOD, decision_number="QĐ 5", decided_on="2026-12-11")
    quota = app.execute(
        _reads().READ_QUOTA,
        HEAD,
        _reads().ReadQuota(agency_id="SNN", task_group="chuyen_vien", year=2026),
        {},
    )
    assert quota["good"] == 8 and quota["excellent"] == 2 and quota["allowed"] == 2
    assert len(quota["holders"]) == 2 and quota["override"]["decision_number"] == "QĐ 3/UBND"


def through_proposal_head(app: AssessmentApplication, rid: uuid.UUID) -> None:
    with pytest.raises(HeadAboveUnit):  # 85 points would be "good"; the unit is "good": equal
        app.propose_level(TCCB, rid, proposed_level=EXC, summary="x")
    app.propose_level(TCCB, rid, proposed_level=GOOD, summary="Bằng mức của tập thể")


def _reads() -> Any:
    from assessment.application.individual import reads

    return reads


def test_reads_of_a_file_are_recorded_unless_by_the_person(app: AssessmentApplication) -> None:
    ids = staff(app, 1)
    reads = _reads()
    before = count(app)
    own = app.execute(
        reads.READ_PERSON_FILE,
        ctx("official", "SNN", "cv0"),
        reads.ReadFile(),
        {"person_id": ids["CV0"]},
    )
    assert own["code"] == "CV0" and count(app) == before
    app.execute(reads.READ_PERSON_FILE, HEAD, reads.ReadFile(), {"person_id": ids["CV0"]})
    assert count(app) == before + 2  # the log opened, the read recorded
    events = app.aggregate_history(
        ctx("auditor", None),
        __import__("assessment.domain.individual.access", fromlist=["x"]).log_id_for(
            ids["CV0"], 2026
        ),
    )
    assert events[-1]["type"].endswith("PersonFileLog.ReadRecorded")
    for who, error in (
        (ctx("official", "SNN", "cv-other"), FileAccessDenied),  # a colleague
        (ctx("unit_head", "STC", "gd.stc"), OutsideAssignment),  # another agency's head
        (ctx("unit_officer", "SNN"), Forbidden),  # a role the rules do not name
    ):
        with pytest.raises(error):
            app.execute(reads.READ_PERSON_FILE, who, reads.ReadFile(), {"person_id": ids["CV0"]})
    assert count(app) == before + 2


def test_redo_keeps_history_and_releases_the_quota(app: AssessmentApplication) -> None:
    ids = staff(app, 5)
    app.import_sheets(TCCB, year=2026, sheets=[sheet("CV0", m, "10") for m in range(1, 13)])
    rid = uuid.UUID(app.open_rating(TCCB, ids["CV0"], year=2026)["id"])
    through_proposal(app, rid, "CV0")
    app.decide_rating(HEAD, rid, level=GOOD, decision_number="QĐ 1", decided_on="2026-12-10")
    app.redo_rating(
        HA, rid, reason="Kiểm tra của Sở Nội vụ: chưa đúng quy trình", basis="decree_335"
    )
    rating = app.execute(_reads().READ_RATING, HA, _reads().ReadFile(), {"rating_id": rid})
    assert rating["decision"] is None and rating["history"][0]["decision"]["level"] == GOOD
    quota = app.execute(
        _reads().READ_QUOTA,
        HA,
        _reads().ReadQuota(agency_id="SNN", task_group="chuyen_vien", year=2026),
        {},
    )
    assert quota["good"] == 0
