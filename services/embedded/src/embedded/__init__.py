"""Embedded mode: every service in one process on SQLite and the in-process bus."""
