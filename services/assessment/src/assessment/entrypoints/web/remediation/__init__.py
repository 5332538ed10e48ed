"""Pages of the remediation context: none yet. Its forms post to page routes that call the same
commands (``application/remediation``) as the JSON API."""

from __future__ import annotations
