"""Individual context (seed 002 and the decrees): ratings of officials. Empty for now;
it will own the rating aggregates of persons, their periods and levels.
"""

from __future__ import annotations
