"""The individual batch commands, step by step, on any store (the unit tests run them on the
in-memory store, the integration tests on real PostgreSQL, where the batch reads go through
``events_of``): a staff list, a year of monthly sheets imported in batches, an agency's ratings
opened, its meeting round recorded and its decisions taken in bulk. Each batch with one bad row
stores nothing; each batch retried with its Idempotency-Key stores nothing twice; every event a
batch stores names tenant, actor and business time."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from assessment.application.individual import files, reads
from assessment.application.kernel.errors import IdempotencyKeyReused
from assessment.application.service import AssessmentApplication, CommandContext, fingerprint
from assessment.domain.individual.errors import ExcellentQuotaExceeded, LevelNotMatchingScore
from assessment.domain.kernel.errors import AlreadyExists, NotFound, ValidationFailed

T = "dong-nai"
GOOD, EXC = "hoan_thanh_tot", "hoan_thanh_xuat_sac"
STAFF = [f"CV{i}" for i in range(10)]


def ctx(role: str, unit: str | None, subject: str = "u") -> CommandContext:
    return CommandContext(tenant=T, actor={"subject": subject, "role": role, "acting_for": unit})


def keyed(c: CommandContext, key: str, *body: Any) -> CommandContext:
    """``c`` with an Idempotency-Key and the fingerprint of its request body (as the API)."""
    return CommandContext(
        tenant=c.tenant, actor=c.actor, idempotency_key=key, request_fingerprint=fingerprint(*body)
    )


HA = ctx("home_affairs", "SNV")
TCCB = ctx("personnel", "SNN", "tccb.snn")
HEAD = ctx("unit_head", "SNN", "gd.snn")


def count(app: AssessmentApplication) -> int:
    return app.recorder.max_notification_id() or 0


def events_since(app: AssessmentApplication, before: int) -> list[Any]:
    found = app.recorder.select_notifications(before + 1, 100_000)
    return [app.mapper.to_domain_event(n) for n in found]


def assert_recorded_by(events: list[Any], actor: dict[str, Any]) -> None:
    assert events
    for e in events:
        assert e.tenant == T and e.actor == actor and e.occurred_at.tzinfo is not None


def row(code: str) -> dict[str, Any]:
    return {
        "code": code,
        "full_name": f"Người {code}",
        "category": "cong_chuc",
        "agency_id": "SNN",
        "position": "staff",
        "job_position": "Chuyên viên",
        "task_group": "chuyen_vien",
        "employed_from": "2015-01-01",
        "account": code.lower(),
    }


def sheet(code: str, month: int, general: str = "10") -> dict[str, Any]:
    return {
        "person_code": code,
        "period": month,
        "general": general,
        "products": [{"code": "BC", "assigned": "2", "completed": "2"}],
    }


def agency(app: AssessmentApplication) -> None:
    app.register_unit(HA, code="UBND", name="UBND tỉnh", kind="peoples_committee")
    app.register_unit(HA, code="SNN", name="Sở NN", kind="department", parent_code="UBND")
    app.import_staff(TCCB, rows=[row(c) for c in STAFF])


def import_sheets_in_batches(app: AssessmentApplication) -> None:
    """Months 1–6 in one batch, 7–12 in another (CV0, CV1 at 95 points, the rest at 80)."""
    general = {"CV0": "25", "CV1": "25"}
    first = [sheet(c, m, general.get(c, "10")) for c in STAFF for m in range(1, 7)]
    # one bad row in the middle: an unknown person — nothing of the batch is stored
    before = count(app)
    bad = [*first[:30], sheet("KHONG_CO", 1), *first[30:]]
    with pytest.raises(NotFound):
        app.import_sheets(TCCB, year=2026, sheets=bad)
    # the same period of a person twice in one file
    with pytest.raises(AlreadyExists):
        app.import_sheets(TCCB, year=2026, sheets=[*first, sheet("CV3", 2)])
    # a row the model refuses (points are a number)
    with pytest.raises(ValidationFailed):
        app.import_sheets(TCCB, year=2026, sheets=[*first, {**sheet("CV4", 9), "general": "x"}])
    assert count(app) == before
    # a good batch, retried with its key: the answer again, nothing stored twice
    key = keyed(TCCB, "import-1", 2026, first)
    out = app.import_sheets(key, year=2026, sheets=first)
    assert len(out["items"]) == 60
    stored = count(app)
    assert stored == before + 60 * 3 + 1  # opened, scored, approved; the idempotency record
    assert_recorded_by(events_since(app, before), TCCB.actor)
    assert app.import_sheets(key, year=2026, sheets=first) == out
    assert count(app) == stored
    with pytest.raises(IdempotencyKeyReused):  # the same key for another file
        app.import_sheets(keyed(TCCB, "import-1", 2026, "other"), year=2026, sheets=first)
    # a period already stored, in a later batch: refused whole
    second = [sheet(c, m, general.get(c, "10")) for c in STAFF for m in range(7, 13)]
    with pytest.raises(AlreadyExists):
        app.import_sheets(TCCB, year=2026, sheets=[*second, sheet("CV5", 6)])
    assert count(app) == stored
    app.import_sheets(TCCB, year=2026, sheets=second)


ROUND = {
    "minutes_number": "BB-01",
    "held_on": "2026-12-08",
    "attendees": 12,
    "comments": [{"by": "Công đoàn", "text": "Nhất trí"}],
    "party_document_number": "NX-1",
    "party_comments": "Nhất trí",
    "summary": "Tổng hợp theo điểm năm",
}


def open_and_round(app: AssessmentApplication) -> dict[str, uuid.UUID]:
    before = count(app)
    with pytest.raises(AlreadyExists):  # a person twice in one list
        app.open_ratings(TCCB, agency_id="SNN", year=2026, person_codes=[*STAFF, "CV2"])
    with pytest.raises(NotFound):  # an unknown person among them
        app.open_ratings(TCCB, agency_id="SNN", year=2026, person_codes=[*STAFF, "KHONG_CO"])
    assert count(app) == before
    out = app.open_ratings(TCCB, agency_id="SNN", year=2026, person_codes=STAFF)
    rid = {c: uuid.UUID(i["id"]) for c, i in zip(STAFF, out["items"], strict=True)}
    proposals = [{"rating_id": str(rid[c])} for c in STAFF]
    before = count(app)
    with pytest.raises(NotFound):  # an unknown rating in the middle
        app.record_agency_round(
            TCCB, proposals=[*proposals[:5], {"rating_id": str(uuid.uuid4())}], **ROUND
        )
    with pytest.raises(ValidationFailed):  # a rating twice
        app.record_agency_round(TCCB, proposals=[*proposals, proposals[0]], **ROUND)
    assert count(app) == before
    key = keyed(TCCB, "round-1", proposals)
    done = app.record_agency_round(key, proposals=proposals, **ROUND)
    levels = {item["id"]: item["proposed_level"] for item in done["items"]}
    assert levels == {str(rid[c]): EXC if c in ("CV0", "CV1") else GOOD for c in STAFF}
    stored = count(app)
    assert_recorded_by(events_since(app, before), TCCB.actor)
    assert app.record_agency_round(key, proposals=proposals, **ROUND) == done
    assert count(app) == stored
    return rid


def decide_in_bulk(app: AssessmentApplication, rid: dict[str, uuid.UUID]) -> None:
    # 8 good, 2 excellent: 20 % of 8 is 1 — one excellent too many, nothing stored
    over = [
        {"rating_id": str(rid[c]), "level": EXC if c in ("CV0", "CV1") else GOOD} for c in STAFF
    ]
    before = count(app)
    with pytest.raises(ExcellentQuotaExceeded):
        app.decide_ratings(HEAD, decisions=over, decision_number="QĐ 1", decided_on="2026-12-10")
    with pytest.raises(NotFound):
        app.decide_ratings(
            HEAD,
            decisions=[*over[2:], {"rating_id": str(uuid.uuid4()), "level": GOOD}],
            decision_number="QĐ 1",
            decided_on="2026-12-10",
        )
    assert count(app) == before
    within = [{**d, "level": GOOD} if d["rating_id"] == str(rid["CV1"]) else d for d in over]
    with pytest.raises(LevelNotMatchingScore):  # CV1's score (95) gives "excellent"
        app.decide_ratings(HEAD, decisions=within, decision_number="QĐ 1", decided_on="2026-12-10")
    assert count(app) == before
    batch = [d for d in over if d["rating_id"] != str(rid["CV1"])]
    key = keyed(HEAD, "decide-1", batch)
    out = app.decide_ratings(key, decisions=batch, decision_number="QĐ 1", decided_on="2026-12-10")
    assert len(out["items"]) == 9 and not out["late"]
    stored = count(app)
    assert_recorded_by(events_since(app, before), HEAD.actor)
    assert (
        app.decide_ratings(key, decisions=batch, decision_number="QĐ 1", decided_on="2026-12-10")
        == out
    )
    assert count(app) == stored


def own_sheet_read(app: AssessmentApplication, rid: dict[str, uuid.UUID]) -> None:
    """The person's own sheet page reads the twelve sheets and the year's score in one read."""
    me = ctx("official", "SNN", "cv0")
    view = app.execute(files.READ_RATING_FILE, me, reads.ReadFile(), {"rating_id": rid["CV0"]})
    assert [s["period"] for s in view["sheets"]] == list(range(1, 13))
    assert view["score"] == "95.00"
    assert view["rating"]["decision"]["level"] == EXC


def whole_year(app: AssessmentApplication) -> None:
    agency(app)
    import_sheets_in_batches(app)
    rid = open_and_round(app)
    decide_in_bulk(app, rid)
    own_sheet_read(app, rid)


def approved_totals_follow_reopenings(app: AssessmentApplication) -> None:
    """The year-end read of approved totals (approval events only) equals the sheets' own
    ``approved_total`` — a reopened sheet leaves the score, approved again it comes back."""
    from assessment.application.individual.support import approved_totals, people_by_id
    from assessment.application.kernel.executor import Read
    from assessment.domain.individual.person import person_id_for
    from assessment.domain.individual.sheet import ScoreSheet, sheet_id_for
    from assessment.domain.individual.values import PeriodKind

    read = Read(app, TCCB)
    ids = [person_id_for(T, c) for c in STAFF]
    people = list(people_by_id(read, ids).values())
    cv9 = person_id_for(T, "CV9")
    last = sheet_id_for(cv9, 2026, "month", 12)

    def both() -> tuple[list[Any], list[Any]]:
        quick = approved_totals(read, people, 2026, PeriodKind.MONTH)
        sheets = [
            read.load(ScoreSheet, sheet_id_for(cv9, 2026, "month", m), "x") for m in range(1, 13)
        ]
        full = [s.approved_total for s in sheets if s.approved_total is not None]
        assert len(quick) == len(STAFF) and all(len(v) == 12 for p, v in quick.items() if p != cv9)
        return quick[cv9], full

    quick, full = both()
    assert quick == full and len(quick) == 12
    app.reopen_sheet(HEAD, last, reason="Sai số liệu tháng 12")
    quick, full = both()
    assert quick == full and len(quick) == 11
    app.approve_sheet(HEAD, last)
    quick, full = both()
    assert quick == full and len(quick) == 12
    assert (
        approved_totals(Read(app, ctx("personnel", "SNN", "x")), [], 2026, PeriodKind.MONTH) == {}
    )
    other = CommandContext(tenant="binh-duong", actor=TCCB.actor)
    assert approved_totals(Read(app, other), people, 2026, PeriodKind.MONTH) == {
        p.id: [] for p in people
    }  # another tenant reads none of them
