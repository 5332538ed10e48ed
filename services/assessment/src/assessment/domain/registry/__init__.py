"""Registry context: units (kinds, parents, validity, lineage of the 2025 reform: renamed,
merged, split, dissolved) and assignments (sector management, People's Committee oversight),
by decision and validity dates.
"""

from __future__ import annotations
