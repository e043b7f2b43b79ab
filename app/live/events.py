"""Socket.IO handlers of the live room (thin: who is asking, validate, call the service, broadcast)."""
from __future__ import annotations

from flask_login import current_user
from flask_socketio import ConnectionRefusedError, join_room

from app.extensions import socketio
from app.live.rooms import user_room


@socketio.on("connect")
def on_connect(auth=None):
    """Any client: refused unless signed in; joins the room of all this user's devices."""
    if not current_user.is_authenticated:
        raise ConnectionRefusedError("Sign in first: scan your badge or sign in with your password.")
    join_room(user_room(current_user.id))
