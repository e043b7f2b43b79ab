"""Accounts and sign-in: passwords for staff, QR badges and one-time links for delegates."""
from flask import Blueprint, Flask

bp = Blueprint("auth", __name__)


def init_app(app: Flask) -> None:
    """Register the sign-in views, the user loader and the admins' accounts page."""
    from app.auth import account_routes, models, routes  # noqa: F401

    app.register_blueprint(bp)
    app.jinja_env.globals["only_this_machine"] = routes.only_this_machine
