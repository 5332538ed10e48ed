"""Setup of the rebuild benchmarks: private databases and topics, and one realistic history
written through the assessment domain (``build_history``), shared by ``audit_rebuild.py``,
``rebuild_national.py`` and ``_synthetic.py``."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import platform
import random
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlparse, urlunparse

import psycopg

from assessment.application.service import AssessmentApplication
from assessment.domain.collective.cycle import Cycle
from assessment.domain.collective.unit_assessment import UnitAssessment
from assessment.domain.collective.values import Step
from assessment.domain.registry.unit import Unit
from shared.envelope import Envelope

VN = timezone(timedelta(hours=7))
TENANT = "bench-tinh"
TARGET = 20_000
SNV = {"subject": "snv.tonghop", "role": "home_affairs", "acting_for": "SNV"}
CAUCUS = {"subject": "bcsd.thuky", "role": "party_caucus", "acting_for": "UBND-TINH"}
CHAIRMAN = {"subject": "chu-tich", "role": "chairman", "acting_for": "UBND-TINH"}
KINDS = ("department", "public_service_unit", "lower_peoples_committee")
LEVELS = ("hoan_thanh_xuat_sac", "hoan_thanh_tot", "hoan_thanh", "khong_hoan_thanh")
Batches = list[tuple[list[Envelope], int]]


# ------------------------------------------------------------------ servers
def need_env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        sys.exit(f'{name} is not set: run  eval "$(deploy/local/infra.sh env)"  first')
    return value


@contextlib.contextmanager
def private_database(admin_url: str, name: str) -> Iterator[str]:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunparse(urlparse(admin_url)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def private_topics(bootstrap: str, prefix: str) -> Iterator[dict[str, str]]:
    """The broker refuses auto-creation: create them like tests/conftest.py does."""
    from aiokafka.admin import AIOKafkaAdminClient, NewTopic

    topics = {
        "events": f"{prefix}.assessment.events.v1",
        "position": f"{prefix}.assessment.relay-position",
    }

    async def admin_do(create: bool) -> None:
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
        await admin.start()
        try:
            if create:
                await admin.create_topics(
                    [
                        NewTopic(topics["events"], 3, 1),
                        NewTopic(
                            topics["position"], 1, 1, topic_configs={"cleanup.policy": "compact"}
                        ),
                    ]
                )
            else:
                await admin.delete_topics(list(topics.values()))
        finally:
            await admin.close()

    asyncio.run(admin_do(True))
    try:
        yield topics
    finally:
        try:
            asyncio.run(admin_do(False))
        except Exception as exc:  # report, never hide
            print(f"warning: could not delete topics {list(topics.values())}: {exc}")


def machine_notes() -> str:
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{datetime.now(UTC):%Y-%m-%d %H:%M UTC} · {platform.node()} · {os.cpu_count()} CPUs · "
        f"Python {platform.python_version()} · load avg {load}"
    )


# ------------------------------------------------------------------ the history
WORDS = str.split(
    "đơn vị thực hiện tốt nhiệm vụ được giao, phối hợp chặt chẽ với các cơ quan liên quan, "
    "giải quyết hồ sơ đúng hạn, còn một số hạn chế trong công tác tham mưu cần khắc phục"
)


def _text(rng: random.Random, what: str, n: int) -> str:
    words = WORDS
    return f"{what}: " + " ".join(rng.choice(words) for _ in range(n))


def _at(day: date, rng: random.Random, late_share: float = 0.1) -> datetime:
    """A moment around a deadline day: mostly before, sometimes a few days late."""
    offset = rng.randint(1, 4) if rng.random() < late_share else -rng.randint(0, 12)
    return datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC) + timedelta(
        days=offset, minutes=rng.randint(0, 600)
    )


def _groups(rng: random.Random, codes: list[str], thorough: bool) -> dict[str, dict[str, Any]]:
    if not thorough:
        return {c: {"results": "Hoàn thành.", "limitations": "", "evidence": []} for c in codes}
    out = {}
    for c in codes:
        name = f"{c}-{rng.randint(1, 999)}.pdf"
        out[c] = {
            "results": _text(rng, "kết quả", 40),
            "limitations": _text(rng, "hạn chế", 15),
            "evidence": [
                {"name": name, "sha256": hashlib.sha256(name.encode()).hexdigest(), "size": 1000}
            ],
        }
    return out


def build_history(
    app: AssessmentApplication,
    *,
    units: int,
    years: int,
    sectors: int,
    members: int,
    chunk: int,
    seed: int = 7,
) -> None:
    """The seed-001 flow for every unit and year, phase by phase across units (as it happens:
    all sector agencies review in November, units self-assess in December, ...)."""
    rng = random.Random(seed)

    def save_all(aggs: list[Any]) -> None:
        for i in range(0, len(aggs), chunk):
            app.save(*aggs[i : i + chunk])

    first_year = 2025 - years + 1
    start = datetime(first_year, 9, 1, 2, tzinfo=UTC)
    unit_aggs = [
        Unit.register(
            tenant=TENANT,
            actor=SNV,
            occurred_at=start,
            code=f"DV{i:04d}",
            name=f"Đơn vị số {i}",
            kind=KINDS[i % len(KINDS)],
            parent_id=None,
        )
        for i in range(units)
    ]
    for u in unit_aggs[:: max(1, units // 20)]:
        u.rename(actor=SNV, occurred_at=start + timedelta(days=3), name=f"{u.name} (đổi tên)")
    save_all(unit_aggs)
    codes = {u.id: u.code for u in unit_aggs}

    for year in range(first_year, first_year + years):
        cycle = Cycle.plan(
            tenant=TENANT,
            actor=SNV,
            occurred_at=datetime(year, 10, 1, 2, tzinfo=UTC),
            year=year,
            title=None,
            plan_reference=f"Kế hoạch số {year % 100}/KH-UBND năm {year}",
            content_groups=None,
            deadlines=None,
        )
        new = cycle.enrol(
            actor=SNV, occurred_at=datetime(year, 10, 1, 3, tzinfo=UTC), unit_ids=list(codes)
        )
        cycle.change_deadline(
            actor=SNV,
            occurred_at=datetime(year, 10, 20, 2, tzinfo=UTC),
            step="self_assessment",
            deadline=f"{year}-12-12",
            reason="Lùi hạn theo Công văn của Sở Nội vụ",
        )
        group_codes = cycle.content_group_codes()
        uas = [
            UnitAssessment.open(
                tenant=TENANT,
                actor=SNV,
                occurred_at=datetime(year, 10, 1, 3, tzinfo=UTC),
                cycle_id=cycle.id,
                unit_id=u,
                year=year,
            )
            for u in new
        ]
        app.save(cycle)
        save_all(uas)

        def dl(step: Step, c: Cycle = cycle) -> datetime:
            d = c.deadline_for(step)
            assert d is not None
            return d

        def unit_actor(ua: UnitAssessment) -> dict[str, Any]:
            code = codes[ua.unit_id]
            return {"subject": f"{code.lower()}.vanthu", "role": "unit_officer", "acting_for": code}

        for s in range(sectors):  # every sector agency reviews every unit
            actor = {
                "subject": f"so{s:02d}.lanhdao",
                "role": "sector_reviewer",
                "acting_for": f"SO{s:02d}",
            }
            for ua in uas:
                ua.submit_sector_review(
                    actor=actor,
                    occurred_at=_at(dl(Step.SECTOR_REVIEW).date(), rng),
                    deadline=dl(Step.SECTOR_REVIEW),
                    reviewer_unit_id=f"SO{s:02d}",
                    comment=_text(rng, "nhận xét", 25),
                    proposed_level=rng.choice(LEVELS[:3]),
                    published=rng.random() < 0.5,
                )
            save_all(uas)
        for ua in uas:  # most unpublished reviews are published later
            for reviewer, review in list(ua.sector_reviews.items()):
                if not review["published"] and rng.random() < 0.7:
                    ua.publish_sector_review(
                        actor=SNV,
                        occurred_at=datetime(year, 11, 25, 2, tzinfo=UTC),
                        reviewer_unit_id=reviewer,
                    )
        save_all(uas)
        thorough = {ua.id: rng.random() >= 0.2 for ua in uas}
        for ua in uas:
            ua.submit_self_assessment(
                actor=unit_actor(ua),
                occurred_at=_at(dl(Step.SELF_ASSESSMENT).date(), rng),
                deadline=dl(Step.SELF_ASSESSMENT),
                group_codes=group_codes,
                groups=_groups(rng, group_codes, thorough[ua.id]),
                proposed_level=rng.choice(LEVELS[:2]),
            )
        save_all(uas)
        for m in range(members):  # every PC member reviews every unit
            actor = {"subject": f"uv{m:02d}", "role": "pc_member", "acting_for": "UBND-TINH"}
            for ua in uas:
                ua.submit_member_review(
                    actor=actor,
                    occurred_at=_at(dl(Step.MEMBER_REVIEW).date(), rng),
                    deadline=dl(Step.MEMBER_REVIEW),
                    assignment_reference="Quyết định số 1770/QĐ-UBND ngày 14/7/2011",
                    comment=_text(rng, "ý kiến", 20),
                    proposed_level=rng.choice(LEVELS[:3]),
                )
            save_all(uas)
        for ua in uas:
            if not thorough[ua.id]:
                ua.flag_perfunctory(
                    actor=SNV,
                    occurred_at=datetime(year, 12, 20, 2, tzinfo=UTC),
                    reason="Báo cáo sơ sài, chưa làm rõ hạn chế, yếu kém (Công văn 2060/SNV-TT).",
                )
            ua.consolidate(
                actor=SNV,
                occurred_at=_at(dl(Step.CONSOLIDATION).date(), rng),
                deadline=dl(Step.CONSOLIDATION),
                summary=_text(rng, "tổng hợp", 30),
                proposed_level=rng.choice(LEVELS[:3]),
            )
        save_all(uas)
        for ua in uas:
            ua.review_by_caucus(
                actor=CAUCUS,
                occurred_at=_at(dl(Step.CAUCUS_REVIEW).date(), rng),
                deadline=dl(Step.CAUCUS_REVIEW),
                comment="Thống nhất với đề xuất của Sở Nội vụ.",
                proposed_level=None,
            )
            if rng.random() < 0.15:
                ua.adjust_level(
                    actor=SNV,
                    occurred_at=dl(Step.CAUCUS_REVIEW) - timedelta(days=1),
                    level=rng.choice(LEVELS[:3]),
                    reason="Ban cán sự Đảng đề nghị xem xét lại mức xếp loại.",
                )
        save_all(uas)
        for rounds in (1, 2):
            for ua in uas:
                if rounds == 2 and ua.recognition is not None:
                    continue
                recognised_at = _at(dl(Step.RECOGNITION).date(), rng) + timedelta(days=rounds * 5)
                # never dated before the caucus review (a late review may pass the deadline)
                reviewed = datetime.fromisoformat(str(ua.caucus_review["submitted_at"]))
                recognised_at = max(recognised_at, reviewed + timedelta(hours=1))
                ua.recognise(
                    actor=CHAIRMAN,
                    occurred_at=recognised_at,
                    deadline=dl(Step.RECOGNITION),
                    decision_number=f"{rounds}25/QĐ-UBND",
                    decision_date=recognised_at.astimezone(VN).date().isoformat(),
                    signer="Chủ tịch UBND tỉnh",
                    level=ua.current_level or "hoan_thanh",
                )
                ua.publish(
                    actor=SNV,
                    occurred_at=recognised_at + timedelta(days=2),
                    channel="Cổng thông tin điện tử tỉnh",
                )
                if rounds == 1 and rng.random() < 0.05:  # a few are redone (seed 002)
                    ua.reopen(
                        actor=SNV,
                        occurred_at=recognised_at + timedelta(days=3),
                        step="recognition",
                        reason="Quyết định ghi sai mức xếp loại; làm lại.",
                    )
            save_all(uas)


# ------------------------------------------------------------------ measurements
