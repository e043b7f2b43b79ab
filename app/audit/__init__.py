"""Audit log: every change of consequence is recorded with its actor."""
from app.audit import models  # noqa: F401,E402


def init_app(app) -> None:
    """Register the audit log view."""
    from app.audit import routes

    app.register_blueprint(routes.bp)
