"""Collective context (seed 001): the yearly cycle of a tenant (plan, content groups,
deadlines, enrolment) and each enrolled unit's assessment through its steps, from the sector
review to recognition and publication, with reopenings and perfunctory flags.
"""

from __future__ import annotations
