"""Configuration from the environment, with safe defaults."""
from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def data_dir_from_env() -> Path:
    """The data directory: database, uploaded originals, rendered pages, keys."""
    raw = os.environ.get("DAIS_DATA_DIR", "instance")
    path = Path(raw)
    if not path.is_absolute():
        path = PROJECT_ROOT / path
    return path


def load_or_create_secret_key(data_dir: Path) -> str:
    """SECRET_KEY from the environment, else one generated once and kept in the data dir."""
    env = os.environ.get("SECRET_KEY")
    if env:
        return env
    data_dir.mkdir(parents=True, exist_ok=True)
    key_file = data_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_hex(32)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


def env_int(name: str, default: int, minimum: int = 0) -> int:
    """A whole-number setting from the environment; a wrong one stops the start with a sentence saying which."""
    raw = (os.environ.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or value < minimum:
        raise RuntimeError(f"{name}={raw!r} is not a whole number of {minimum} or more (docs/deploy.md lists the "
                           f"settings); leave it unset for the default, {default}.")
    return value


def checked_rate(value: str) -> str:
    """DAIS_LOGIN_RATE_LIMIT must be a rate the limiter reads ("10 per minute"): a wrong one switched the limit off."""
    from limits import parse_many

    try:
        parse_many(value)
    except ValueError:
        raise RuntimeError(f"DAIS_LOGIN_RATE_LIMIT={value!r} is not a rate; write it as “10 per minute” or "
                           "“30 per hour”.") from None
    return value


class Config:
    """Settings read from the environment when the app is created."""

    def __init__(self) -> None:
        self.DATA_DIR = data_dir_from_env()
        self.SECRET_KEY = load_or_create_secret_key(self.DATA_DIR)
        self.SQLALCHEMY_DATABASE_URI = normalise_db_url(
            os.environ.get("DATABASE_URL") or f"sqlite:///{self.DATA_DIR / 'dais.sqlite3'}"
        )
        self.MESSAGE_QUEUE_URL = os.environ.get("MESSAGE_QUEUE_URL") or None
        # Pub/sub channel of the message queue: processes of one deployment share it (Redis channels ignore the db number).
        self.MESSAGE_QUEUE_CHANNEL = os.environ.get("MESSAGE_QUEUE_CHANNEL") or "flask-socketio"
        # The server's async mode (gevent by default; wsgi.py monkey-patches for it). The app itself runs
        # unpatched threading mode unless wsgi.py passes SOCKETIO_ASYNC_MODE (tests and the CLI stay unpatched).
        self.ASYNC_MODE = os.environ.get("DAIS_ASYNC_MODE", "gevent")
        self.SOCKETIO_ASYNC_MODE = "threading"
        # Where ballot batches are stored: "process" (the writer's own process) or "inline"; unset: the
        # writer's process under gevent/eventlet, inline under threading (app/voting/writer.py).
        self.BALLOT_WRITER = os.environ.get("DAIS_BALLOT_WRITER") or None
        # How many writers store batches side by side (each its own process and connection).
        self.BALLOT_WRITERS = env_int("DAIS_BALLOT_WRITERS", 1, minimum=1)
        self.HOST = os.environ.get("HOST", "127.0.0.1")
        self.PORT = env_int("PORT", 5000, minimum=1)
        # Public base URL printed on badges and QR codes; defaults to http://HOST:PORT.
        self.PUBLIC_URL = os.environ.get("DAIS_PUBLIC_URL") or None
        self.MAX_UPLOAD_MB = env_int("DAIS_MAX_UPLOAD_MB", 200, minimum=1)
        self.MAX_PDF_PAGES = env_int("DAIS_MAX_PDF_PAGES", 2000, minimum=1)
        self.MAX_CONTENT_LENGTH = self.MAX_UPLOAD_MB * 1024 * 1024 + 64 * 1024
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = os.environ.get("DAIS_SECURE_COOKIES", "0") == "1"
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.REMEMBER_COOKIE_SAMESITE = "Lax"
        self.PERMANENT_SESSION_LIFETIME = timedelta(hours=16)
        self.SIGNIN_LINK_MINUTES = env_int("DAIS_SIGNIN_LINK_MINUTES", 15)
        self.LOGIN_RATE_LIMIT = checked_rate(os.environ.get("DAIS_LOGIN_RATE_LIMIT") or "10 per minute")
        # Failed sign-ins are counted per address; several processes share one count through Redis (the message
        # queue's server, when there is one), else each process would allow the limit once more.
        queue = self.MESSAGE_QUEUE_URL or ""
        self.RATELIMIT_STORAGE_URI = os.environ.get("DAIS_RATELIMIT_STORAGE_URI") or (
            queue if queue.startswith(("redis://", "rediss://")) else "memory://")
        self.RATELIMIT_KEY_PREFIX = f"dais:{self.MESSAGE_QUEUE_CHANNEL}"   # one count per deployment sharing Redis
        self.RATELIMIT_SWALLOW_ERRORS = True   # Redis gone for a moment: sign-ins go on (logged), uncounted
        # How many proxies (nginx) stand in front of the server: their X-Forwarded-For and -Proto are then believed,
        # so that every tablet has its own address (for the sign-in limit and the logs). 0: none are believed (a
        # client could otherwise claim any address).
        self.PROXIES = env_int("DAIS_PROXIES", 0)
        self.RATELIMIT_HEADERS_ENABLED = True
        self.SQLALCHEMY_ENGINE_OPTIONS: dict = {}
        self.WTF_CSRF_TIME_LIMIT = None  # a chair's console stays open all day
        self.BABEL_DEFAULT_LOCALE = "en"
        # The meeting's time zone (an IANA name): moments stored in UTC (arrivals, votes, speeches, approvals,
        # the audit log) are shown in it; times people enter (a meeting's start) are kept and shown as entered.
        self.TIMEZONE = os.environ.get("DAIS_TIMEZONE", "UTC")
        self.LANGUAGES = ["en", "vi"]
        self.TESTING = False


def normalise_db_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL whatever spelling the URL uses."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url
