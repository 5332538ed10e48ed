"""Published results per tenant and year (public disclosure): only units whose publication
step stands (a reopening that clears it takes the unit out again), with the recognition
decision behind each level."""

from __future__ import annotations

import json
from typing import Any

from reporting.adapters.db import Tx
from reporting.read_models.cycle_board.board import name_on
from reporting.reports import labels


def published(tx: Tx, tenant: str, year: int) -> list[dict[str, Any]]:
    rows = tx.fetchall(
        "SELECT a.assessment_id, a.unit_id, a.sources, b.recognised_level, b.recognition, "
        "u.code, u.names, u.valid_to, c.title FROM rm_acc_assessment a "
        "JOIN rm_board b ON b.assessment_id = a.assessment_id "
        "JOIN rm_cycle c ON c.cycle_id = a.cycle_id "
        "LEFT JOIN rm_unit u ON u.unit_id = a.unit_id "
        "WHERE a.tenant = %s AND a.year = %s ORDER BY u.code, a.unit_id",
        (tenant, year),
    )
    out = []
    for r in rows:
        sources = json.loads(r[2])
        pub = (sources.get("publication") or [None])[-1]
        rec = (sources.get("recognition") or [None])[-1]
        if pub is None or rec is None or r[3] is None:
            continue
        recognition = json.loads(r[4]) if r[4] else {}
        out.append(
            {
                "unit_id": r[1],
                "unit_code": r[5],
                "unit_name": name_on(json.loads(r[6]), min(f"{year}-12-31", r[7] or "9999"))
                if r[6]
                else r[1],
                "year": year,
                "cycle_title": r[8],
                "level": r[3],
                "level_label": labels.level(r[3]),
                "decision_number": recognition.get("decision_number"),
                "decision_date": recognition.get("decision_date"),
                "signer": recognition.get("signer"),
                "channel": pub.get("channel"),
                "published_at": pub["at"],
                "event_id": pub["event_id"],
                "ref": {k: pub[k] for k in ("event_id", "aggregate_id", "version")},
            }
        )
    return out
