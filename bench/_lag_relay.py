"""Helper process for ``relay_lag.py --trace`` (not a benchmark): the relay entrypoint
(``python -m assessment.entrypoints.relay``, unchanged), with the wall-clock start and end of
each step it takes written to ``TRACE`` at exit: ``stage start_s end_s count``.

Steps: ``relay.read`` (the source's read of one batch: seal + convert, in its thread),
``relay.seal`` (inside it), ``relay.publish`` (one Kafka transaction), ``relay.wake`` (a
NOTIFY handed to the relay). Works with an older tree on ``PYTHONPATH`` too.

    python bench/_lag_relay.py TRACE
"""

from __future__ import annotations

import atexit
import functools
import sys
import time
from pathlib import Path
from typing import Any

from assessment.adapters import relay as source_module
from assessment.adapters import sealer as sealer_module
from assessment.entrypoints import relay as entrypoint
from shared import relay as relay_module

ROWS: list[tuple[str, float, float, int]] = []


def _timed(stage: str, func: Any, count: Any) -> Any:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        t0 = time.time()
        result = func(*args, **kwargs)
        ROWS.append((stage, t0, time.time(), count(result)))
        return result

    return wrapper


def _timed_async(stage: str, func: Any) -> Any:
    @functools.wraps(func)
    async def wrapper(self: Any, batch: Any) -> None:
        t0 = time.time()
        await func(self, batch)
        ROWS.append((stage, t0, time.time(), len(batch.envelopes)))

    return wrapper


def _woken(func: Any) -> Any:
    @functools.wraps(func)
    def wrapper(self: Any) -> None:
        ROWS.append(("relay.wake", time.time(), time.time(), 0))
        func(self)

    return wrapper


def main() -> None:
    out = Path(sys.argv[1])
    source_module.ApplicationSource.read_batch = _timed(  # type: ignore[method-assign]
        "relay.read",
        source_module.ApplicationSource.read_batch,
        lambda batch: len(batch.envelopes),
    )
    sealer_module.Sealer.seal = _timed(  # type: ignore[method-assign]
        "relay.seal", sealer_module.Sealer.seal, lambda n: int(n)
    )
    relay_module.KafkaTarget.publish = _timed_async(  # type: ignore[method-assign]
        "relay.publish", relay_module.KafkaTarget.publish
    )
    relay_module.Relay.wake = _woken(relay_module.Relay.wake)  # type: ignore[method-assign]

    def dump() -> None:
        with out.open("w") as f:
            for stage, start, end, count in ROWS:
                f.write(f"{stage} {start:.6f} {end:.6f} {count}\n")

    atexit.register(dump)
    sys.argv = [sys.argv[0]]
    entrypoint.main()


if __name__ == "__main__":
    main()
