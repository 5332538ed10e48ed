"""Pure domain: one package per context (registry, collective, individual, cchc, inspection,
remediation) over a shared kernel. Imports no framework."""

from __future__ import annotations
