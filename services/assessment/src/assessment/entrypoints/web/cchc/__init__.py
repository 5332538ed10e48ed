"""Pages of the cchc context: none yet. Its forms post to page routes that call the same
commands (``application/cchc``) as the JSON API."""

from __future__ import annotations
