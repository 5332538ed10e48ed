"""Individual context (seed 002 and the decrees): ratings of officials. Empty for now. It
will own the rating commands and handlers of persons (self-rating, the head's rating, levels
per period), its queries and its permission rows, and expose ``CONTEXT`` (see
``registry/__init__.py`` and docs/adr/0002-contexts-and-commands.md).
"""

from __future__ import annotations
