"""The one place the documents domain emits to Socket.IO rooms (room names from app.live.rooms)."""
from __future__ import annotations

from app.extensions import socketio
from app.live.rooms import staff_room

PROGRESS_EVENT = "document.progress"


def push_progress(meeting_id: int, payload: dict) -> None:
    """`document.progress` to the chair, secretary and admins of the meeting."""
    socketio.emit(PROGRESS_EVENT, payload, to=staff_room(meeting_id))
