"""Ballot service: anonymous, verifiable evaluation and confidence votes."""
