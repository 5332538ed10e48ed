"""The event history for reports as of a past moment, in production: the assessment and the
ballot topics read to their ends (``read_committed``; Kafka keeps the events forever)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence

from reporting.adapters.topic_reader import read_topic
from shared.envelope import Envelope


def kafka_history(bootstrap: str, topics: Sequence[str]) -> Callable[[], list[Envelope]]:
    def read() -> list[Envelope]:
        async def all_topics() -> list[Envelope]:
            out: list[Envelope] = []
            for topic in topics:
                for record in await read_topic(bootstrap, topic):
                    try:
                        out.append(Envelope.from_json_bytes(record.value))
                    except (ValueError, TypeError, KeyError):
                        continue  # dead-lettered by the live consumer
            return out

        return asyncio.run(all_topics())

    return read
