"""The live room: Socket.IO connections, rooms, the live state of a meeting, and broadcasts."""
from flask import Blueprint, Flask

bp = Blueprint("live", __name__)


def init_app(app: Flask) -> None:
    """Register the live models, socket handlers, pages and the per-process runtime."""
    from app.live import events, models, routes  # noqa: F401
    from app.live.runtime import Runtime

    app.extensions["dais_live"] = Runtime(app)
    app.register_blueprint(bp)
