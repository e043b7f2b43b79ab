"""Documents: PDFs on the agenda, stored once by content, rendered to page images for tablets."""
import os

from flask import Blueprint, Flask

bp = Blueprint("documents", __name__)


def init_app(app: Flask) -> None:
    """Load the document tables, register the reader, page and API views and the `flask documents` CLI.

    `wsgi.py` starts the render pool when the server starts; a server run another way starts it with its first
    request (never for CLI commands, never in tests unless a test sets RENDER_WORKERS or calls
    app.documents.pool.start_pool).
    """
    from app.documents import cli, models, routes  # noqa: F401
    from app.documents.pool import configured_workers, start_pool

    app.register_blueprint(bp)
    # DAIS_X_ACCEL=1: nginx sends the page files itself (docs/deploy.md).
    app.config.setdefault("X_ACCEL", os.environ.get("DAIS_X_ACCEL", "0") == "1")
    app.cli.add_command(cli.documents_cli)

    if configured_workers(app) > 0:
        @app.before_request
        def _start_render_pool() -> None:
            if "dais_render_pool" not in app.extensions:
                start_pool(app)
