"""The report of Home Affairs to the party caucus and the chairman (seed 000): units late,
missing, perfunctory or inflated, reopenings with their reasons, the units (and heads) that did
worst — in the shape of an official dispatch (số, ngày, kính gửi, nơi nhận) ready to sign."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from reporting.adapters.db import Tx
from reporting.reports import labels
from reporting.reports.accountability import ballots_for, cycle_entries, head_of
from reporting.reports.inspection import caucus_inspection
from reporting.reports.rules import ReportRules


@dataclass(frozen=True)
class Dispatch:
    """The administrative frame of the report (Decree 30/2020 layout)."""

    number: str = "…/SNV-TT"
    place: str = "Đồng Nai"
    issuer: str = "SỞ NỘI VỤ"
    superior: str = "UBND TỈNH"
    subject: str = "V/v báo cáo kết quả đánh giá công vụ và các đơn vị thực hiện chưa nghiêm"
    to: tuple[str, ...] = ("Ban Cán sự Đảng UBND tỉnh", "Chủ tịch UBND tỉnh")
    copies: tuple[str, ...] = ("Như trên", "Ban Tổ chức Tỉnh ủy", "Lưu VT, TT")
    signer_title: str = "GIÁM ĐỐC"
    signer: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    def to_dict(self, moment: datetime) -> dict[str, Any]:
        return {
            "number": self.number,
            "place": self.place,
            "issuer": self.issuer,
            "superior": self.superior,
            "subject": self.subject,
            "to": list(self.to),
            "copies": list(self.copies),
            "signer_title": self.signer_title,
            "signer": self.signer,
            "day": moment.day,
            "month": moment.month,
            "year": moment.year,
        }


def _badness(e: dict[str, Any], rules: ReportRules) -> tuple[int, int, str]:
    rank = labels.RANK.get(e["final_level"] or "", -1)
    problems = (
        len(e["late_steps"])
        + 2 * len(e["missing_steps"])
        + 2 * bool(e["perfunctory_flags"] or e["perfunctory_signals"])
        + 2 * bool((e["inflation_gap"] or 0) >= rules.inflated_by_levels)
        + len(e["reopenings"])
    )
    # worst first: lowest final level (none yet counts lowest), then most problems
    return (rank, -problems, e["unit_code"] or "")


def caucus_report(
    tx: Tx,
    tenant: str,
    cycle_id: str,
    *,
    now: datetime,
    rules: ReportRules,
    dispatch: Dispatch | None = None,
    reader_role: str | None = None,
    reader_subject: str | None = None,
) -> dict[str, Any] | None:
    """``reader_role``/``reader_subject``: who reads it, for the findings on named officials
    (see :func:`reporting.reports.inspection.caucus_inspection`); None shows them all (CLI)."""
    cycle, entries = cycle_entries(tx, tenant, cycle_id, now)
    if cycle is None:
        return None

    def unit(e: dict[str, Any]) -> dict[str, Any]:
        return {"unit_id": e["unit_id"], "unit_code": e["unit_code"], "unit_name": e["unit_name"]}

    late = [{**unit(e), "steps": e["late_steps"]} for e in entries if e["late_steps"]]
    missing = [{**unit(e), "steps": e["missing_steps"]} for e in entries if e["missing_steps"]]
    perfunctory = [
        {**unit(e), "flags": e["perfunctory_flags"], "signals": e["perfunctory_signals"]}
        for e in entries
        if e["perfunctory_flags"] or e["perfunctory_signals"]
    ]
    inflated = [
        {
            **unit(e),
            "self_level": e["self_level"],
            "self_level_label": e["self_level_label"],
            "final_level": e["final_level"],
            "final_level_label": e["final_level_label"],
            "final_source": e["final_source"],
            "gap": e["inflation_gap"],
            "refs": [s["sources"][0]["ref"] for s in e["steps"] if s["step"] == "self_assessment"],
        }
        for e in entries
        if e["inflation_gap"] is not None and e["inflation_gap"] >= rules.inflated_by_levels
    ]
    reopenings = [{**unit(e), **r} for e in entries for r in e["reopenings"]]
    adjustments = [
        {**unit(e), **a, "to_level_label": labels.level(a["to_level"])}
        for e in entries
        for a in e["adjustments"]
    ]
    worst = []
    for e in sorted(entries, key=lambda e: _badness(e, rules))[: rules.worst_count]:
        head = head_of(ballots_for(tx, tenant, e["unit_code"], e["unit_id"]))
        worst.append(
            {
                **unit(e),
                "head": head,
                "final_level": e["final_level"],
                "final_level_label": e["final_level_label"],
                "late": len(e["late_steps"]),
                "missing": len(e["missing_steps"]),
            }
        )
    inspection = caucus_inspection(
        tx,
        tenant,
        int(cycle["year"]),
        {e["unit_id"]: unit(e) for e in entries},
        now=now,
        reader_role=reader_role,
        reader_subject=reader_subject,
    )
    return {
        "kind": "caucus",
        "tenant": tenant,
        "as_of": now.isoformat(),
        "cycle": cycle,
        "rules": {"inflated_by_levels": rules.inflated_by_levels, "worst_count": rules.worst_count},
        "dispatch": (dispatch or Dispatch()).to_dict(now),
        "totals": {
            "units": len(entries),
            "late": len(late),
            "missing": len(missing),
            "perfunctory": len(perfunctory),
            "inflated": len(inflated),
            "reopenings": len(reopenings),
            "adjustments": len(adjustments),
            "recognised": sum(1 for e in entries if e["final_source"] == "recognition"),
            "findings": len(inspection["findings"]),
            "overdue_plans": len(inspection["overdue_plans"]),
        },
        "levels": _distribution(entries),
        "late": late,
        "missing": missing,
        "perfunctory": perfunctory,
        "inflated": inflated,
        "reopenings": reopenings,
        "adjustments": adjustments,
        "worst": worst,
        "inspection": inspection,
        "units": entries,
    }


def _distribution(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    counts = {code: 0 for code in labels.LEVELS}
    pending = 0
    for e in entries:
        if e["final_level"] in counts:
            counts[e["final_level"]] += 1
        else:
            pending += 1
    rows = [{"level": k, "label": labels.LEVELS[k], "count": v} for k, v in counts.items()]
    return [*rows, {"level": None, "label": "Chưa có mức", "count": pending}]
