"""CCHC context (seed 004): administrative-reform (cải cách hành chính) scoring. Empty for
now; it will own the scoring sheets, criteria, self-scores and appraised scores.
"""

from __future__ import annotations
