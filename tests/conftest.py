"""Fixtures: every app test runs on SQLite and on PostgreSQL (a fresh database per run, dropped afterwards)."""
from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path

import pytest

# Keep the environment of the machine out of the tests: a throwaway data dir and key.
_SESSION_DIR = Path(tempfile.mkdtemp(prefix="dais-tests-"))
os.environ["DAIS_DATA_DIR"] = str(_SESSION_DIR / "env-data")
os.environ["SECRET_KEY"] = "tests-" + uuid.uuid4().hex
os.environ.pop("DATABASE_URL", None)
os.environ.pop("MESSAGE_QUEUE_URL", None)

import sqlalchemy as sa  # noqa: E402

from app import create_app  # noqa: E402
from app.config import PROJECT_ROOT, normalise_db_url  # noqa: E402
from app.extensions import db  # noqa: E402

SHARED_PDFS = PROJECT_ROOT.parent / "shared" / "pdfs"
PG_ADMIN_URL = os.environ.get("TEST_DATABASE_URL") or "postgresql://postgres@127.0.0.1:5432/postgres"


def _pg_connect(url: str):
    import psycopg

    return psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True, connect_timeout=3)


@pytest.fixture(scope="session")
def pg_url():
    """A fresh PostgreSQL database for this run, migrated to the newest schema; None if no server answers."""
    try:
        admin = _pg_connect(PG_ADMIN_URL)
    except Exception:
        yield None
        return
    name = f"dais_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    url = normalise_db_url(f"{base}/{name}")
    try:
        migrate_to_head(url, _SESSION_DIR / "pg-migrate")
        yield url
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def migrate_to_head(url: str, data_dir: Path) -> None:
    """Run every Alembic migration (all heads) against an empty database."""
    from flask_migrate import upgrade

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "DATA_DIR": data_dir, "TESTING": True})
    with app.app_context():
        upgrade(revision="heads")
        db.engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """The database of one test: a new SQLite file, or the run's PostgreSQL database emptied."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'dais.sqlite3'}"
    url = request.getfixturevalue("pg_url")
    if url is None:
        pytest.skip(f"PostgreSQL is not reachable at {PG_ADMIN_URL}; set TEST_DATABASE_URL")
    return url


def empty_tables(app) -> None:
    """Delete every row (PostgreSQL tests share one migrated database)."""
    with app.app_context():
        # DELETE, children first: on small tables it is ~30x faster than TRUNCATE (which rewrites files).
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
            for hook in app.extensions.get("dais_truncate_hooks", []):
                hook(conn)


@pytest.fixture
def app(database_url, tmp_path):
    """The app on one database, with its own data dir."""
    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "DATA_DIR": tmp_path / "data",
        "WTF_CSRF_ENABLED": False,
        "LOGIN_RATE_LIMIT": "1000 per minute",
        "SERVER_NAME": "dais.test",
        "PUBLIC_URL": "http://dais.test",
    })
    (tmp_path / "data").mkdir(exist_ok=True)
    with app.app_context():
        if database_url.startswith("sqlite"):
            db.create_all()
    if not database_url.startswith("sqlite"):
        empty_tables(app)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    """A browser-like HTTP client."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """The `flask` CLI."""
    return app.test_cli_runner()


@pytest.fixture
def ctx(app):
    """An app context for calling services directly."""
    with app.app_context():
        yield app


class AuthActions:
    """Sign in and out as a user would."""

    def __init__(self, client):
        self._client = client

    def login(self, username: str, password: str = "pw-secret-1"):
        return self._client.post("/login", data={"username": username, "password": password})

    def badge(self, token: str):
        return self._client.get(f"/t/{token}")

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client):
    """Sign-in helper for the client."""
    return AuthActions(client)


@pytest.fixture(scope="session")
def shared_pdfs() -> Path:
    """The real-world PDFs in ../shared/pdfs (tests that need them skip, saying why, when absent)."""
    if not SHARED_PDFS.is_dir():
        pytest.skip(f"{SHARED_PDFS} is absent (a checkout outside the workplace); the real-world PDF tests need it")
    return SHARED_PDFS
