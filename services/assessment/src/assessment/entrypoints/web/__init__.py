"""Pages of the assessment service (server-rendered, ARCHITECTURE §11), one package per context.
The layout, term list, formats, static assets, session and CSRF code come from ``shared.web``;
nothing here yet."""

from __future__ import annotations
