"""Voting: named and secret votes, elections, proxies; the tally and the majority rules."""
from flask import Blueprint, Flask

bp = Blueprint("voting", __name__)


def init_app(app: Flask) -> None:
    """Register the vote views, socket events, the snapshot part and the timer that closes votes."""
    from app.voting import events, models, routes  # noqa: F401
    from app.voting import live

    from app.voting.i18n import vote_strings

    app.register_blueprint(bp)
    app.jinja_env.globals["vote_strings"] = vote_strings
    live.register()
    if app.config.get("SOCKETIO_ASYNC_MODE") in ("gevent", "eventlet") or app.config.get("VOTING_TICKER"):
        live.start_ticker(app)
