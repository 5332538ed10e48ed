"""Pages of the inspection context: none yet. Its forms post to page routes that call the same
commands (``application/inspection``) as the JSON API."""

from __future__ import annotations
