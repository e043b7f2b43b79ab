"""SQLite's write-ahead log is copied back by a native thread of the server, not inside a commit."""
from __future__ import annotations

import shutil
import sqlite3
import time

from app import checkpoint


def _wal_db(path):
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA wal_autocheckpoint=0")  # nothing copies back by itself
    conn.execute("CREATE TABLE t (x TEXT)")
    for n in range(200):
        conn.execute("INSERT INTO t VALUES (?)", (f"row {n} " + "x" * 500,))
    return conn


def test_one_checkpoint_copies_every_committed_page_back(tmp_path):
    conn = _wal_db(tmp_path / "db.sqlite3")
    busy, in_log, copied = checkpoint.Checkpointer(tmp_path / "db.sqlite3").run_once()
    assert busy == 0 and in_log > 0 and copied == in_log
    # the rows are in the database file itself: a copy of the file without its log holds every one
    shutil.copy(tmp_path / "db.sqlite3", tmp_path / "copy.sqlite3")
    conn.close()
    copy = sqlite3.connect(tmp_path / "copy.sqlite3")
    assert copy.execute("SELECT count(*) FROM t").fetchone() == (200,)
    copy.close()


def test_started_checkpointer_runs_in_the_background_and_raises_the_threshold(tmp_path, monkeypatch):
    monkeypatch.setattr(checkpoint, "autocheckpoint_pages", checkpoint.DEFAULT_PAGES)
    monkeypatch.setattr(checkpoint, "INTERVAL", 0.05)
    monkeypatch.setattr(checkpoint, "active", None)   # this process's checkpointer only for this test
    conn = _wal_db(tmp_path / "db.sqlite3")
    started = checkpoint.start(tmp_path / "db.sqlite3", "threading")
    assert checkpoint.active is started
    try:
        assert checkpoint.autocheckpoint_pages == checkpoint.BACKGROUND_PAGES
        deadline = time.monotonic() + 10
        while started.runs < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert started.runs >= 2
        # a row committed now reaches the database file itself within a few intervals (nothing else
        # checkpoints here): a copy of the file without its log holds it
        conn.execute("INSERT INTO t VALUES ('one more')")
        found = 0
        while not found and time.monotonic() < deadline:
            time.sleep(0.1)
            shutil.copy(tmp_path / "db.sqlite3", tmp_path / "copy.sqlite3")
            copy = sqlite3.connect(tmp_path / "copy.sqlite3")
            try:
                found = copy.execute("SELECT count(*) FROM t WHERE x = 'one more'").fetchone()[0]
            except sqlite3.OperationalError:  # the table itself is still only in the log
                found = 0
            copy.close()
        assert found == 1
    finally:
        started.stop()
        conn.close()


def test_eventlet_keeps_sqlites_own_checkpoints(tmp_path, monkeypatch):
    monkeypatch.setattr(checkpoint, "autocheckpoint_pages", checkpoint.DEFAULT_PAGES)
    assert checkpoint.start(tmp_path / "db.sqlite3", "eventlet") is None
    assert checkpoint.autocheckpoint_pages == checkpoint.DEFAULT_PAGES


def test_sqlite_connections_of_the_app_get_the_threshold(tmp_path, monkeypatch):
    from app import create_app
    from app.extensions import db

    monkeypatch.setattr(checkpoint, "autocheckpoint_pages", 12345)
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'dais.sqlite3'}", "DATA_DIR": tmp_path / "data",
                      "TESTING": True})
    with app.app_context():
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 12345
        db.engine.dispose()


def test_asked_to_empty_the_log_the_checkpointer_does_it_once_no_reader_holds_it(tmp_path, monkeypatch):
    """After a secret vote the log is emptied (app.voting.service.forget_ballot_history): by the server's own
    checkpoint thread, which retries while a reader holds the log and never makes the event loop wait."""
    monkeypatch.setattr(checkpoint, "_truncate_wanted", False)
    path = tmp_path / "db.sqlite3"
    conn = _wal_db(path)
    wal = tmp_path / "db.sqlite3-wal"
    reader = sqlite3.connect(path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM t").fetchone()   # a reader in the middle of its transaction
    checkpointer = checkpoint.Checkpointer(path)
    checkpoint.request_truncate()
    busy, _, _ = checkpointer.run_once()
    assert busy == 1 and wal.stat().st_size > 0 and checkpoint._truncate_wanted   # it waits for no one: next time
    reader.execute("COMMIT")
    busy, _, _ = checkpointer.run_once()
    assert busy == 0 and wal.stat().st_size == 0 and not checkpoint._truncate_wanted
    assert conn.execute("SELECT count(*) FROM t").fetchone() == (200,)
    reader.close()
    conn.close()
