"""Shared kernel of the assessment domain: the tenant aggregate base (tenant, actor and
business time on every event), the domain errors with their stable codes, and the values every
context speaks (the four levels, Vietnam time, evidence files). Contexts import this and nothing
of each other.
"""

from __future__ import annotations
