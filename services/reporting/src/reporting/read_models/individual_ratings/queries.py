"""What the reporting API serves from the individual ratings: an agency's year and a person's
history. Quota use is computed from the decided levels with the tenant's percentage (or the
override decision of the scope): ⌊good × percent / 100⌋, as the write side checks it."""

from __future__ import annotations

import json
import uuid
from collections import Counter
from decimal import Decimal
from typing import Any

from reporting.adapters.db import Database, Tx
from shared.problems import AppError, not_found

LEVELS = ("hoan_thanh_xuat_sac", "hoan_thanh_tot", "hoan_thanh", "khong_hoan_thanh")
RANK = {level: 4 - i for i, level in enumerate(LEVELS)}
DEFAULT_PERCENT = Decimal(20)


def _load(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _percent(tx: Tx, tenant: str) -> tuple[Decimal, bool]:
    row = tx.fetchone("SELECT values_json FROM rm_ind_settings WHERE tenant = %s", (tenant,))
    values = _load(row[0]) if row else {}
    percent = Decimal(str(values.get("excellent_quota_percent", DEFAULT_PERCENT)))
    return percent, bool(values.get("quota_base_includes_excellent", False))


def _allowed(good: int, excellent: int, percent: Decimal, includes: bool) -> int:
    if includes:
        return good + excellent if percent >= 100 else int(good * percent // (100 - percent))
    return int(good * percent // 100)


def agency_year(db: Database, tenant: str, agency_id: str, year: int, side: str) -> dict[str, Any]:
    with db.transaction() as tx:
        rows = tx.fetchall(
            "SELECT r.rating_id, r.person_id, r.position, r.task_group, r.rule_set, r.decided,"
            " r.level, r.score, r.decision, r.unit_level, r.late, r.late_by_days, r.redone,"
            " p.code, p.full_name FROM rm_ind_rating r LEFT JOIN rm_ind_person p"
            " ON p.person_id = r.person_id WHERE r.tenant = %s AND r.agency_id = %s"
            " AND r.year = %s AND r.side = %s ORDER BY p.code",
            (tenant, agency_id, year, side),
        )
        quotas = tx.fetchall(
            "SELECT task_group, levels, override FROM rm_ind_quota WHERE tenant = %s"
            " AND agency_id = %s AND year = %s AND side = %s ORDER BY task_group",
            (tenant, agency_id, year, side),
        )
        percent, includes = _percent(tx, tenant)
    if not rows and not quotas:
        raise not_found("kết quả xếp loại của cơ quan", f"{agency_id}/{year}")
    distribution: Counter[str] = Counter()
    heads, late, redone = [], [], []
    for (
        rid,
        pid,
        position,
        _group,
        rule_set,
        decided,
        level,
        score,
        decision,
        unit_level,
        is_late,
        late_days,
        redos,
        code,
        name,
    ) in rows:
        who = {
            "rating_id": rid,
            "person_id": pid,
            "code": code,
            "full_name": name,
            "rule_set": rule_set,
            "score": score,
        }
        distribution["pending" if not decided else (level or "not_rated")] += 1
        if position == "head" and decided:
            relation = None
            if level and unit_level:
                relation = (
                    "equal"
                    if level == unit_level
                    else ("above" if RANK[level] > RANK[unit_level] else "below")
                )
            heads.append({**who, "level": level, "unit_level": unit_level, "relation": relation})
        if decided and is_late:
            decision = _load(decision) or {}
            late.append(
                {
                    **who,
                    "late_by_days": late_days,
                    "decided_on": decision.get("decided_on"),
                    "deadline": decision.get("deadline"),
                }
            )
        redos = _load(redos) or []
        if redos:
            redone.append({**who, "times": len(redos), "reasons": [r["reason"] for r in redos]})
    quota_use = []
    for group, levels, override in quotas:
        levels, override = _load(levels) or {}, _load(override)
        good = sum(1 for v in levels.values() if v == "hoan_thanh_tot")
        excellent = sum(1 for v in levels.values() if v == "hoan_thanh_xuat_sac")
        pct = Decimal(override["percent"]) if override else percent
        allowed = _allowed(good, excellent, pct, includes)
        quota_use.append(
            {
                "task_group": group,
                "good": good,
                "excellent": excellent,
                "percent": str(pct),
                "allowed": allowed,
                "remaining": max(0, allowed - excellent),
                "override": override,
            }
        )
    return {
        "agency_id": agency_id,
        "year": year,
        "side": side,
        "rated": len(rows),
        "distribution": {k: distribution.get(k, 0) for k in (*LEVELS, "not_rated", "pending")},
        "quota": quota_use,
        "heads": heads,
        "late": late,
        "redone": redone,
    }


def person_history(
    db: Database, tenant: str, person_id: str, reader: dict[str, Any]
) -> dict[str, Any]:
    """A person's ratings across years and agencies. Who may read it is checked by the caller
    (``may_read``); a read by anyone but the person is logged in ``rm_ind_reads``."""
    with db.transaction() as tx:
        person = tx.fetchone(
            "SELECT code, full_name, category, agency_id, position, account FROM rm_ind_person"
            " WHERE person_id = %s AND tenant = %s",
            (person_id, tenant),
        )
        if person is None:
            raise not_found("cán bộ", person_id)
        code, name, category, agency, position, account = person
        if not may_read(reader, agency, account):
            raise AppError(
                code="individual.file_access_denied",
                status=403,
                title="Không có quyền xem hồ sơ đánh giá của người này",
                title_en="Not allowed to read this person's rating file",
            )
        rows = tx.fetchall(
            "SELECT rating_id, year, side, agency_id, position, rule_set, decided, level, score,"
            " decision, late, redone FROM rm_ind_rating WHERE tenant = %s AND person_id = %s"
            " ORDER BY year, side",
            (tenant, person_id),
        )
        if reader.get("subject") != account:
            tx.execute(
                "INSERT INTO rm_ind_reads (read_id, tenant, person_id, reader, role, unit, read_at)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s)",
                (
                    str(uuid.uuid4()),
                    tenant,
                    person_id,
                    reader.get("subject"),
                    reader.get("role"),
                    reader.get("unit"),
                    reader.get("at"),
                ),
            )
    return {
        "person_id": person_id,
        "code": code,
        "full_name": name,
        "category": category,
        "agency_id": agency,
        "position": position,
        "ratings": [
            {
                "rating_id": r[0],
                "year": r[1],
                "side": r[2],
                "agency_id": r[3],
                "position": r[4],
                "rule_set": r[5],
                "decided": bool(r[6]),
                "level": r[7],
                "score": r[8],
                "decision": _load(r[9]),
                "late": bool(r[10]),
                "redone": _load(r[11]) or [],
            }
            for r in rows
        ],
    }


def may_read(reader: dict[str, Any], agency: str, account: str | None) -> bool:
    """The person, Home Affairs and auditors of the tenant, the personnel body and the head of
    the person's agency (as in ``domain.individual.access``)."""
    role, unit = reader.get("role"), reader.get("unit")
    if account and reader.get("subject") == account:
        return True
    if role in ("home_affairs", "auditor"):
        return True
    return role in ("personnel", "unit_head") and unit == agency


def may_read_agency(reader: dict[str, Any], agency: str) -> bool:
    role, unit = reader.get("role"), reader.get("unit")
    if role in ("home_affairs", "auditor", "chairman", "inspector"):
        return True
    return role in ("personnel", "unit_head") and unit == agency
