"""Minutes: the secretary's notes and decisions per item, the facts from the other domains, exports, approval and signature."""
from __future__ import annotations

import os

from flask import Blueprint, Flask

bp = Blueprint("minutes", __name__)


def init_app(app: Flask) -> None:
    """Register the minutes views, the `flask minutes` commands, the signing settings and the template filters."""
    from app.minutes import cli, export, models, routes, wording  # noqa: F401

    for key in ("SIGNING_CERT", "SIGNING_KEY", "SIGNING_KEY_PASSWORD"):
        app.config.setdefault(key, os.environ.get(f"DAIS_{key}") or None)
    app.jinja_env.filters.update(minutes_datetime=export.minutes_datetime, minutes_moment=export.minutes_moment,
                                 minutes_time=export.minutes_time,
                                 duration=export.duration, plain_text=export.plain_text)
    app.jinja_env.filters["presence_counts"] = export.presence_counts
    app.jinja_env.globals.update(presence_label=export.presence_label, vote_words=wording.vote_words,
                                 speech_kind=wording.speech_kind, quorum_rule_words=wording.quorum_rule_words,
                                 proxy_words=wording.proxy_words)
    app.register_blueprint(bp)
    app.cli.add_command(cli.minutes_cli)
