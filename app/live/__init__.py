"""Live (not built yet)."""
