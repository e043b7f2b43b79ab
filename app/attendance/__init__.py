"""Attendance (not built yet)."""
