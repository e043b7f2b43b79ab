"""Voting (not built yet)."""
