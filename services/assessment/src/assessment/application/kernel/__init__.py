"""Shared kernel of the application layer: the command context, commands as data (the frozen
``Command`` base, its ``Route``, the catalogue that discovers each context's handlers and
queries), the one executor (authorize, idempotency, optimistic retry, one transaction), the
permission rules, public views and the audit queries. It imports no context."""

from __future__ import annotations
