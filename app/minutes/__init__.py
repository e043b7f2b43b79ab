"""Minutes (not built yet)."""
