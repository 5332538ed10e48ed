"""Reporting service: read models, queries and public pages."""
