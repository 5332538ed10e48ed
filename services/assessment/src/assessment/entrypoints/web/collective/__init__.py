"""Pages of the collective context: none yet. Its forms post to page routes that call the same
commands (``application/collective``) as the JSON API."""

from __future__ import annotations
