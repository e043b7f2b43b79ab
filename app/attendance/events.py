"""Attendance in the live room: the snapshot part (socket events are added here as the live layer grows)."""
from __future__ import annotations

from app.attendance import live

live.register()
