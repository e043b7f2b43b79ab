"""Migrations: from an empty database to the newest schema, and the schema matches the models."""
import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from app import create_app
from app.extensions import db
from tests.conftest import PG_ADMIN_URL, _pg_connect


def _check(url, tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "DATA_DIR": tmp_path, "TESTING": True})
    with app.app_context():
        upgrade(revision="heads")
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
            tables = set(sa.inspect(conn).get_table_names())
        assert diff == [], f"models and migrations disagree: {diff}"
        assert {"users", "meetings", "memberships", "agenda_items", "documents", "signin_tokens", "audit_log"} <= tables
        downgrade(revision="base")
        with db.engine.connect() as conn:
            assert set(sa.inspect(conn).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


def test_upgrade_from_empty_sqlite(tmp_path):
    _check(f"sqlite:///{tmp_path / 'm.sqlite3'}", tmp_path)


def test_upgrade_from_empty_postgresql(tmp_path):
    try:
        admin = _pg_connect(PG_ADMIN_URL)
    except Exception:
        pytest.skip(f"PostgreSQL is not reachable at {PG_ADMIN_URL}")
    name = f"dais_mig_{uuid.uuid4().hex[:8]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        _check(PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + f"/{name}", tmp_path)
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
