"""Dais: a paperless meeting room. create_app() builds the Flask app from named steps."""
from __future__ import annotations

import importlib
import logging
import sqlite3
from typing import Any, Mapping

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from app import checkpoint
from app.config import Config
from app.extensions import babel, csrf, db, limiter, login, migrate, socketio, talisman
from app.headers import talisman_options

# Every domain package; each may define init_app(app) to register its blueprint, events and commands.
DOMAINS = ("audit", "auth", "meetings", "documents", "live", "voting", "attendance", "speakers", "annotations", "minutes")


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: configuration, extensions, domain packages, error pages, CLI."""
    app = Flask(__name__, instance_relative_config=False)
    from app.web import GuardedJSON

    app.json = GuardedJSON(app)
    load_config(app, config)
    from app.live.session import LiveSessionInterface

    app.session_interface = LiveSessionInterface()  # Socket.IO events do not decode the cookie again
    register_extensions(app)
    if app.config.get("PROXIES"):
        # outside Socket.IO's middleware (register_extensions put it in), so that sockets get the real address too
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXIES"], x_proto=app.config["PROXIES"])
    register_domains(app)
    register_errorhandlers(app)
    register_commands(app)
    configure_logger(app)
    return app


def load_config(app: Flask, overrides: Mapping[str, Any] | None) -> None:
    """Environment first, then explicit overrides (tests pass a mapping)."""
    app.config.from_object(Config())
    if overrides:
        app.config.update(overrides)
    app.config["DATA_DIR"].mkdir(parents=True, exist_ok=True)
    app.config["BABEL_DEFAULT_TIMEZONE"] = checked_timezone(app.config["TIMEZONE"])


def schema_behind(app: Flask) -> str | None:
    """A sentence when the database lacks migrations this code needs (a new server, or code upgraded before the
    database), else None: the server stops on it, instead of answering every page with a 500 and logging a
    traceback a second."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    import sqlalchemy as sa

    with app.app_context():
        script = ScriptDirectory.from_config(migrate.get_config())
        with db.engine.connect() as conn:
            tables = set(sa.inspect(conn).get_table_names())
            current = set(MigrationContext.configure(conn).get_current_heads())
        if "alembic_version" in tables:
            behind = not set(script.get_heads()) <= current
        else:   # made without Alembic (db.create_all, as tests do): every table of the models must be there
            behind = not set(db.metadata.tables) <= tables
    if not behind:
        return None
    return ("The database is not up to date with this version of Dais: run `flask db upgrade heads` (with the same "
            "DATABASE_URL and DAIS_DATA_DIR), then start the server again.")


def checked_timezone(name: str) -> str:
    """DAIS_TIMEZONE must name a time zone of the tz database; a wrong one stops the start with a sentence."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise RuntimeError(f"DAIS_TIMEZONE={name!r} is not a time zone; use a name such as Europe/Berlin or "
                           "Asia/Ho_Chi_Minh (the tz database), or UTC.") from None
    return name


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """SQLite: write-ahead log (readers never wait for the writer) and enforced foreign keys."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute(f"PRAGMA wal_autocheckpoint={int(checkpoint.autocheckpoint_pages)}")
        cursor.close()


def register_extensions(app: Flask) -> None:
    """Bind the unbound extensions to this app."""
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite"):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"timeout": 10}, **app.config["SQLALCHEMY_ENGINE_OPTIONS"]}
    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.config.get("MIGRATIONS_DIR") or _migrations_dir()))
    login.init_app(app)
    login.login_view = "auth.login_page"
    login.login_message = None
    login.session_protection = "basic"
    csrf.init_app(app)
    limiter.init_app(app)
    talisman.init_app(app, **talisman_options(app.config))
    from app.i18n import init_jinja, select_locale
    from app.web import SocketJSON, SocketPacket, answer_unjoined_namespaces

    babel.init_app(app, locale_selector=select_locale)
    init_jinja(app)
    # The extension object is shared by every app of the process (the tests make many): a message queue one app
    # had must not stay with the next, which Flask-SocketIO keeps when the next has none.
    socketio.server_options.pop("client_manager", None)
    socketio.init_app(
        app,
        async_mode=app.config.get("SOCKETIO_ASYNC_MODE") or None,
        message_queue=app.config.get("MESSAGE_QUEUE_URL"),
        channel=app.config.get("MESSAGE_QUEUE_CHANNEL") or "flask-socketio",
        # Same origin only: Flask-SocketIO checks the Origin header against the Host when this is None.
        cors_allowed_origins=app.config.get("SOCKETIO_ALLOWED_ORIGINS"),
        max_http_buffer_size=1_000_000,
        json=SocketJSON,   # a malformed or too deeply nested payload is answered, not a logged crash
        serializer=SocketPacket,   # so is a packet python-socketio cannot dispatch (app/web.py)
        ping_interval=10,
        ping_timeout=20,
    )
    answer_unjoined_namespaces(socketio.server, app)
    app.wsgi_app = _without_websocket_compression(app.wsgi_app)


def _without_websocket_compression(wsgi_app: Any) -> Any:
    """Decline per-message compression on the live sockets: browsers offer it, the websocket library accepts it,
    and then every delta is compressed once per tablet. Deltas are a few hundred bytes, so it saves almost
    nothing on the wire, and measured with 500 tablets it cost 2.3x the memory per tablet (209 KB against
    89 KB) and about half again the time of a page turn (docs/benchmarks.md)."""

    def app(environ: dict, start_response: Any) -> Any:
        environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
        return wsgi_app(environ, start_response)

    return app


def _migrations_dir() -> str:
    from app.config import PROJECT_ROOT

    return str(PROJECT_ROOT / "migrations")


def register_domains(app: Flask) -> None:
    """Import every domain package (its models join the metadata) and let it register itself. First, `<int:...>`
    in a route matches only what an integer column holds (app/web.py: DatabaseInt): an id too large for
    PostgreSQL is a page that does not exist, not a database error."""
    from app.web import DatabaseInt

    app.url_map.converters["int"] = DatabaseInt
    for name in DOMAINS:
        module = importlib.import_module(f"app.{name}")
        init = getattr(module, "init_app", None)
        if init is not None:
            init(app)


def register_errorhandlers(app: Flask) -> None:
    """Domain errors and HTTP errors become a page (or JSON for the API) with a sentence, never a stack trace."""
    from app.web import refuse_non_text, register_error_pages

    register_error_pages(app)
    app.before_request(refuse_non_text)   # text no database keeps is refused before any view


def register_commands(app: Flask) -> None:
    """CLI commands: `flask agenda import`, `flask badges`, `flask users ...`."""
    from app.cli import register

    register(app)


def configure_logger(app: Flask) -> None:
    """Log to stderr at INFO; refusals of unauthorized actions are logged as warnings."""
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
