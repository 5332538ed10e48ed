"""Pages of the individual context: none yet. Its forms post to page routes that call the same
commands (``application/individual``) as the JSON API."""

from __future__ import annotations
