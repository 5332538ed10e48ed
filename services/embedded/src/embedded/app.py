"""One process, every service: assessment + reporting APIs on SQLite and the in-process bus."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from assessment.adapters.evidence_store import DiskEvidenceStore
from assessment.adapters.history import iter_envelopes, with_chain
from assessment.adapters.relay import ApplicationSource, BusTarget, Relay
from assessment.adapters.sealer import Sealer
from assessment.application.service import AssessmentApplication, Clock
from assessment.bootstrap import build_application, build_sealer
from assessment.entrypoints.api.app import include_assessment, install_assessment_errors
from assessment.entrypoints.web import include_assessment_pages
from ballot.bootstrap import build_ballot
from ballot.config import BallotSettings
from ballot.entrypoints.api.app import include_ballot
from ballot.entrypoints.web import include_voter_page
from embedded.demo import DEMO_USERS, TENANT, load_demo
from reporting.adapters.db import SqliteDatabase
from reporting.consumer.runner import BoardProjector, ensure_schema
from reporting.entrypoints.api.app import include_reporting
from reporting.entrypoints.web import include_reporting_pages
from shared.auth import AuthSettings, DevIssuer, TokenVerifier, build_verifier
from shared.bus import InProcessBus
from shared.http import add_problem_schema
from shared.routing import install_segment_dispatch
from shared.runtime import settle_heap
from shared.settings import AssessmentSettings
from shared.web.docs import install_api_docs
from shared.web.oidc import OidcSettings
from shared.web.pages import WebSettings
from shared.web.signin import DevUser, build_portal, install_portal

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


def dev_issuer_for(data_dir: Path) -> DevIssuer:
    """The embedded development identity provider; its key stays in the data directory."""
    return DevIssuer.from_file(data_dir / "keys" / "dev-issuer.pem")


def demo_users() -> list[DevUser]:
    return [DevUser(u, name, TENANT, role, unit) for u, name, role, unit in DEMO_USERS]


def create_embedded_app(
    data_dir: Path,
    *,
    demo: bool = True,
    clock: Clock | None = None,
    issuer: DevIssuer | None = None,
    auth: AuthSettings | None = None,
    oidc: OidcSettings | None = None,
    settle: bool = False,
) -> FastAPI:
    """One app for everything. With ``CONGVU_AUTH_JWKS_URL`` (``auth``) tokens come from the
    OIDC provider and the development issuer is off; otherwise the development issuer signs
    the demo users' tokens (``congvu token``, the development sign-in page). ``settle``: the
    server process (``congvu run``) freezes its startup heap once started
    and collects less often (``shared.runtime.settle_heap``); tests' apps do not."""
    auth = auth or AuthSettings()
    use_dev = not auth.jwks_url
    dev = (issuer or dev_issuer_for(data_dir)) if use_dev else None
    verifier: TokenVerifier = dev.verifier() if dev is not None else build_verifier(auth)
    portal = build_portal(
        WebSettings(mode="embedded"),
        secret_file=data_dir / "keys" / "web-session.key",
        dev_issuer=dev,
        dev_users=demo_users(),
        oidc_settings=oidc or OidcSettings(),
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        emb = build_embedded(data_dir, clock)
        app.state.embedded = emb
        app.state.assessment = emb.assessment
        app.state.sealer = emb.sealer
        app.state.verifier = verifier
        app.state.reporting_db = emb.db
        app.state.evidence = DiskEvidenceStore(data_dir / "evidence")
        # reports as of a past moment replay the store's published events
        # (with their audit chain fields where sealed, for the auditor's timeline)
        app.state.report_history = lambda: with_chain(emb.sealer, iter_envelopes(emb.assessment))
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
        # the ballot service has its own log positions: its own bus, whose results the
        # reporting read models take in (the accountability report's ballots) at their own
        # bus position
        ballot_bus = InProcessBus()
        ballot_bus.subscribe(BoardProjector(emb.db, name="ballot-results"))
        ballot_task = asyncio.create_task(ballot.relay(BusTarget(ballot_bus)).run(stop))
        if settle:
            settle_heap()
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
    install_portal(app, portal)
    include_reporting_pages(app, portal)
    include_assessment_pages(app, portal)
    install_api_docs(app)

    if dev is not None:

        @app.get("/.well-known/jwks.json", include_in_schema=False)
        def jwks() -> dict[str, Any]:
            assert dev is not None
            return dev.jwks

    install_segment_dispatch(app)  # routes looked up by first path segment (same answers)
    return app
