"""Reading a topic back the way a reporting consumer would (read_committed)."""

from __future__ import annotations

from typing import Any

from reporting.adapters.topic_reader import read_topic


async def read_all(bootstrap: str, topic: str, *, committed: bool = True) -> list[Any]:
    return await read_topic(bootstrap, topic, committed=committed, timeout=60)
