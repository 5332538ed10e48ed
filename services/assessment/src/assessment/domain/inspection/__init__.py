"""Inspection context (seed 003): inspections of public-service work. Empty for now;
it will own inspection plans, findings and conclusions.
"""

from __future__ import annotations
