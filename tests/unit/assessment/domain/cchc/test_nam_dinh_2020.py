"""Reproduce Nam Định's published CCHC results for 2020 (Thông báo 118/TB-UBND, DOMAIN §5.2
[R69]) through the whole domain: criteria read from rows, self-scores with evidence, head
approval, submission, appraisal with reasons, reconciliation, council, index and ranking.

What is published, and asserted here:
- departments (khối sở, 17 units): average self-score 64,75; average appraised 62,62 = 89,45 %;
  12 units in Nhóm I (≥ 90 %), 5 in Nhóm II (80 – < 90 %);
- districts (khối huyện, 10 units): average self-score 65,17; average appraised 61,46 = 87,80 %;
  9 units in Nhóm I (≥ 80 %), 1 in Nhóm II (70 – < 80 %): UBND huyện Ý Yên.

What is constructed: the per-unit totals (chosen so the published averages and group counts come
out; the notice gives no per-unit table), and the per-criterion answers (``plan_answers``). The
appraised maximum of 70 is inferred: 62,62 points is 89,45 % only of 70, i.e. 2020 had no survey
part and the appraised score was rescaled to 100 (DOMAIN §5.2).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from assessment.domain.cchc.index import IndexResult, compute_index
from assessment.domain.cchc.ranking import RankedRow, rank
from assessment.domain.cchc.scoring import CchcScoring
from builders import at
from cchc_builders import (
    COUNCIL,
    DEADLINE,
    HOME_AFFAIRS,
    JUSTICE,
    T0,
    UNIT_HEAD,
    plan_answers,
    published_set,
    self_score_all,
)

D = Decimal
DEPARTMENTS_APPRAISED = [
    "63", "63", "63.25", "63.5", "63.75", "64", "64.25", "64.5", "65", "65.5", "66", "67",
    "56.5", "57.25", "58", "59.5", "60.5",
]  # fmt: skip
DEPARTMENTS_GAP = [
    "2", "1.5", "2.25", "1", "3", "0.5", "2", "2.5", "1.75", "2", "3.5", "1",
    "2.5", "3", "2.25", "3", "2.5",
]  # fmt: skip
DISTRICTS_APPRAISED = ["55.3", "56", "58.5", "60", "61.2", "62.4", "63", "64.5", "66", "67.7"]
DISTRICTS_GAP = ["4.2", "4.1", "4.0", "4.0", "3.9", "3.8", "4.1", "3.5", "3.2", "2.3"]


def run_block(
    block: str, appraised: list[str], gaps: list[str], names: list[str]
) -> tuple[list[IndexResult], list[RankedRow], list[CchcScoring]]:
    criteria = published_set(block)
    content = criteria.content
    scorings, results = [], []
    for number, (total, gap, name) in enumerate(zip(appraised, gaps, names, strict=True)):
        unit = f"{block}-{number:02d}"
        s = CchcScoring.open(
            criteria=criteria,
            actor=HOME_AFFAIRS,
            occurred_at=T0,
            unit_id=unit,
            year=2020,
            self_deadline=DEADLINE,
        )
        self_answers = plan_answers(content, D(total) + D(gap))
        self_score_all(s, criteria, self_answers)
        s.approve_report(
            criteria=criteria,
            actor=UNIT_HEAD,
            occurred_at=at("2021-01-10T09:00:00+07:00"),
            summary=f"Báo cáo tự đánh giá CCHC năm 2020 của {name}",
        )
        s.submit(actor=UNIT_HEAD, occurred_at=at("2021-01-10T10:00:00+07:00"))
        for code, (answer, pts) in plan_answers(content, D(total)).items():
            changed = pts != self_answers[code][1]
            agency = "STP" if content.node(code).appraisers == ("STP",) else "SNV"
            s.appraise(
                criteria=criteria,
                actor=JUSTICE if agency == "STP" else HOME_AFFAIRS,
                occurred_at=at("2021-01-20T09:00:00+07:00"),
                agency=agency,
                is_home_affairs=agency == "SNV",
                code=code,
                answer=answer,
                reason="Tài liệu kiểm chứng chưa chứng minh mức tự chấm" if changed else "",
            )
        s.close_reconciliation(
            criteria=criteria, actor=HOME_AFFAIRS, occurred_at=at("2021-01-25T09:00:00+07:00")
        )
        s.confirm(
            actor=COUNCIL,
            occurred_at=at("2021-01-28T09:00:00+07:00"),
            minutes_reference="BB-HĐTĐ-2020",
            meeting_date="2021-01-28",
        )
        results.append(compute_index(content, s.unit_scores(name), survey_held=False))
        scorings.append(s)
    return results, rank(content, results), scorings


def avg(values: list[Decimal]) -> Decimal:
    return (sum(values, D(0)) / len(values)).quantize(D("0.01"), rounding=ROUND_HALF_UP)


def test_departments_2020_published_averages_groups_and_ties() -> None:
    names = [f"Sở S{i:02d}" for i in range(1, 18)]
    results, rows, scorings = run_block("so_nganh", DEPARTMENTS_APPRAISED, DEPARTMENTS_GAP, names)
    assert avg([r.self_points for r in results]) == D("64.75")
    assert avg([r.appraised_points for r in results]) == D("62.62")
    assert avg([r.index for r in results]) == D("89.45")
    assert all(r.rescaled and r.appraised_max == 70 and not r.missing for r in results)
    groups = [row.band.label if row.band else None for row in rows]
    assert groups.count("Nhóm I") == 12 and groups.count("Nhóm II") == 5
    # two units at exactly 63/70 = 90,00 %: both in Nhóm I (lower bound inclusive), tied at 11
    tied = [row for row in rows if row.published_index == D("90.00")]
    assert [row.rank for row in tied] == [11, 11]
    assert all(row.band and row.band.label == "Nhóm I" for row in tied)
    assert tied[0].tied_with == (tied[1].result.unit_id,)
    assert [row.rank for row in rows[10:13]] == [11, 11, 13]
    # every appraised score that differs from the self score carries its reason
    for s in scorings:
        assert s.status == "confirmed"
        for r in s.reconciliation["rows"]:
            assert (r["difference"] == "0") or r["reason"]


def test_districts_2020_published_averages_and_the_one_unit_in_group_ii() -> None:
    names = ["UBND huyện Ý Yên"] + [f"UBND huyện/thành phố H{i:02d}" for i in range(2, 11)]
    results, rows, _ = run_block("huyen", DISTRICTS_APPRAISED, DISTRICTS_GAP, names)
    assert avg([r.self_points for r in results]) == D("65.17")
    assert avg([r.appraised_points for r in results]) == D("61.46")
    assert avg([r.index for r in results]) == D("87.80")
    group_ii = [row.result.name for row in rows if row.band and row.band.label == "Nhóm II"]
    assert group_ii == ["UBND huyện Ý Yên"]
    assert sum(1 for row in rows if row.band and row.band.label == "Nhóm I") == 9
    # 56/70 is exactly 80 %: Nhóm I for districts
    boundary = next(row for row in rows if row.result.appraised_points == 56)
    assert boundary.published_index == D("80.00") and boundary.band.label == "Nhóm I"
    assert rows[-1].result.name == "UBND huyện Ý Yên" and rows[-1].rank == 10
