"""The ranking decision (confirmed scores only, schedule) and feedback flags on criteria."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assessment.domain.cchc.criteria_set import CriteriaSet
from assessment.domain.cchc.errors import AlreadyReplied, ScoringClosed, ScoringOrder
from assessment.domain.cchc.feedback import CriterionFlag, flag_id_for
from assessment.domain.cchc.ranking_decision import CchcRanking, ranking_id_for
from assessment.domain.cchc.scoring import CchcScoring
from assessment.domain.kernel.errors import ValidationFailed
from builders import at
from cchc_builders import (
    DEADLINE,
    HOME_AFFAIRS,
    T0,
    UNIT_HEAD,
    UNIT_OFFICER,
    demo_content,
    plan_answers,
    published_set,
    self_score_all,
)

D = Decimal
WHEN = at("2021-01-10T09:00:00+07:00")


def confirmed(criteria: CriteriaSet, unit: str, total: str, *, stop: str = "") -> CchcScoring:
    s = CchcScoring.open(
        criteria=criteria,
        actor=HOME_AFFAIRS,
        occurred_at=T0,
        unit_id=unit,
        year=2020,
        self_deadline=DEADLINE,
    )
    self_score_all(s, criteria, plan_answers(criteria.content, D(total)))
    s.approve_report(criteria=criteria, actor=UNIT_HEAD, occurred_at=WHEN, summary="x")
    s.submit(actor=UNIT_HEAD, occurred_at=WHEN)
    if stop == "submitted":
        return s
    for code, data in list(s.self_scores.items()):
        s.appraise(
            criteria=criteria,
            actor=HOME_AFFAIRS,
            occurred_at=WHEN,
            agency="SNV",
            is_home_affairs=True,
            code=code,
            answer=data["answer"],
        )
    s.close_reconciliation(criteria=criteria, actor=HOME_AFFAIRS, occurred_at=WHEN)
    s.confirm(
        actor=HOME_AFFAIRS, occurred_at=WHEN, minutes_reference="BB", meeting_date="2021-01-28"
    )
    return s


def decide(criteria: CriteriaSet, scorings: list[tuple[CchcScoring, str]]) -> CchcRanking:
    return CchcRanking.decide(
        criteria=criteria,
        scorings=scorings,
        actor=HOME_AFFAIRS,
        occurred_at=WHEN,
        year=2020,
        survey_held=False,
        decision_number="456/QĐ-UBND",
        decision_date="2021-02-05",
        signer="Chủ tịch UBND tỉnh",
    )


def test_decision_freezes_the_ranked_table_of_confirmed_units() -> None:
    criteria = published_set()
    r = decide(
        criteria,
        [
            (confirmed(criteria, "A", "63"), "Sở A"),
            (confirmed(criteria, "B", "66.5"), "Sở B"),
            (confirmed(criteria, "C", "56"), "Sở C"),
        ],
    )
    assert r.id == ranking_id_for("t", 2020, "so_nganh")
    assert [(row["name"], row["rank"], row["index"], row["band_label"]) for row in r.rows] == [
        ("Sở B", 1, "95", "Nhóm I"),
        ("Sở A", 2, "90", "Nhóm I"),
        ("Sở C", 3, "80", "Nhóm II"),
    ]
    assert r.decision["number"] == "456/QĐ-UBND" and r.rows[0]["rescaled"] is True


def test_decision_refuses_units_not_confirmed() -> None:
    criteria = published_set()
    with pytest.raises(ScoringOrder, match="Sở A"):
        decide(criteria, [(confirmed(criteria, "A", "63", stop="submitted"), "Sở A")])
    with pytest.raises(ValidationFailed):
        decide(criteria, [])


def test_publication_follows_the_schedule() -> None:
    criteria = published_set()
    r = decide(criteria, [(confirmed(criteria, "A", "63"), "Sở A")])
    r.schedule_publication(
        actor=HOME_AFFAIRS, occurred_at=WHEN, publish_at="2021-02-10T08:00:00+07:00"
    )
    with pytest.raises(ScoringOrder, match="lịch"):
        r.publish(actor=HOME_AFFAIRS, occurred_at=at("2021-02-09T08:00:00+07:00"))
    r.publish(actor=HOME_AFFAIRS, occurred_at=at("2021-02-10T08:00:00+07:00"))
    with pytest.raises(ScoringClosed):
        r.publish(actor=HOME_AFFAIRS, occurred_at=at("2021-02-11T08:00:00+07:00"))
    assert [e.TOPIC for e in r.collect_events()] == [
        "assessment.CchcRanking.Decided",
        "assessment.CchcRanking.PublicationScheduled",
        "assessment.CchcRanking.Published",
    ]


def test_unit_flags_a_criterion_and_home_affairs_answers_once_with_a_proposal() -> None:
    criteria = published_set()
    f = CriterionFlag.raise_flag(
        criteria=criteria,
        actor=UNIT_OFFICER,
        occurred_at=T0,
        unit_id="U",
        code="23.2",
        reasons="Đơn vị có ít TTHC đủ điều kiện trực tuyến toàn trình",
    )
    assert f.id == flag_id_for("t", criteria.id, "U", "23.2")
    with pytest.raises(ValidationFailed):
        f.respond(actor=HOME_AFFAIRS, occurred_at=WHEN, answer="x", proposal_kind="change")
    f.respond(
        actor=HOME_AFFAIRS,
        occurred_at=WHEN,
        answer="Tiếp thu",
        proposal_kind="change",
        proposal="Tính tỉ lệ trên số TTHC đủ điều kiện",
    )
    with pytest.raises(AlreadyReplied):
        f.respond(actor=HOME_AFFAIRS, occurred_at=WHEN, answer="lần 2")
    nxt = CriteriaSet.draft_next(
        criteria,
        actor=HOME_AFFAIRS,
        occurred_at=WHEN,
        content=demo_content(),
        year=2021,
        prompted_by_flags=[str(f.id)],
    )
    assert nxt.prompted_by_flags == [str(f.id)]
