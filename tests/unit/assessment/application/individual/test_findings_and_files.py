"""What the individual pages call (in-memory store): a rating's file read in one recorded read,
the live quota preview, and ``acknowledge_findings`` — the rater takes note of an inspection's
findings on the person (seed 003), each finding once, refusals storing nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pytest

from assessment.application.individual import files, reads
from assessment.application.kernel.permissions import Forbidden, OutsideAssignment
from assessment.application.service import AssessmentApplication, CommandContext
from assessment.domain.individual.access import log_id_for
from assessment.domain.individual.errors import FileAccessDenied, InvalidInput, StepAlreadyDone
from assessment.domain.individual.person import person_id_for
from assessment.domain.individual.rating import rating_id_for
from assessment.domain.kernel.errors import NotFound
from assessment.domain.registry.unit import unit_id_for
from helpers import MutableClock

T = "dong-nai"
GOOD, EXC = "hoan_thanh_tot", "hoan_thanh_xuat_sac"


def ctx(role: str, unit: str | None, subject: str = "u", tenant: str = T) -> CommandContext:
    actor = {"subject": subject, "role": role, "acting_for": unit}
    return CommandContext(tenant=tenant, actor=actor)


HA = ctx("home_affairs", "SNV")
TCCB = ctx("personnel", "SNN", "tccb.snn")
HEAD = ctx("unit_head", "SNN", "gd.snn")
TEAM = ctx("inspector", "UBND", "thanhtra")


def person(code: str, position: str = "staff") -> dict[str, Any]:
    return {
        "code": code,
        "full_name": f"Người {code}",
        "category": "vien_chuc",
        "agency_id": "SNN",
        "position": position,
        "job_position": "Chuyên viên",
        "task_group": "chuyen_vien" if position == "staff" else "lanh_dao",
        "employed_from": "2015-01-01",
        "account": code.lower(),
    }


def rid(code: str) -> UUID:
    return rating_id_for(person_id_for(T, code), 2025)


@pytest.fixture
def app() -> Iterator[AssessmentApplication]:
    clock = MutableClock(datetime(2025, 11, 1, 2, 0, tzinfo=UTC))
    a = AssessmentApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock=clock)
    a.register_unit(HA, code="UBND", name="UBND tỉnh", kind="peoples_committee")
    a.register_unit(HA, code="SNN", name="Sở NN", kind="department", parent_code="UBND")
    a.register_unit(HA, code="STC", name="Sở TC", kind="department", parent_code="UBND")
    a.import_staff(TCCB, rows=[person("VC1"), person("VC2"), person("PGD", "deputy")])
    a.open_ratings(TCCB, agency_id="SNN", year=2025, person_codes=["VC1", "VC2", "PGD"])
    snn = unit_id_for(T, "SNN")
    made = a.decide_inspection(
        HA,
        decision={
            "number": "7/QĐ",
            "date": "2025-09-01",
            "signer": "Chủ tịch",
            "legal_basis": "KH",
        },
        title="Kiểm tra công vụ tại Sở NN",
        mode="scheduled",
        head={"subject": "thanhtra", "name": "Thanh tra"},
    )
    iid = UUID(made["id"])
    a.plan_inspection(
        TEAM,
        iid,
        scope="Giải quyết hồ sơ",
        period_from="2025-01-01",
        period_to="2025-09-30",
        units=[snn],
        persons=[{"subject": "pgd", "name": "Người PGD", "position": "deputy", "unit_id": snn}],
    )
    a.send_notice(TEAM, iid, unit_id=snn, reference="TB 1", visit_on="2025-10-01")
    a.start_visit(TEAM, iid, unit_id=snn, place="Trụ sở")
    a.record_finding(
        TEAM,
        iid,
        unit_id=snn,
        person="pgd",
        kind="late_handling",
        severity="moderate",
        description="Hồ sơ quá hạn do chậm phân công.",
    )
    yield a
    a.close()


def count(app: AssessmentApplication) -> int:
    return app.recorder.max_notification_id() or 0


def read_file(app: AssessmentApplication, who: CommandContext, code: str) -> dict[str, Any]:
    return app.execute(files.READ_RATING_FILE, who, reads.ReadFile(), {"rating_id": rid(code)})


def test_the_rating_file_is_one_read_recorded_for_the_rater_not_for_the_person(
    app: AssessmentApplication,
) -> None:
    mine = read_file(app, ctx("official", "SNN", "vc1"), "VC1")
    assert mine["rating"]["rule_set"] == "decree_90_48" and mine["rating"]["form"] == "mau_03"
    assert mine["person"]["full_name"] == "Người VC1" and mine["sheets"] == []
    assert mine["quota"]["allowed"] == 0 and mine["quota"]["excellent"] == 0
    log = log_id_for(person_id_for(T, "VC1"), 2025)
    assert not app.exists(log)  # the person's own read is not recorded
    read_file(app, HEAD, "VC1")
    events = list(app.events.get(log))
    assert [type(e).__name__ for e in events][-1] == "ReadRecorded"
    assert events[-1].actor["subject"] == "gd.snn"


def test_the_rating_file_is_refused_to_a_colleague_another_agency_and_another_tenant(
    app: AssessmentApplication,
) -> None:
    with pytest.raises(FileAccessDenied):
        read_file(app, ctx("official", "SNN", "vc2"), "VC1")
    with pytest.raises(OutsideAssignment):
        read_file(app, ctx("unit_head", "STC", "gd.stc"), "VC1")
    with pytest.raises(NotFound):
        read_file(app, ctx("home_affairs", "SNV", tenant="quang-tri"), "VC1")
    with pytest.raises(Forbidden):
        read_file(app, ctx("sector_reviewer", "SNN"), "VC1")


def test_the_quota_preview_counts_the_levels_about_to_be_decided(
    app: AssessmentApplication,
) -> None:
    scope = {"agency_id": "SNN", "task_group": "chuyen_vien", "year": 2025}

    def preview(levels: dict[str, str | None]) -> dict[str, Any]:
        cmd = files.PreviewQuota.model_validate({**scope, "levels": levels})
        return app.execute(files.PREVIEW_QUOTA, HEAD, cmd, {})

    one, two = str(person_id_for(T, "VC1")), str(person_id_for(T, "VC2"))
    over = preview({one: EXC, two: GOOD})
    assert (over["good"], over["excellent"], over["allowed"], over["exceeded"]) == (1, 1, 0, True)
    within = preview({one: GOOD, two: GOOD})
    assert (within["excellent"], within["exceeded"]) == (0, False)
    before = count(app)
    assert preview({one: EXC}) and count(app) == before  # a preview stores nothing
    with pytest.raises(OutsideAssignment):
        app.execute(
            files.PREVIEW_QUOTA,
            ctx("unit_head", "STC"),
            files.PreviewQuota.model_validate({**scope, "levels": {}}),
            {},
        )


def test_the_rater_acknowledges_an_inspections_findings_once(app: AssessmentApplication) -> None:
    before = count(app)
    with pytest.raises(NotFound):
        app.acknowledge_findings(HEAD, rid("PGD"), inspection_decision="99/QĐ")
    with pytest.raises(Forbidden):
        app.acknowledge_findings(TCCB, rid("PGD"), inspection_decision="7/QĐ")
    assert count(app) == before
    app.acknowledge_findings(HEAD, rid("PGD"), inspection_decision="7/QĐ", note="Đã xem xét")
    view = read_file(app, HEAD, "PGD")["rating"]
    (finding,) = view["findings_acknowledged"]
    assert finding["description"] == "Hồ sơ quá hạn do chậm phân công."
    assert finding["decision_number"] == "7/QĐ" and finding["note"] == "Đã xem xét"
    assert finding["actor"]["subject"] == "gd.snn" and finding["at"]
    with pytest.raises(StepAlreadyDone):
        app.acknowledge_findings(HEAD, rid("PGD"), inspection_decision="7/QĐ")
    # the inspection has nothing on a staff member
    with pytest.raises(InvalidInput, match="không có phát hiện"):
        app.acknowledge_findings(HEAD, rid("VC1"), inspection_decision="7/QĐ")


def test_the_rater_sees_the_findings_on_the_person_without_typing_anything(
    app: AssessmentApplication,
) -> None:
    """Seed 003: the per-person index of the inspection context lists every inspection with
    findings on the person; the rater's file shows those not yet acknowledged, and the read
    that exposed them is recorded with what was read."""
    (pending,) = read_file(app, HEAD, "PGD")["findings_pending"]
    assert pending["decision_number"] == "7/QĐ" and pending["title"].startswith("Kiểm tra")
    assert [f["description"] for f in pending["findings"]] == ["Hồ sơ quá hạn do chậm phân công."]
    log = list(app.events.get(log_id_for(person_id_for(T, "PGD"), 2025)))
    assert "phát hiện của đoàn kiểm tra" in str(log[-1].__dict__)
    # not the rater: the person themself and the personnel body see only what was acknowledged
    assert read_file(app, ctx("official", "SNN", "pgd"), "PGD")["findings_pending"] == []
    assert read_file(app, TCCB, "PGD")["findings_pending"] == []
    assert read_file(app, HEAD, "VC1")["findings_pending"] == []  # nothing on a staff member
    app.acknowledge_findings(HEAD, rid("PGD"), inspection_decision=pending["decision_number"])
    view = read_file(app, HEAD, "PGD")
    assert view["findings_pending"] == [] and len(view["rating"]["findings_acknowledged"]) == 1


def test_the_findings_index_is_kept_per_tenant(app: AssessmentApplication) -> None:
    """A person of another tenant with the same account sees none of Đồng Nai's findings."""
    qt = "quang-tri"
    other_ha = ctx("home_affairs", "SNV", tenant=qt)
    app.register_unit(other_ha, code="UBND", name="UBND tỉnh", kind="peoples_committee")
    app.register_unit(other_ha, code="SNN", name="Sở NN", kind="department", parent_code="UBND")
    app.import_staff(ctx("personnel", "SNN", "tccb", tenant=qt), rows=[person("PGD", "deputy")])
    app.open_ratings(
        ctx("personnel", "SNN", "tccb", tenant=qt), agency_id="SNN", year=2025, person_codes=["PGD"]
    )
    other = rating_id_for(person_id_for(qt, "PGD"), 2025)
    view = app.execute(
        files.READ_RATING_FILE,
        ctx("unit_head", "SNN", "gd", tenant=qt),
        reads.ReadFile(),
        {"rating_id": other},
    )
    assert view["findings_pending"] == []
    assert read_file(app, HEAD, "PGD")["findings_pending"]  # Đồng Nai's still there
