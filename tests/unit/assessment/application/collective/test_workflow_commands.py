"""The collective workflow's new commands through the application (in-memory store): drafts,
withdrawal and resubmission, supplements, one recognition decision for a list (all or nothing),
idempotent retries, deadline changes with their reasons, enrolment candidates."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import UUID

import pytest

from assessment.application.kernel.permissions import Forbidden, OutsideAssignment
from assessment.application.service import AssessmentApplication, CommandContext
from assessment.domain.kernel.errors import (
    NotFound,
    StepClosed,
    StepOrderViolation,
    ValidationFailed,
)
from builders import thorough_groups
from helpers import MutableClock

TENANT = "dong-nai"
CODES = ("SNV", "STC", "SYT")


def ctx(role: str, unit: str | None = "SNV", subject: str = "u", key: str | None = None) -> Any:
    return CommandContext(
        tenant=TENANT,
        actor={"subject": subject, "role": role, "acting_for": unit},
        idempotency_key=key,
        request_fingerprint="fp" if key else None,
    )


HA = ctx("home_affairs", subject="snv.tonghop")
CAUCUS = ctx("party_caucus", "UBND-TINH", "bcsd")
CHAIR = ctx("chairman", "UBND-TINH", "chu-tich")


def officer(code: str = "SNV") -> Any:
    return ctx("unit_officer", code, f"{code.lower()}.vanthu")


@pytest.fixture
def app(clock: MutableClock) -> Iterator[AssessmentApplication]:
    application = AssessmentApplication(
        env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock=clock
    )
    yield application
    application.close()


@pytest.fixture
def cycle(app: AssessmentApplication) -> dict[str, Any]:
    units = {
        code: UUID(app.register_unit(HA, code=code, name=f"Sở {code}", kind="department")["id"])
        for code in CODES
    }
    planned = app.plan_cycle(
        HA,
        year=2013,
        plan_reference="KH 2013",
        unit_ids=list(units.values()),
        deadlines={"self_assessment": "2013-12-10"},
    )
    return {"id": UUID(planned["id"]), "units": units}


def count(app: AssessmentApplication) -> int:
    return app.recorder.max_notification_id() or 0


def submit(app: AssessmentApplication, c: dict[str, Any], code: str = "SNV", **kw: Any) -> Any:
    return app.submit_self_assessment(
        officer(code), c["id"], c["units"][code], groups=thorough_groups(), **kw
    )


def ua(app: AssessmentApplication, c: dict[str, Any], code: str = "SNV") -> dict[str, Any]:
    result: dict[str, Any] = app.get_unit_assessment(HA, c["id"], c["units"][code])
    return result


# ------------------------------------------------------------------ drafts and withdrawal
def test_draft_submit_withdraw_resubmit(
    app: AssessmentApplication, cycle: dict[str, Any], clock: MutableClock
) -> None:
    c, snv = cycle, cycle["units"]["SNV"]
    clock.set("2013-12-01T09:00:00+07:00")
    app.save_self_assessment_draft(
        officer(), c["id"], snv, groups={"tham_muu": {"results": "Bản nháp"}}
    )
    draft = app.get_self_assessment_draft(officer(), c["id"], snv)
    assert draft["groups"]["tham_muu"]["results"] == "Bản nháp"
    assert draft["proposed_level"] is None
    submit(app, c, proposed_level="hoan_thanh_tot")
    with pytest.raises(StepClosed):  # a draft over a submitted report: withdraw first
        app.save_self_assessment_draft(officer(), c["id"], snv, groups={})

    clock.set("2013-12-05T10:00:00+07:00")
    app.withdraw_self_assessment(officer(), c["id"], snv, reason="Bổ sung số liệu")
    state = ua(app, c)
    assert state["self_assessment"] is None
    [withdrawal] = state["withdrawals"]
    assert withdrawal["by"]["subject"] == "snv.vanthu"
    assert withdrawal["reason"] == "Bổ sung số liệu"
    back = app.get_self_assessment_draft(officer(), c["id"], snv)
    assert back["proposed_level"] == "hoan_thanh_tot"  # the withdrawn report is the draft
    assert set(back["groups"]) == {"tham_muu", "nhiem_vu", "ky_luat"}

    answer = submit(app, c, proposed_level="hoan_thanh_xuat_sac")
    assert answer["late"] is False
    assert ua(app, c)["self_assessment"]["proposed_level"] == "hoan_thanh_xuat_sac"


def test_withdrawal_after_the_deadline_is_refused_and_changes_nothing(
    app: AssessmentApplication, cycle: dict[str, Any], clock: MutableClock
) -> None:
    clock.set("2013-12-10T15:00:00+07:00")
    submit(app, cycle, proposed_level="hoan_thanh_tot")
    clock.set("2013-12-11T00:00:01+07:00")  # the deadline was the end of 10/12, Vietnam time
    before = count(app)
    with pytest.raises(StepClosed, match="quá hạn"):
        app.withdraw_self_assessment(officer(), cycle["id"], cycle["units"]["SNV"])
    assert count(app) == before
    assert ua(app, cycle)["self_assessment"] is not None


def test_withdrawal_once_home_affairs_consolidated_is_refused(
    app: AssessmentApplication, cycle: dict[str, Any], clock: MutableClock
) -> None:
    clock.set("2013-12-01T09:00:00+07:00")
    submit(app, cycle, proposed_level="hoan_thanh_tot")
    snv = cycle["units"]["SNV"]
    app.consolidate(HA, cycle["id"], snv, summary="Tổng hợp", proposed_level="hoan_thanh_tot")
    with pytest.raises(StepClosed, match="tổng hợp"):
        app.withdraw_self_assessment(officer(), cycle["id"], snv)
    with pytest.raises(StepOrderViolation):  # nothing submitted: nothing to withdraw
        app.withdraw_self_assessment(officer("STC"), cycle["id"], cycle["units"]["STC"])


def test_only_the_units_own_officers_withdraw_or_read_its_draft(
    app: AssessmentApplication, cycle: dict[str, Any], clock: MutableClock
) -> None:
    clock.set("2013-12-01T09:00:00+07:00")
    submit(app, cycle, proposed_level="hoan_thanh_tot")
    snv = cycle["units"]["SNV"]
    with pytest.raises(OutsideAssignment):
        app.withdraw_self_assessment(officer("STC"), cycle["id"], snv)
    with pytest.raises(Forbidden):
        app.withdraw_self_assessment(HA, cycle["id"], snv)
    with pytest.raises(Forbidden):
        app.get_self_assessment_draft(HA, cycle["id"], snv)
    assert ua(app, cycle)["withdrawals"] == []


# ------------------------------------------------------------------ supplements
def test_supplement_request_and_answer(
    app: AssessmentApplication, cycle: dict[str, Any], clock: MutableClock
) -> None:
    snv = cycle["units"]["SNV"]
    clock.set("2013-12-01T09:00:00+07:00")
    with pytest.raises(StepOrderViolation):  # nothing to supplement before the report
        app.ask_for_supplement(HA, cycle["id"], snv, reason="Bổ sung", due_date="2013-12-20")
    submit(app, cycle, proposed_level="hoan_thanh_tot")
    with pytest.raises(ValidationFailed, match="trước hôm nay"):
        app.ask_for_supplement(HA, cycle["id"], snv, reason="Bổ sung", due_date="2013-11-30")
    asked = app.ask_for_supplement(
        HA, cycle["id"], snv, reason="Bổ sung số liệu quý IV", due_date="2013-12-03"
    )
    request_id = UUID(asked["request_id"])
    with pytest.raises(Forbidden):  # a reviewer's request is answered by the unit only
        app.answer_supplement(HA, cycle["id"], snv, request_id, text="Trả lời")
    clock.set("2013-12-04T08:00:00+07:00")  # after the due day: accepted, marked late
    evidence = thorough_groups()["tham_muu"]["evidence"]
    app.answer_supplement(
        officer(), cycle["id"], snv, request_id, text="Gửi kèm số liệu", evidence=evidence
    )
    [sup] = ua(app, cycle)["supplements"]
    assert sup["by"]["subject"] == "snv.tonghop"
    assert sup["reason"] == "Bổ sung số liệu quý IV"
    assert sup["answer"]["by"]["subject"] == "snv.vanthu"
    assert sup["answer"]["evidence"] == evidence
    assert sup["answer"]["late_by_seconds"] == 8 * 3600
    before = count(app)
    with pytest.raises(StepClosed):  # answered once
        app.answer_supplement(officer(), cycle["id"], snv, request_id, text="Lần hai")
    with pytest.raises(NotFound):
        app.answer_supplement(officer(), cycle["id"], snv, cycle["id"], text="Không có")
    assert count(app) == before


def test_a_sector_agency_asks_only_for_the_units_it_manages(
    app: AssessmentApplication, cycle: dict[str, Any], clock: MutableClock
) -> None:
    clock.set("2013-12-01T09:00:00+07:00")
    submit(app, cycle, proposed_level="hoan_thanh_tot")
    reviewer = ctx("sector_reviewer", "SYT", "syt.lanhdao")
    with pytest.raises(OutsideAssignment):
        app.ask_for_supplement(
            reviewer, cycle["id"], cycle["units"]["SNV"], reason="Bổ sung", due_date="2013-12-20"
        )
    app.grant_assignment(
        HA,
        kind="sector_management",
        holder="SYT",
        unit_ids=[cycle["units"]["SNV"]],
        decision_number="45/QĐ-UBND",
        decision_date="2013-01-15",
        valid_from="2013-01-15",
    )
    app.ask_for_supplement(
        reviewer, cycle["id"], cycle["units"]["SNV"], reason="Bổ sung", due_date="2013-12-20"
    )
    [sup] = ua(app, cycle)["supplements"]
    assert sup["requested_by_unit"] == "SYT"


# ------------------------------------------------------------------ one decision, many units
def to_caucus(app: AssessmentApplication, c: dict[str, Any], *codes: str) -> None:
    for code in codes:
        unit = c["units"][code]
        submit(app, c, code, proposed_level="hoan_thanh_tot")
        app.consolidate(HA, c["id"], unit, summary="Tổng hợp", proposed_level="hoan_thanh_tot")
        if code != "SYT":
            app.review_by_caucus(CAUCUS, c["id"], unit, comment="Thống nhất")


def decision(c: dict[str, Any], *codes: str, level: str = "hoan_thanh_tot") -> dict[str, Any]:
    return {
        "decision_number": "131/QĐ-UBND",
        "decision_date": "2014-01-15",
        "signer": "Đinh Quốc Thái",
        "units": [{"unit_id": c["units"][code], "level": level} for code in codes],
    }


def test_recognition_of_a_list_is_all_or_nothing(
    app: AssessmentApplication, cycle: dict[str, Any], clock: MutableClock
) -> None:
    clock.set("2013-12-01T09:00:00+07:00")
    to_caucus(app, cycle, "SNV", "STC", "SYT")  # SYT has no caucus review
    clock.set("2014-01-15T09:00:00+07:00")
    before = count(app)
    with pytest.raises(StepOrderViolation, match="Sở SYT"):
        app.recognise_units(CHAIR, cycle["id"], **decision(cycle, "SNV", "STC", "SYT"))
    assert count(app) == before
    assert all(ua(app, cycle, code)["recognition"] is None for code in CODES)

    answer = app.recognise_units(CHAIR, cycle["id"], **decision(cycle, "SNV", "STC"))
    assert [i["unit_id"] for i in answer["items"]] == [
        str(cycle["units"]["SNV"]),
        str(cycle["units"]["STC"]),
    ]
    for code in ("SNV", "STC"):
        recognition = ua(app, cycle, code)["recognition"]
        assert recognition["decision_number"] == "131/QĐ-UBND"
        assert recognition["by"]["subject"] == "chu-tich"
    with pytest.raises(StepClosed):  # a plain retry finds them recognised: nothing changes
        app.recognise_units(CHAIR, cycle["id"], **decision(cycle, "SNV", "STC"))


def test_recognition_of_a_list_retried_with_its_key_answers_the_same(
    app: AssessmentApplication, cycle: dict[str, Any], clock: MutableClock
) -> None:
    clock.set("2013-12-01T09:00:00+07:00")
    to_caucus(app, cycle, "SNV", "STC")
    clock.set("2014-01-15T09:00:00+07:00")
    keyed = ctx("chairman", "UBND-TINH", "chu-tich", key="qd-131")
    first = app.recognise_units(keyed, cycle["id"], **decision(cycle, "SNV", "STC"))
    n = count(app)
    again = app.recognise_units(keyed, cycle["id"], **decision(cycle, "SNV", "STC"))
    assert again == first
    assert count(app) == n


def test_recognition_of_a_list_refuses_duplicates_and_other_roles(
    app: AssessmentApplication, cycle: dict[str, Any], clock: MutableClock
) -> None:
    clock.set("2013-12-01T09:00:00+07:00")
    to_caucus(app, cycle, "SNV")
    with pytest.raises(ValidationFailed, match="hai lần"):
        app.recognise_units(CHAIR, cycle["id"], **decision(cycle, "SNV", "SNV"))
    with pytest.raises(Forbidden):
        app.recognise_units(HA, cycle["id"], **decision(cycle, "SNV"))
    with pytest.raises(ValidationFailed):  # an empty list is refused by the model
        app.recognise_units(CHAIR, cycle["id"], **{**decision(cycle), "units": []})


# ------------------------------------------------------------------ planning
def test_deadline_changes_are_kept_with_their_reasons(
    app: AssessmentApplication, cycle: dict[str, Any]
) -> None:
    app.change_deadline(
        HA, cycle["id"], step="consolidation", deadline="2014-01-05", reason="Công văn 99"
    )
    got = app.get_cycle(HA, cycle["id"])
    assert got["deadlines"]["consolidation"] == "2014-01-05"
    [change] = got["deadline_changes"]
    assert (change["from"], change["to"], change["reason"]) == (
        "2013-12-31",
        "2014-01-05",
        "Công văn 99",
    )
    assert change["by"]["subject"] == "snv.tonghop"


def test_enrolment_candidates_are_the_tenants_units_valid_in_the_year(
    app: AssessmentApplication, cycle: dict[str, Any]
) -> None:
    other = CommandContext(
        tenant="quang-tri", actor={"subject": "x", "role": "home_affairs", "acting_for": None}
    )
    app.register_unit(other, code="SXD", name="Sở Xây dựng", kind="department")
    gone = UUID(app.register_unit(HA, code="SKH", name="Sở Kế hoạch", kind="department")["id"])
    app.dissolve_unit(
        HA, gone, effective_date="2012-06-30", decision_number="1/QĐ", reason="Giải thể"
    )
    new = app.register_unit(HA, code="BVDK", name="Bệnh viện", kind="public_service_unit")
    found = app.enrolment_candidates(HA, cycle["id"])
    assert [(u["code"], u["enrolled"]) for u in found] == [
        ("SNV", True),
        ("STC", True),
        ("SYT", True),
        ("BVDK", False),
    ]
    answer = app.enrol_units(HA, cycle["id"], unit_ids=[UUID(new["id"])])
    again = app.enrol_units(HA, cycle["id"], unit_ids=[UUID(new["id"])])
    assert answer["enrolled"] == [new["id"]] and again["enrolled"] == []
