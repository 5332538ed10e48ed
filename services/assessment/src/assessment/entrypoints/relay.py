"""``python -m assessment.entrypoints.relay [--once]``: event store → Kafka, transactionally."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
from typing import Any

from assessment.adapters.relay import ApplicationSource, KafkaTarget, Relay
from assessment.bootstrap import build_application, build_sealer
from shared.logging import configure_logging
from shared.pg_listen import NotifyWakeup
from shared.runtime import settle_heap
from shared.settings import AssessmentSettings

log = logging.getLogger("congvu.relay")


async def _open_store(settings: AssessmentSettings, stop: asyncio.Event | None) -> Any:
    """The application and its sealer; while PostgreSQL is down at start, wait and retry
    (one log line), never exit."""
    backoff, logged = 0.5, False
    while True:
        try:
            app = build_application(settings)
            try:
                return app, build_sealer(app, settings)
            except BaseException:
                app.close()
                raise
        except Exception as exc:
            if stop is None:
                raise
            if not logged:
                log.error(
                    "relay: event store unavailable at start (%s); retrying with backoff",
                    str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__,
                )
                logged = True
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=backoff)
            if stop.is_set():
                return None
            backoff = min(backoff * 2, 10.0)


async def _main(once: bool) -> None:
    settings = AssessmentSettings()
    stop = asyncio.Event()
    if not once:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
    opened = await _open_store(settings, None if once else stop)
    if opened is None:
        return
    app, sealer = opened
    if sealer.signer is None:
        log.warning("ASSESSMENT_AUDIT_KEY_FILE not set: chain kept, checkpoints not signed")
    target = KafkaTarget(
        settings.kafka_bootstrap,
        settings.events_topic,
        settings.position_topic,
        settings.relay_transactional_id,
        settings.checkpoints_topic,
    )
    relay = build_relay(settings, ApplicationSource(app, sealer), target)
    try:
        if once:
            await target.start()
            try:
                await relay.drain()
            finally:
                await target.stop()
            log.info("relay drained up to position %s", relay.position)
            return
        settle_heap()  # start-up done: freeze its heap, collect less often
        log.info("relay started (events topic %s)", settings.events_topic)
        listener = _listener(settings, app, relay)
        task = asyncio.create_task(listener.run(stop)) if listener is not None else None
        try:
            await relay.run(stop)
        finally:
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
    finally:
        sealer.db.close()
        app.close()


def build_relay(settings: AssessmentSettings, source: ApplicationSource, target: Any) -> Relay:
    """The relay loop with its settings (batch size, poll, read-ahead)."""
    return Relay(
        source,
        target,
        batch_size=settings.relay_batch_size,
        poll_seconds=settings.relay_poll_seconds,
        read_ahead=settings.relay_read_ahead,
    )


def _listener(settings: AssessmentSettings, app: Any, relay: Relay) -> NotifyWakeup | None:
    """LISTEN on the store's NOTIFY channel (PostgreSQL only; polling stays the fallback)."""
    channel = getattr(app.recorder, "channel_name", None)
    if not settings.relay_listen or settings.database_url is None or channel is None:
        return None
    return NotifyWakeup(
        settings.database_url.get_secret_value(),
        channel,
        relay,
        fallback_poll_seconds=settings.relay_fallback_poll_seconds,
        connect_timeout=settings.database_connect_timeout,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--once", action="store_true", help="publish everything, then exit")
    args = parser.parse_args()
    settings = AssessmentSettings()
    configure_logging(settings.log_level, settings.log_json)
    asyncio.run(_main(args.once))


if __name__ == "__main__":
    main()
