"""A unit's CCHC year: self-scoring, approval, withdrawal, appraisal, supplements, council."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assessment.domain.cchc.criteria_set import CriteriaSet
from assessment.domain.cchc.errors import (
    AlreadyReplied,
    AppraiserNotNamed,
    DeadlinePassed,
    ScoreOutsideRule,
    ScoringClosed,
    ScoringOrder,
    SetNotPublished,
)
from assessment.domain.cchc.scoring import CchcScoring, scoring_id_for
from assessment.domain.kernel.errors import ReasonRequired, ValidationFailed
from builders import at, evidence
from cchc_builders import (
    DEADLINE,
    HOME_AFFAIRS,
    JUSTICE,
    T0,
    UNIT_HEAD,
    UNIT_OFFICER,
    demo_content,
    plan_answers,
    published_set,
    self_score_all,
)

D = Decimal
BEFORE = at("2021-01-10T09:00:00+07:00")
AFTER = at("2021-01-16T09:00:00+07:00")


def opened(criteria: CriteriaSet | None = None) -> tuple[CchcScoring, CriteriaSet]:
    criteria = criteria or published_set()
    s = CchcScoring.open(
        criteria=criteria,
        actor=HOME_AFFAIRS,
        occurred_at=T0,
        unit_id="U",
        year=2020,
        self_deadline=DEADLINE,
    )
    return s, criteria


def submitted(total: str = "60") -> tuple[CchcScoring, CriteriaSet]:
    s, criteria = opened()
    self_score_all(s, criteria, plan_answers(criteria.content, D(total)))
    s.approve_report(criteria=criteria, actor=UNIT_HEAD, occurred_at=BEFORE, summary="Báo cáo")
    s.submit(actor=UNIT_HEAD, occurred_at=BEFORE)
    return s, criteria


def test_scores_name_the_set_version_and_only_published_sets_score() -> None:
    s, criteria = opened()
    assert s.id == scoring_id_for("t", 2020, "U")
    assert (s.set_id, s.set_version) == (str(criteria.id), 1)
    draft = CriteriaSet.draft(
        tenant="t",
        actor=HOME_AFFAIRS,
        occurred_at=T0,
        year=2020,
        block="so_nganh",
        title="x",
        content=demo_content(),
    )
    with pytest.raises(SetNotPublished):
        opened(draft)
    other = published_set(year=2021)
    with pytest.raises(ValidationFailed, match="phiên bản 1"):
        s.record_self_score(
            criteria=other,
            actor=UNIT_OFFICER,
            occurred_at=T0,
            code="1.1",
            answer={"option": "ban_hanh_dung_han"},
            explanation="x",
        )


def test_self_score_needs_evidence_or_an_explanation_and_fits_the_rule() -> None:
    s, criteria = opened()
    with pytest.raises(ValidationFailed, match="tài liệu kiểm chứng hoặc giải trình"):
        s.record_self_score(
            criteria=criteria,
            actor=UNIT_OFFICER,
            occurred_at=T0,
            code="1.1",
            answer={"option": "ban_hanh_dung_han"},
        )
    with pytest.raises(ScoreOutsideRule, match="'4'"):
        s.record_self_score(
            criteria=criteria,
            actor=UNIT_OFFICER,
            occurred_at=T0,
            code="4",
            answer={"points": "1.3"},
            evidence=[evidence()],
        )
    with pytest.raises(ValidationFailed, match="thành phần"):
        s.record_self_score(
            criteria=criteria,
            actor=UNIT_OFFICER,
            occurred_at=T0,
            code="1",
            answer={},
            evidence=[evidence()],
        )
    with pytest.raises(ValidationFailed, match="điều tra"):
        s.record_self_score(
            criteria=criteria,
            actor=UNIT_OFFICER,
            occurred_at=T0,
            code="26",
            answer={"percent": "90"},
            evidence=[evidence()],
        )
    s.record_self_score(
        criteria=criteria,
        actor=UNIT_OFFICER,
        occurred_at=T0,
        code="6",
        answer={"numerator": 9, "denominator": 10},
        evidence=[evidence()],
    )
    assert s.self_scores["6"]["points"] == "1.5"  # 90 % is in "từ 90 % đến dưới 100 %"


def test_head_approves_only_a_complete_report_and_an_edit_voids_the_approval() -> None:
    s, criteria = opened()
    answers = plan_answers(criteria.content, D(60))
    first = dict(list(answers.items())[:5])
    self_score_all(s, criteria, first)
    with pytest.raises(ScoringOrder, match="chưa tự chấm"):
        s.approve_report(criteria=criteria, actor=UNIT_HEAD, occurred_at=BEFORE, summary="x")
    with pytest.raises(ScoringOrder):
        s.submit(actor=UNIT_HEAD, occurred_at=BEFORE)
    self_score_all(s, criteria, answers)
    s.approve_report(
        criteria=criteria,
        actor=UNIT_HEAD,
        occurred_at=BEFORE,
        summary="x",
        difficulties="Thiếu nhân lực",
        proposals="Tập huấn",
    )
    assert s.status == "approved" and s.approval["self_total"] == "60"
    s.record_self_score(
        criteria=criteria,
        actor=UNIT_OFFICER,
        occurred_at=BEFORE,
        code="5",
        answer={"yes": True},
        explanation="Có sáng kiến",
    )
    assert s.status == "draft" and s.approval is None


def test_withdraw_to_edit_before_the_deadline_only_and_not_once_appraised() -> None:
    s, criteria = submitted()
    s.withdraw(actor=UNIT_HEAD, occurred_at=BEFORE, reason="Bổ sung tài liệu")
    assert s.status == "draft" and s.submission is None
    s.approve_report(criteria=criteria, actor=UNIT_HEAD, occurred_at=BEFORE, summary="x")
    s.submit(actor=UNIT_HEAD, occurred_at=BEFORE)
    with pytest.raises(DeadlinePassed):
        s.withdraw(actor=UNIT_HEAD, occurred_at=AFTER, reason="muộn")
    s2, criteria2 = submitted()
    s2.appraise(
        criteria=criteria2,
        actor=HOME_AFFAIRS,
        occurred_at=BEFORE,
        agency="SNV",
        is_home_affairs=True,
        code="1.1",
        answer=s2.self_scores["1.1"]["answer"],
    )
    with pytest.raises(ScoringClosed):
        s2.withdraw(actor=UNIT_HEAD, occurred_at=BEFORE, reason="x")
    with pytest.raises(ScoringClosed):
        s2.record_self_score(
            criteria=criteria2,
            actor=UNIT_OFFICER,
            occurred_at=BEFORE,
            code="5",
            answer={"yes": True},
            explanation="x",
        )


def test_late_submission_is_kept_and_marked() -> None:
    s, criteria = opened()
    self_score_all(s, criteria, plan_answers(criteria.content, D(60)))
    s.approve_report(criteria=criteria, actor=UNIT_HEAD, occurred_at=AFTER, summary="x")
    s.submit(actor=UNIT_HEAD, occurred_at=AFTER)
    assert s.submission["late_by_seconds"] == 16 * 3600


def test_appraisers_named_per_criterion_and_reasons_for_every_difference() -> None:
    s, criteria = submitted()
    with pytest.raises(AppraiserNotNamed, match="STP"):
        s.appraise(
            criteria=criteria,
            actor=JUSTICE,
            occurred_at=BEFORE,
            agency="STP",
            is_home_affairs=False,
            code="1.1",
            answer={"option": "ban_hanh_dung_han"},
        )
    mine = s.self_scores["7"]["points"]
    lower = {"percent": "0"}
    with pytest.raises(ReasonRequired):
        s.appraise(
            criteria=criteria,
            actor=JUSTICE,
            occurred_at=BEFORE,
            agency="STP",
            is_home_affairs=False,
            code="7",
            answer=lower,
        )
    s.appraise(
        criteria=criteria,
        actor=JUSTICE,
        occurred_at=BEFORE,
        agency="STP",
        is_home_affairs=False,
        code="7",
        answer=lower,
        reason="Không có danh mục",
    )
    assert not s.appraise(
        criteria=criteria,
        actor=JUSTICE,
        occurred_at=BEFORE,
        agency="STP",
        is_home_affairs=False,
        code="7",
        answer=lower,
    )  # repeat: no event
    with pytest.raises(ReasonRequired, match="chấm lại"):
        s.appraise(
            criteria=criteria,
            actor=HOME_AFFAIRS,
            occurred_at=BEFORE,
            agency="SNV",
            is_home_affairs=True,
            code="7",
            answer={"percent": "100"},
        )
    s.appraise(
        criteria=criteria,
        actor=HOME_AFFAIRS,
        occurred_at=BEFORE,
        agency="SNV",
        is_home_affairs=True,
        code="7",
        answer={"percent": "85"},
        reason="Sau bổ sung",
    )
    changes = [h for h in s.history if h["code"] == "7"]
    assert [(h["stage"], h["points"], h["reason"]) for h in changes] == [
        ("self", mine, changes[0]["reason"]),
        ("appraisal", "0", "Không có danh mục"),
        ("appraisal", "1", "Sau bổ sung"),
    ]
    assert [h["by"] for h in changes[1:]] == ["stp.thamdinh", "snv.cchc"]


def test_supplement_request_is_answered_once_and_blocks_reconciliation_until_due() -> None:
    s, criteria = submitted()
    rid = s.request_supplement(
        criteria=criteria,
        actor=JUSTICE,
        occurred_at=BEFORE,
        agency="STP",
        is_home_affairs=False,
        codes=["8", "9"],
        kind="supplement",
        message="Bổ sung báo cáo rà soát",
        deadline="2021-01-22T17:00:00+07:00",
    )
    assert rid == "YC-1"
    with pytest.raises(AppraiserNotNamed):
        s.request_supplement(
            criteria=criteria,
            actor=JUSTICE,
            occurred_at=BEFORE,
            agency="STP",
            is_home_affairs=False,
            codes=["1.1"],
            kind="explanation",
            message="x",
            deadline="2021-01-22T17:00:00+07:00",
        )
    for code, (answer, _) in plan_answers(criteria.content, D(58)).items():
        agency = "STP" if code in ("7", "8", "9") else "SNV"
        s.appraise(
            criteria=criteria,
            actor=HOME_AFFAIRS,
            occurred_at=BEFORE,
            agency=agency,
            is_home_affairs=agency == "SNV",
            code=code,
            answer=answer,
            reason="Thẩm định",
        )
    with pytest.raises(ScoringOrder, match="YC-1"):
        s.close_reconciliation(criteria=criteria, actor=HOME_AFFAIRS, occurred_at=BEFORE)
    s.reply_to_request(
        actor=UNIT_OFFICER,
        occurred_at=at("2021-01-23T08:00:00+07:00"),
        request_id=rid,
        text="Đã bổ sung",
        evidence=[evidence("ra-soat.pdf")],
    )
    assert s.requests[rid]["reply"]["late_by_seconds"] == 15 * 3600
    with pytest.raises(AlreadyReplied):
        s.reply_to_request(actor=UNIT_OFFICER, occurred_at=BEFORE, request_id=rid, text="lần 2")
    s.close_reconciliation(criteria=criteria, actor=HOME_AFFAIRS, occurred_at=AFTER)
    rows = {r["code"]: r for r in s.reconciliation["rows"]}
    assert all(r["reason"] for r in rows.values() if r["difference"] != "0")
    assert sum(D(r["appraised_points"]) for r in rows.values()) == 58


def test_council_confirms_after_reconciliation_and_scores_are_then_final() -> None:
    s, criteria = submitted()
    with pytest.raises(ScoringOrder):
        s.confirm(
            actor=HOME_AFFAIRS,
            occurred_at=AFTER,
            minutes_reference="BB1",
            meeting_date="2021-01-28",
        )
    for code, data in list(s.self_scores.items()):
        s.appraise(
            criteria=criteria,
            actor=HOME_AFFAIRS,
            occurred_at=BEFORE,
            agency="SNV",
            is_home_affairs=True,
            code=code,
            answer=data["answer"],
        )
    s.close_reconciliation(criteria=criteria, actor=HOME_AFFAIRS, occurred_at=AFTER)
    s.confirm(
        actor=HOME_AFFAIRS, occurred_at=AFTER, minutes_reference="BB1", meeting_date="2021-01-28"
    )
    assert s.confirmation["appraised_total"] == "60"
    with pytest.raises(ScoringClosed):
        s.appraise(
            criteria=criteria,
            actor=HOME_AFFAIRS,
            occurred_at=AFTER,
            agency="SNV",
            is_home_affairs=True,
            code="1.1",
            answer={"option": "khong_ban_hanh"},
            reason="x",
        )
    topics = {e.TOPIC for e in s.collect_events()}
    assert {
        "assessment.CchcScoring.CouncilConfirmed",
        "assessment.CchcScoring.Reconciled",
    } <= topics
    assert all(e.tenant == "t" and e.actor["subject"] for e in s.collect_events())


def test_excluding_a_criterion_takes_its_components_and_survey_needs_a_reason_to_replace() -> None:
    s, criteria = opened()
    with pytest.raises(ReasonRequired):
        s.exclude(criteria=criteria, actor=HOME_AFFAIRS, occurred_at=T0, code="11", reason=" ")
    s.exclude(
        criteria=criteria,
        actor=HOME_AFFAIRS,
        occurred_at=T0,
        code="11",
        reason="Đơn vị không có TTHC",
    )
    assert "11.1" not in s.missing_self_scores(criteria)
    with pytest.raises(ValidationFailed, match="không áp dụng"):
        s.record_self_score(
            criteria=criteria,
            actor=UNIT_OFFICER,
            occurred_at=T0,
            code="11.2",
            answer={"value": "0"},
            explanation="x",
        )
    digest = "a" * 64
    s.record_survey(
        criteria=criteria,
        actor=HOME_AFFAIRS,
        occurred_at=T0,
        results={"26": {"percent": "85.3", "respondents": 400}},
        source_sha256=digest,
    )
    assert s.survey["26"]["points"] == "12.8"
    with pytest.raises(ReasonRequired):
        s.record_survey(
            criteria=criteria,
            actor=HOME_AFFAIRS,
            occurred_at=T0,
            results={"26": {"percent": "90"}},
            source_sha256=digest,
        )


def test_answers_are_stored_without_floats() -> None:
    s, criteria = opened()
    s.record_self_score(
        criteria=criteria,
        actor=UNIT_OFFICER,
        occurred_at=T0,
        code="4",
        answer={"points": D("1.25")},
        explanation="x",
    )
    event = s.collect_events()[-1]
    assert event.answer == {"points": "1.25"} and event.points == "1.25"


def test_a_deep_copy_is_equal_and_independent() -> None:
    import copy

    s, criteria = submitted()
    clone = copy.deepcopy(s)
    assert clone.__dict__ == s.__dict__ and clone is not s
    clone.appraise(
        criteria=criteria,
        actor=HOME_AFFAIRS,
        occurred_at=BEFORE,
        agency="SNV",
        is_home_affairs=True,
        code="1.1",
        answer={"option": "khong_ban_hanh"},
        reason="thử trên bản sao",
    )
    assert "1.1" not in s.appraised and s.status == "submitted" and s.version < clone.version
    assert clone.self_scores["1.1"] is not s.self_scores["1.1"]
