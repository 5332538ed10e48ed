"""Public-service inspection of heads and deputies (seed 003, DOMAIN.md §6).

Pure domain: the inspection aggregate, work items and their derived figures, the document
register's row validation and the verifiable random sampling of case files (SAMPLING.md).
"""

from __future__ import annotations
