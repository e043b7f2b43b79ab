"""The session of Socket.IO events, read from the cookie once per connection instead of once per event.

Flask-SocketIO pushes a request context for every event of a connection, and Flask opens the session when a
request context is pushed: the signed cookie is verified and decoded again (≈ 55 µs, a twentieth of what a
ballot costs the server). Flask-SocketIO then puts its own copy of the session in place, made at the
connection's first event and kept in the connection's environ (`saved_session`; `manage_session=True`, the
default). So for every later event the cookie's session is thrown away unread: this interface returns an
empty one instead. HTTP requests, and each connection's first event, read the cookie as before.
"""
from __future__ import annotations

from typing import Any

from flask.sessions import SecureCookieSession, SecureCookieSessionInterface

SOCKETIO_SESSION_KEY = "saved_session"  # where Flask-SocketIO keeps a connection's own session


class LiveSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, not opened again for events of a Socket.IO connection that has its copy."""

    def open_session(self, app: Any, request: Any) -> SecureCookieSession | None:
        if SOCKETIO_SESSION_KEY in request.environ:
            return self.session_class()
        return super().open_session(app, request)
