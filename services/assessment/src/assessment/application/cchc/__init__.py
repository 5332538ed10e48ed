"""CCHC context (seed 004): administrative-reform scoring. Empty for now. It will own the
scoring commands and handlers (criteria, self-scores, appraisal), its queries and its
permission rows, and expose ``CONTEXT`` (see docs/adr/0002-contexts-and-commands.md).
"""

from __future__ import annotations
