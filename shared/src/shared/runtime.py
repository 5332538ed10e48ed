"""Process-wide runtime settings of a server, applied once its start-up is done.

``settle_heap`` is called at the end of each service's lifespan start-up (the assessment API
and portal, reporting, ballot, when they own their application; ``congvu run``; the relay and
the reporting consumer), after the application, its caches and its routes exist:

1. ``gc.collect()`` then ``gc.freeze()``: everything start-up built moves to the permanent
   generation, so no later collection walks it again (frozen objects are still freed by
   reference counting; a cycle among them would never be collected, and at that moment only
   objects that live as long as the process are there);
2. young objects are collected every ``gen0_threshold`` allocations instead of 700, and the
   older generations after 20 collections of the younger instead of 10, so few objects are
   promoted and a full collection is rare. Garbage without cycles is freed at once by
   reference counting either way; cycles wait at most one young collection.

``CONGVU_GC_TUNE=false`` leaves the interpreter's defaults (the benchmarks' baseline).
"""

from __future__ import annotations

import gc
import logging

from shared.settings import GcSettings

log = logging.getLogger("congvu.runtime")


def settle_heap(settings: GcSettings | None = None) -> bool:
    """Freeze the start-up heap and set the collector's thresholds; False when turned off."""
    settings = settings or GcSettings()
    if not settings.tune:
        return False
    gc.collect()
    gc.freeze()
    gc.set_threshold(settings.gen0_threshold, settings.gen1_threshold, settings.gen2_threshold)
    log.debug(
        "heap settled: %d objects frozen, thresholds %s", gc.get_freeze_count(), gc.get_threshold()
    )
    return True
