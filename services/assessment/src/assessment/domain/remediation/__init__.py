"""Remediation context (seed 002): corrective actions that follow findings and ratings.
Empty for now; it will own remediation plans, their tasks and their follow-up.
"""

from __future__ import annotations
