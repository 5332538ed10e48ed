"""``python -m assessment.entrypoints.relay [--once]``: event store → Kafka, transactionally."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal

from assessment.adapters.relay import ApplicationSource, KafkaTarget, Relay
from assessment.bootstrap import build_application, build_sealer
from shared.logging import configure_logging
from shared.settings import AssessmentSettings

log = logging.getLogger("congvu.relay")


async def _main(once: bool) -> None:
    settings = AssessmentSettings()
    app = build_application(settings)
    sealer = build_sealer(app, settings)
    if sealer.signer is None:
        log.warning("ASSESSMENT_AUDIT_KEY_FILE not set: chain kept, checkpoints not signed")
    target = KafkaTarget(
        settings.kafka_bootstrap,
        settings.events_topic,
        settings.position_topic,
        settings.relay_transactional_id,
        settings.checkpoints_topic,
    )
    relay = Relay(
        ApplicationSource(app, sealer),
        target,
        batch_size=settings.relay_batch_size,
        poll_seconds=settings.relay_poll_seconds,
    )
    try:
        if once:
            await target.start()
            try:
                await relay.drain()
            finally:
                await target.stop()
            log.info("relay drained up to position %s", relay.position)
            return
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await relay.run(stop)
    finally:
        sealer.db.close()
        app.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--once", action="store_true", help="publish everything, then exit")
    args = parser.parse_args()
    settings = AssessmentSettings()
    configure_logging(settings.log_level, settings.log_json)
    asyncio.run(_main(args.once))


if __name__ == "__main__":
    main()
