"""Routes of the cchc context: none yet. When the context defines ``CONTEXT``, this module
defines ``router = command_router(CONTEXT)`` plus its GETs (see ``registry.py``)."""

from __future__ import annotations
