"""One process, every service: assessment + reporting APIs on SQLite and the in-process bus."""

from __future__ import annotations

import asyncio
import html
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

from assessment.adapters.relay import ApplicationSource, BusTarget, Relay
from assessment.adapters.sealer import Sealer
from assessment.application.service import AssessmentApplication, Clock
from assessment.bootstrap import build_application, build_sealer
from assessment.entrypoints.api.app import include_assessment, install_assessment_errors
from ballot.bootstrap import build_ballot
from ballot.config import BallotSettings
from ballot.entrypoints.api.app import include_ballot
from ballot.entrypoints.web import include_voter_page
from embedded.demo import TENANT, load_demo
from reporting.adapters.db import SqliteDatabase
from reporting.consumer.runner import BoardProjector, ensure_schema
from reporting.entrypoints.api.app import include_reporting
from reporting.read_models.cycle_board.board import STEP_ORDER, board_rows
from shared.auth import DevIssuer
from shared.bus import InProcessBus
from shared.http import add_problem_schema
from shared.settings import AssessmentSettings

log = logging.getLogger("congvu.embedded")


@dataclass
class Embedded:
    assessment: AssessmentApplication
    db: SqliteDatabase
    bus: InProcessBus
    relay: Relay
    sealer: Sealer

    def close(self) -> None:
        self.sealer.db.close()
        self.assessment.close()
        self.db.close()


def build_embedded(data_dir: Path, clock: Clock | None = None) -> Embedded:
    data_dir.mkdir(parents=True, exist_ok=True)
    settings = AssessmentSettings(
        mode="embedded",
        sqlite_path=data_dir / "assessment.sqlite",
        audit_key_file=data_dir / "keys" / "audit-signing-key.pem",
        checkpoint_every_events=100,
    )
    app = build_application(settings, clock=clock)
    sealer = build_sealer(app, settings)
    db = SqliteDatabase(data_dir / "reporting.sqlite")
    ensure_schema(db)
    bus = InProcessBus()
    bus.subscribe(BoardProjector(db))
    relay = Relay(ApplicationSource(app, sealer), BusTarget(bus), poll_seconds=0.5)
    app.add_save_listener(relay.wake)
    return Embedded(app, db, bus, relay, sealer)


STATUS_VI = {
    "missing": "Chưa nộp",
    "overdue": "Quá hạn, chưa nộp",
    "on_time": "Đúng hạn",
    "late": "Trễ hạn",
}
LEVEL_VI = {
    "hoan_thanh_xuat_sac": "Hoàn thành xuất sắc",
    "hoan_thanh_tot": "Hoàn thành tốt",
    "hoan_thanh": "Hoàn thành",
    "khong_hoan_thanh": "Không hoàn thành",
}
STEP_VI = {
    "sector_review": "B1 Chuyên ngành",
    "self_assessment": "B2 Tự đánh giá",
    "member_review": "B3 Thành viên UBND",
    "consolidation": "B4 Sở Nội vụ",
    "caucus_review": "B5 Ban cán sự",
    "recognition": "B5 Công nhận",
    "publication": "Công bố",
}


def _board_html(db: SqliteDatabase, tenant: str, cycle_id: str) -> str:
    with db.transaction() as tx:
        cycle, rows, _ = board_rows(tx, tenant, cycle_id, limit=1000)
    if cycle is None:
        return "<p>Chưa có dữ liệu kỳ đánh giá (đang đồng bộ, hãy tải lại sau giây lát).</p>"
    e = html.escape
    head = "".join(f"<th>{e(STEP_VI[s])}</th>" for s in STEP_ORDER)
    body = []
    for r in rows:
        cells = []
        for s in STEP_ORDER:
            st = r["steps"][s]
            extra = f" ({st['late_by_days']} ngày)" if st.get("late_by_days") else ""
            cells.append(f"<td class='{st['status']}'>{e(STATUS_VI[st['status']] + extra)}</td>")
        level = LEVEL_VI.get(r["recognised_level"] or "", "—")
        flag = " ⚠ sơ sài" if r["perfunctory"] else ""
        body.append(
            f"<tr><td>{e(r['unit_name'] or r['unit_id'])}{e(flag)}</td>{''.join(cells)}"
            f"<td>{e(level)}</td></tr>"
        )
    return (
        f"<h2>{e(cycle['title'])}</h2><p>{e(cycle['plan_reference'])}</p>"
        f"<table><tr><th>Đơn vị</th>{head}<th>Mức được công nhận</th></tr>"
        f"{''.join(body)}</table>"
    )


