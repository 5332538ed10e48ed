"""The board builds in full only the rows of the page asked for: every filter, search and page
gives exactly the rows (and total) of the reference — every row built, then filtered, searched
and sliced — over the demo's history (late, overdue, flagged, recognised, renamed units)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from embedded.app import Embedded, build_embedded
from embedded.demo import TENANT, load_demo
from reporting.adapters.db import Tx
from reporting.read_models.cycle_board.board import (
    STEP_ORDER,
    assignments_in,
    board_rows,
    name_on,
    step_status,
    successor_of,
)
from reporting.read_models.cycle_board.public_results import fold

NOW = datetime(2014, 1, 5, 3, tzinfo=UTC)  # some steps late, some overdue, some on time


def reference(tx: Tx, cycle_id: str, status: str | None) -> list[dict[str, Any]]:
    """The board as built before: every row in full, then the filter."""
    year, deadlines = tx.fetchone(
        "SELECT year, deadlines FROM rm_cycle WHERE cycle_id = %s", (cycle_id,)
    )
    deadlines = json.loads(deadlines)
    rows = tx.fetchall(
        """SELECT b.unit_id, u.code, u.name, u.kind, b.steps, b.levels, b.recognised_level,
                  b.recognition, b.flags, b.version, b.updated_at, u.names, u.valid_to
           FROM rm_board b LEFT JOIN rm_unit u ON u.unit_id = b.unit_id
           WHERE b.tenant = %s AND b.cycle_id = %s ORDER BY u.code, b.unit_id""",
        (TENANT, cycle_id),
    )
    assigned = assignments_in(tx, TENANT, int(year))
    codes = dict(tx.fetchall("SELECT unit_id, code FROM rm_unit WHERE tenant = %s", (TENANT,)))
    out = []
    for r in rows:
        steps = json.loads(r[4])
        mine = assigned.get(str(r[0]), {})
        sector = mine.get("sector_management", [])
        statuses = {
            s: step_status(
                s,
                steps.get(s),
                deadlines.get(s),
                NOW,
                required=s != "sector_review" or bool(sector),
            )
            for s in STEP_ORDER
        }
        flags = json.loads(r[8])
        late_steps = [s for s, v in statuses.items() if v["status"] in ("late", "overdue")]
        item = {
            "unit_id": r[0],
            "unit_code": r[1],
            "unit_name": name_on(json.loads(r[11]), min(f"{year}-12-31", r[12] or "9999"))
            if r[11]
            else r[2],
            "unit_current_name": r[2],
            "successor": successor_of(tx, r[0]),
            "unit_kind": r[3],
            "steps": statuses,
            "levels": json.loads(r[5]),
            "recognised_level": r[6],
            "recognition": json.loads(r[7]) if r[7] else None,
            "late_steps": late_steps,
            "perfunctory": bool(flags.get("perfunctory")),
            "perfunctory_flags": flags.get("perfunctory", []),
            "perfunctory_signals": flags.get("signals", []),
            "reopenings": flags.get("reopenings", []),
            "supplements": flags.get("supplements", []),
            "adjustments": flags.get("adjustments", []),
            "sector_agencies": [{"unit_id": a, "code": codes.get(a)} for a in sector],
            "pc_members": mine.get("pc_oversight", []),
            "version": r[9],
            "updated_at": r[10],
        }
        if status == "late" and not late_steps:
            continue
        if status == "perfunctory" and not (item["perfunctory"] or item["perfunctory_signals"]):
            continue
        if status == "recognised" and not r[6]:
            continue
        out.append(item)
    return out


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Embedded]:
    emb = build_embedded(Path(tmp_path_factory.mktemp("board")))
    load_demo(emb.assessment)
    asyncio.run(emb.relay.drain())
    yield emb
    emb.close()


@pytest.mark.parametrize("status", [None, "late", "perfunctory", "recognised", "nonsense"])
def test_every_filter_page_and_search_matches_the_reference(
    demo: Embedded, status: str | None
) -> None:
    with demo.db.transaction() as tx:
        (cycle_id,) = tx.fetchone("SELECT cycle_id FROM rm_cycle WHERE tenant = %s", (TENANT,))
        expected = reference(tx, cycle_id, status if status != "nonsense" else None)
        _, every, total = board_rows(tx, TENANT, cycle_id, now=NOW, limit=10**6, status=status)
        assert every == expected and total == len(expected)
        for offset, limit in ((0, 2), (1, 3), (len(expected) - 1, 5), (len(expected) + 3, 5)):
            _, page, total = board_rows(
                tx, TENANT, cycle_id, now=NOW, offset=offset, limit=limit, status=status
            )
            assert page == expected[offset : offset + limit] and total == len(expected)
        for text in ("sở", "SYT", "ubnd", "không có đơn vị này"):
            wanted = fold(text)
            found = [r for r in expected if wanted in fold(f"{r['unit_name']} {r['unit_code']}")]
            _, page, total = board_rows(
                tx,
                TENANT,
                cycle_id,
                now=NOW,
                limit=10**6,
                status=status,
                search=lambda name, code, w=wanted: w in fold(f"{name} {code}"),
            )
            assert page == found and total == len(found)


def test_the_demo_gives_the_filters_something_to_keep(demo: Embedded) -> None:
    with demo.db.transaction() as tx:
        (cycle_id,) = tx.fetchone("SELECT cycle_id FROM rm_cycle WHERE tenant = %s", (TENANT,))
        sizes = {s: len(reference(tx, cycle_id, s)) for s in (None, "late", "recognised")}
    assert sizes[None] > sizes["late"] > 0 and sizes[None] > sizes["recognised"] > 0
