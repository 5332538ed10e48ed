"""Use cases: one command, one transaction. One package per context (``contexts.NAMES``) over
a shared ``kernel``; ``service.AssessmentApplication`` runs them all on one event store."""

from __future__ import annotations
