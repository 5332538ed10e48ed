"""``python -m ballot.entrypoints.relay [--once]``: published board entries → Kafka.

Lifecycle and result entries only (``ballot.adapters.contract_mapping``), on
``BALLOT_EVENTS_TOPIC`` (``ballot.events.v1``), position in ``ballot.relay-position``, in one
Kafka transaction per batch (``shared.relay``).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal

from ballot.bootstrap import build_ballot
from ballot.config import BallotSettings
from shared.logging import configure_logging
from shared.relay import KafkaTarget

log = logging.getLogger("congvu.ballot.relay")


async def _main(once: bool) -> None:
    settings = BallotSettings()
    module = build_ballot(settings)
    target = KafkaTarget(
        settings.kafka_bootstrap,
        settings.events_topic,
        settings.position_topic,
        settings.relay_transactional_id,
    )
    relay = module.relay(target)
    try:
        if once:
            await target.start()
            try:
                await relay.drain()
            finally:
                await target.stop()
            log.info("ballot relay drained up to position %s", relay.position)
            return
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await relay.run(stop)
    finally:
        module.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--once", action="store_true", help="publish everything, then exit")
    args = parser.parse_args()
    settings = BallotSettings()
    configure_logging(settings.log_level, settings.log_json)
    asyncio.run(_main(args.once))


if __name__ == "__main__":
    main()
