"""The "excellent" cap: ≤ 20 % of those rated "good" per agency × group of similar tasks —
NĐ 90/2020 Điều 2 khoản 6 (bổ sung bởi NĐ 48/2023) [R16]; HD 21-HD/BTCTW [R17]; NĐ 335 [R29]."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assessment.domain.individual.errors import (
    ExcellentQuotaExceeded,
    InvalidInput,
    ReasonRequired,
)
from assessment.domain.individual.quota import ExcellentQuota, allowed_excellent, quota_id_for
from assessment.domain.individual.settings import IndividualSettings
from assessment.domain.kernel.values import Level
from builders import at
from individual_builders import HEAD_ACTOR, SETTINGS, TENANT

G, E, C = Level.GOOD.value, Level.EXCELLENT.value, Level.COMPLETED.value
WHEN = at("2024-12-10T09:00+07:00")


def quota(group: str = "chuyen_vien") -> ExcellentQuota:
    return ExcellentQuota.open(
        tenant=TENANT,
        actor=HEAD_ACTOR,
        occurred_at=WHEN,
        agency_id="SNN",
        task_group=group,
        year=2024,
    )


def levels(good: int, excellent: int, completed: int = 0) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    out.update({f"g{i}": G for i in range(good)})
    out.update({f"e{i}": E for i in range(excellent)})
    out.update({f"c{i}": C for i in range(completed)})
    return out


def record(q: ExcellentQuota, entries: dict[str, str | None], s: IndividualSettings = SETTINGS):
    return q.record(actor=HEAD_ACTOR, occurred_at=WHEN, entries=entries, settings=s, source="R16")


def test_r16_exactly_20_percent_of_good_is_allowed() -> None:
    q = quota()
    use = record(q, levels(good=10, excellent=2))
    assert use.good == 10 and use.excellent == 2 and use.allowed == 2 and use.remaining == 0


def test_r16_one_more_than_20_percent_is_refused_and_nothing_recorded() -> None:
    q = quota()
    with pytest.raises(ExcellentQuotaExceeded) as err:
        record(q, levels(good=10, excellent=3))
    assert err.value.code == "individual.excellent_quota_exceeded"
    assert "tối đa 2" in err.value.detail
    assert q.levels == {} and q.collect_events()[-1].__class__.__name__ == "Opened"


def test_r16_the_base_is_those_rated_good_not_headcount() -> None:
    """40 people, 4 good, 36 completed: 20 % of headcount would be 8, of "good" it is 0."""
    q = quota()
    with pytest.raises(ExcellentQuotaExceeded):
        record(q, levels(good=4, excellent=1, completed=35))
    record(q, levels(good=5, excellent=1, completed=34))


def test_r16_excellent_before_enough_good_is_refused_in_order_accepted_in_a_batch() -> None:
    q = quota()
    with pytest.raises(ExcellentQuotaExceeded):
        record(q, {"e0": E})
    record(q, {f"g{i}": G for i in range(5)})
    record(q, {"e0": E})
    assert q.holders() == ["e0"]


def test_r16_lowering_a_good_is_recorded_but_the_next_excellent_is_refused() -> None:
    q = quota()
    record(q, levels(good=5, excellent=1))
    record(q, {"g0": C})  # a redo: 4 good, 1 excellent — over the cap, not an addition
    assert q.use(SETTINGS).exceeded
    with pytest.raises(ExcellentQuotaExceeded):
        record(q, {"g1": G, "e0": E, "e1": E})


def test_r16_release_removes_a_person_from_the_scope() -> None:
    q = quota()
    record(q, levels(good=5, excellent=1))
    record(q, {"e0": None})
    assert q.use(SETTINGS).excellent == 0


def test_r16_override_decision_with_number_and_reason_raises_the_share() -> None:
    q = quota()
    record(q, levels(good=10, excellent=2))
    with pytest.raises(ReasonRequired):
        q.decide_override(
            actor=HEAD_ACTOR,
            occurred_at=WHEN,
            percent="30",
            decision_number="QĐ 9",
            decided_on="2024-12-05",
            reason="",
            settings=SETTINGS,
        )
    with pytest.raises(InvalidInput):
        q.decide_override(
            actor=HEAD_ACTOR,
            occurred_at=WHEN,
            percent="20",
            decision_number="QĐ 9",
            decided_on="2024-12-05",
            reason="đơn vị dẫn đầu",
            settings=SETTINGS,
        )
    q.decide_override(
        actor=HEAD_ACTOR,
        occurred_at=WHEN,
        percent="30",
        decision_number="QĐ 9",
        decided_on="2024-12-05",
        reason="Đơn vị có thành tích nổi trội, đổi mới",
        settings=SETTINGS,
    )
    use = record(q, {"e2": E})
    assert use.allowed == 3 and use.percent == Decimal(30)
    assert q.override and q.override["decision_number"] == "QĐ 9"


def test_quota_scope_is_agency_and_task_group() -> None:
    assert quota_id_for(TENANT, "SNN", "a", 2024, "state") != quota_id_for(
        TENANT, "SNN", "b", 2024, "state"
    )
    assert quota("a").id != quota("b").id


@pytest.mark.parametrize(
    ("good", "excellent", "includes", "allowed"),
    [(10, 0, False, 2), (9, 0, False, 1), (4, 0, False, 0), (8, 2, True, 2), (7, 2, True, 1)],
)
def test_quota_base_including_excellent_is_a_tenant_setting(
    good: int, excellent: int, includes: bool, allowed: int
) -> None:
    """UNCERTAIN (DOMAIN §3.3): default reads "good" literally; a tenant may count both."""
    assert allowed_excellent(good, excellent, Decimal(20), includes) == allowed


def test_the_refusal_cites_the_rule_set_of_the_person_proposed_excellent() -> None:
    """A group mixing a Decree 335 civil servant and Decree 90/48 public employees: the
    refusal for a 90/48 person's "excellent" cites NĐ 90/2020–48/2023 [R16], not NĐ 335 [R29]
    — whoever of the group came first in the batch (``source``, the fallback)."""
    entries = {"cc335": G, "g1": G, "vc90": E}

    def refusal(excellent_under: str) -> str:
        sources = {"cc335": "NĐ 335 [R29]", "g1": "NĐ 335 [R29]", "vc90": excellent_under}
        with pytest.raises(ExcellentQuotaExceeded) as err:
            quota().record(
                actor=HEAD_ACTOR,
                occurred_at=WHEN,
                entries=entries,
                settings=SETTINGS,
                source=sources["cc335"],
                sources=sources,
            )
        return err.value.detail

    assert refusal("NĐ 90/48 [R16]").endswith("[NĐ 90/48 [R16]]")
    assert "R29" not in refusal("NĐ 90/48 [R16]")
    assert refusal("NĐ 335 [R29]").endswith("[NĐ 335 [R29]]")
