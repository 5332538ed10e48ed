"""Remediation context (seed 002): corrective actions after findings and ratings. Empty for
now. It will own the remediation commands and handlers (plans, tasks, follow-up), its queries
and its permission rows, and expose ``CONTEXT`` (see docs/adr/0002-contexts-and-commands.md).
"""

from __future__ import annotations
