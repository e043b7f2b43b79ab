"""The list of speakers: requests for the floor per agenda item, the floor and the speaking timer."""
from flask import Blueprint, Flask

bp = Blueprint("speakers", __name__)


def init_app(app: Flask) -> None:
    """Register the speakers views, socket events and the live snapshot provider."""
    from app.speakers import models, routes  # noqa: F401
    from app.speakers import events  # noqa: F401

    app.register_blueprint(bp)
