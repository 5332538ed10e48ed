"""Use cases: one command, one transaction."""
