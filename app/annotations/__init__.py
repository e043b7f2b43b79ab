"""Annotations: private highlights, ink and notes on document pages; sharing; the annotated copy."""
from flask import Blueprint, Flask

bp = Blueprint("annotations", __name__)


def init_app(app: Flask) -> None:
    """Register the annotation tables, views, socket events and the `flask annotations` command."""
    from app.annotations import cli, events, models, routes  # noqa: F401

    app.register_blueprint(bp)
    app.cli.add_command(cli.annotations_cli)
