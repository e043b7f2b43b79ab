"""Attendance: check-in at the door (badge scan, by hand, self check-in), presence and the quorum."""
from flask import Blueprint, Flask

bp = Blueprint("attendance", __name__)


def init_app(app: Flask) -> None:
    """Register the attendance views, socket events and the live snapshot provider."""
    from app.attendance import models, routes  # noqa: F401
    from app.attendance import events  # noqa: F401

    app.register_blueprint(bp)
