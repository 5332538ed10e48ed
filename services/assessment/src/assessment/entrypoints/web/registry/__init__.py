"""Pages of the registry context: none yet. Its forms post to page routes that call the same
commands (``application/registry``) as the JSON API."""

from __future__ import annotations
