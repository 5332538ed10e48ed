"""``python -m reporting.entrypoints.consumer [--rebuild] [--until-caught-up]``

Consumes ``assessment.events.v1`` into the read model. ``--rebuild`` first replays the topic
from the beginning into shadow tables and swaps them in when caught up (Kafka keeps events
forever); readers never see a half-built board.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
from typing import Any

from rich.console import Console
from rich.progress import Progress

from reporting.bootstrap import build_ballot_consumer, build_consumer, build_database
from reporting.consumer.rebuild import rebuild_from_kafka
from shared.logging import configure_logging
from shared.runtime import settle_heap
from shared.settings import ReportingSettings

log = logging.getLogger("congvu.reporting")


async def _open_database(settings: ReportingSettings, stop: asyncio.Event) -> Any:
    """The read-model database; while PostgreSQL is down at start, wait and retry."""
    backoff, logged = 0.5, False
    while not stop.is_set():
        try:
            return build_database(settings)
        except Exception as exc:
            if not logged:
                log.error(
                    "consumer: read-model database unavailable at start (%s); retrying",
                    str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__,
                )
                logged = True
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=backoff)
            backoff = min(backoff * 2, 5.0)
    return None


async def _main(rebuild: bool, until_caught_up: bool) -> None:
    settings = ReportingSettings()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    db = build_database(settings) if rebuild or until_caught_up else None
    if db is None:
        db = await _open_database(settings, stop)
        if db is None:
            return
    if rebuild:
        with Progress(console=Console(stderr=True)) as progress:
            task = progress.add_task("Đang xây lại read model", total=None)
            applied = await rebuild_from_kafka(
                db,
                settings.kafka_bootstrap,
                settings.events_topic,
                settings.consumer_group,
                progress=lambda done, total: progress.update(task, completed=done, total=total),
                also=[(settings.ballot_events_topic, settings.ballot_consumer_group)],
            )
        log.info("read model rebuilt from %d events and swapped in", applied)
        if until_caught_up:
            db.close()
            return
    consumer = build_consumer(settings, db)
    try:
        if until_caught_up:
            await consumer.start()
            try:
                await consumer.run_until_caught_up(timeout=3600)
            finally:
                await consumer.stop()
            log.info("caught up: %d applied, %d duplicates", consumer.applied, consumer.duplicates)
        else:
            settle_heap()  # start-up done: freeze its heap, collect less often
            log.info(
                "consumer started (topic %s, group %s)",
                settings.events_topic,
                settings.consumer_group,
            )
            ballots = build_ballot_consumer(settings, db)
            await asyncio.gather(consumer.run(stop), ballots.run(stop))
    finally:
        db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rebuild", action="store_true", help="xây lại read model từ đầu")
    parser.add_argument("--until-caught-up", action="store_true", help="dừng khi đã đọc hết topic")
    args = parser.parse_args()
    settings = ReportingSettings()
    configure_logging(settings.log_level, settings.log_json)
    asyncio.run(_main(args.rebuild, args.until_caught_up))


if __name__ == "__main__":
    main()
