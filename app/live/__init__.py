"""The live room: Socket.IO connections, rooms, the live state of a meeting, and broadcasts."""
from flask import Flask


def init_app(app: Flask) -> None:
    """Register the socket handlers."""
    from app.live import events  # noqa: F401
