"""Remediation plans (DOMAIN.md §7, seed 002): every shortcoming found, followed to its end.

Pure domain: the plan aggregate and its values. A plan starts from any finding — an inspection
finding, a collective evaluation's limitation, a CCHC appraisal gap, a vote's low-confidence
flag — and ends verified by whoever raised it.
"""

from __future__ import annotations
