"""Inspection context (seed 003): inspections of public-service work. Empty for now. It will
own the inspection commands and handlers (plans, findings, conclusions), its queries and its
permission rows, and expose ``CONTEXT`` (see docs/adr/0002-contexts-and-commands.md).
"""

from __future__ import annotations
