"""The app factory and configuration."""
from app import create_app
from app.config import Config, normalise_db_url


def test_config_defaults_are_safe(tmp_path, monkeypatch):
    monkeypatch.setenv("DAIS_DATA_DIR", str(tmp_path / "d"))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    for var in ("PORT", "HOST", "DATABASE_URL", "MESSAGE_QUEUE_URL"):
        monkeypatch.delenv(var, raising=False)
    cfg = Config()
    assert cfg.PORT == 5000 and cfg.HOST == "127.0.0.1"
    assert cfg.SQLALCHEMY_DATABASE_URI == f"sqlite:///{tmp_path / 'd' / 'dais.sqlite3'}"
    assert cfg.MESSAGE_QUEUE_URL is None
    assert cfg.SESSION_COOKIE_HTTPONLY and cfg.SESSION_COOKIE_SAMESITE == "Lax"
    # The secret key is generated once, kept private in the data dir, and reused.
    key_file = tmp_path / "d" / "secret_key"
    assert key_file.read_text() == cfg.SECRET_KEY and len(cfg.SECRET_KEY) == 64
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert Config().SECRET_KEY == cfg.SECRET_KEY


def test_config_reads_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("DAIS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("PORT", "6001")
    monkeypatch.setenv("HOST", "0.0.0.0")
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@db/dais")
    monkeypatch.setenv("MESSAGE_QUEUE_URL", "redis://127.0.0.1:6379/0")
    cfg = Config()
    assert (cfg.PORT, cfg.HOST) == (6001, "0.0.0.0")
    assert cfg.SQLALCHEMY_DATABASE_URI == "postgresql+psycopg://u@db/dais"
    assert cfg.MESSAGE_QUEUE_URL == "redis://127.0.0.1:6379/0"


def test_postgres_urls_use_psycopg3():
    assert normalise_db_url("postgres://x/y") == "postgresql+psycopg://x/y"
    assert normalise_db_url("sqlite:///a.db") == "sqlite:///a.db"


def test_factory_takes_a_mapping(tmp_path):
    app = create_app({"TESTING": True, "DATA_DIR": tmp_path, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})
    assert app.testing
    assert {"auth", "meetings"} <= set(app.blueprints)
    assert "agenda" in app.cli.commands and "badges" in app.cli.commands


def test_sqlite_runs_in_wal_mode_with_foreign_keys(app):
    import sqlalchemy as sa
    from app.extensions import db

    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    with app.app_context():
        with db.engine.connect() as conn:
            assert conn.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1