def dev_issuer_for(data_dir: Path) -> DevIssuer:
    """The embedded development identity provider; its key stays in the data directory."""
    return DevIssuer.from_file(data_dir / "keys" / "dev-issuer.pem")


def create_embedded_app(
    data_dir: Path,
    *,
    demo: bool = True,
    clock: Clock | None = None,
    issuer: DevIssuer | None = None,
) -> FastAPI:
    state: dict[str, str] = {}

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        emb = build_embedded(data_dir, clock)
        app.state.embedded = emb
        app.state.assessment = emb.assessment
        app.state.sealer = emb.sealer
        app.state.verifier = (issuer or dev_issuer_for(data_dir)).verifier()
        app.state.reporting_db = emb.db
        if demo:
            loaded = await asyncio.to_thread(load_demo, emb.assessment)
            if loaded:
                log.info("demo data loaded: %s", loaded)
        ballot = build_ballot(
            BallotSettings(
                mode="embedded",
                sqlite_path=data_dir / "ballot.sqlite",
                board_key_file=data_dir / "keys" / "ballot-board-key.pem",
            ),
            clock=clock,
        )
        app.state.ballot = ballot
        stop = asyncio.Event()
        task = asyncio.create_task(emb.relay.run(stop))
        # the ballot service has its own log positions: its own bus
        ballot_task = asyncio.create_task(ballot.relay(BusTarget(InProcessBus())).run(stop))
        try:
            yield
        finally:
            stop.set()
            for running in (task, ballot_task):
                with suppress(asyncio.CancelledError):
                    await running
            ballot.close()
            emb.close()

    app = FastAPI(
        title="congvu — Đánh giá kết quả công vụ (embedded)", version="0.1.0", lifespan=lifespan
    )
    install_assessment_errors(app)
    add_problem_schema(app)
    include_assessment(app)
    include_reporting(app)
    include_ballot(app)
    include_voter_page(app)

    @app.get("/.well-known/jwks.json", include_in_schema=False)
    def jwks() -> dict[str, Any]:
        return (issuer or dev_issuer_for(data_dir)).jwks

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home() -> str:
        from assessment.domain.collective.cycle import cycle_id_for

        cycle_id = str(cycle_id_for(TENANT, 2013))
        board = _board_html(app.state.reporting_db, TENANT, cycle_id)
        now = datetime.now(UTC).strftime("%d/%m/%Y %H:%M UTC")
        state["last"] = now
        return f"""<!doctype html><html lang="vi"><head><meta charset="utf-8">
<title>congvu — Đánh giá kết quả công vụ</title>
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}
td,th{{border:1px solid #999;padding:4px 8px;font-size:13px}}.late,.overdue{{background:#fdd}}
.on_time{{background:#dfd}}</style></head><body>
<h1>Đánh giá kết quả công vụ — bản chạy thử (embedded)</h1>
<p>Dữ liệu mẫu: tỉnh <b>{TENANT}</b>, kỳ 2013 (Kế hoạch theo seed 001). Cập nhật: {now}.</p>
<p>API: <a href="/docs">/docs</a> (OpenAPI) · Bảng theo dõi JSON:
<code>GET /v1/reports/cycles/{cycle_id}/board</code> với header
<code>Authorization: Bearer $(.venv/bin/congvu token --role auditor)</code>
(mã thông báo của bên cấp phát thử nghiệm; các vai trò: xem README).</p>
{board}
<p lang="en"><i>English: congvu embedded demo — cycle board of the 2013 demo cycle; API docs at
/docs.</i></p></body></html>"""

    return app
