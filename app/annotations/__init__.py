"""Annotations (not built yet)."""
