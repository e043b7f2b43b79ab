"""Meetings: the agenda, the roster, badges and agenda packs."""
from flask import Blueprint, Flask

bp = Blueprint("meetings", __name__)


def init_app(app: Flask) -> None:
    """Register the meeting views."""
    from app.meetings import models, routes  # noqa: F401

    app.register_blueprint(bp)
