"""The writer's PostgreSQL connection over libpq's pipeline (app/voting/pg_pipeline.py): values read as psycopg
reads them, a failed statement raising psycopg's error for its SQLSTATE with the connection usable after a
rollback, and a vote's row held by a close making the batch wait for it instead of failing."""
from __future__ import annotations

import threading
import time
from datetime import datetime

import psycopg
import pytest
import sqlalchemy as sa
from psycopg import errors as pg_errors

from app.extensions import db
from app.voting import service
from app.voting.batch_sql import BatchSQL
from app.voting.models import VoteParticipation
from app.voting.pg_pipeline import PipelineConnection
from tests.voting.conftest import build_room
from tests.voting.test_batch import _counters, _open

pytestmark = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)


@pytest.fixture
def pipe(ctx):
    """The writer's connection, set up as its child process sets it up."""
    raw, driver = BatchSQL.writer_connection(db.engine)
    assert isinstance(driver, PipelineConnection)
    yield driver
    raw.close()


def _psycopg(sql: str, params: dict) -> tuple:
    """The same statement through psycopg itself, for comparison."""
    url = db.engine.url.render_as_string(hide_password=False).replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url) as conn:
        return conn.execute(sql, params).fetchone()


def test_values_go_and_come_back_as_psycopg_sends_and_reads_them(pipe):
    sql = ("SELECT %(n)s::int, %(big)s::bigint, %(yes)s::bool, %(no)s::bool, %(name)s::text, %(none)s::int, "
           "cardinality(%(ids)s::int[]), %(at)s::timestamp = '2026-12-06 09:30:15.25', "
           "(SELECT sum(x) FROM unnest(%(ids)s::int[]) x), (SELECT count(*) FROM unnest(%(ids)s::int[]))")
    params = {"n": -7, "big": 2**40, "yes": True, "no": False, "name": "Nguyễn Thị \"Mai\" O'Neil; --",
              "none": None, "ids": [3, 1, 2], "at": datetime(2026, 12, 6, 9, 30, 15, 250000)}
    cursor = pipe.cursor()
    with pipe.pipeline():
        cursor.execute(sql, params)
        row = cursor.fetchone()
        assert cursor.fetchone() is None
    pipe.rollback()
    assert row == _psycopg(sql, params) == (-7, 2**40, True, False, params["name"], None, 3, True, 6, 3)
    with pytest.raises(TypeError, match="lists of integers"):
        pipe.cursor().execute("SELECT %(ids)s::text[]", {"ids": ["a"]})
    pipe.rollback()


def test_a_connection_in_another_client_encoding_is_switched_to_utf8(ctx):
    raw = db.engine.raw_connection()
    try:
        raw.dbapi_connection.execute("SET client_encoding TO 'LATIN1'")
        raw.dbapi_connection.commit()
        latin = PipelineConnection(raw.dbapi_connection.pgconn)
        assert latin.cursor().execute("SELECT %(name)s::text", {"name": "Nguyễn"}).fetchall() == [("Nguyễn",)]
        latin.rollback()
    finally:
        raw.invalidate()


def test_a_failed_statement_raises_psycopgs_error_and_the_connection_goes_on_after_a_rollback(pipe):
    cursor = pipe.cursor()
    with pipe.pipeline():
        cursor.execute("CREATE TEMP TABLE t (id int PRIMARY KEY, note text)", {})
        cursor.execute("INSERT INTO t VALUES (%(id)s, %(note)s)", {"id": 1, "note": "first"})
    pipe.commit()
    with pytest.raises(pg_errors.UniqueViolation):  # an IntegrityError, as store_ballots expects
        with pipe.pipeline():
            cursor.execute("INSERT INTO t VALUES (%(id)s, %(note)s)", {"id": 2, "note": "second"})
            cursor.execute("INSERT INTO t VALUES (%(id)s, %(note)s)", {"id": 1, "note": "again"})
            pipe.commit()
    pipe.rollback()
    with pytest.raises(pg_errors.SyntaxError):  # a statement the server cannot prepare
        pipe.cursor().execute("SELEC %(id)s", {"id": 1}).fetchall()
    pipe.rollback()
    rows = pipe.cursor().execute("SELECT id, note FROM t ORDER BY id", {}).fetchall()
    pipe.commit()
    assert rows == [(1, "first")]  # the failed transaction left nothing behind; the connection still works
    assert pipe.cursor().execute("SELECT count(*) FROM t WHERE id = %(id)s", {"id": 1}).fetchall() == [(1,)]
    pipe.rollback()


def test_a_batch_that_meets_a_close_holding_the_votes_row_waits_for_it_and_is_counted(pipe, app):
    """The first try reads the vote's state with NOWAIT and fails on the lock (LockNotAvailable, as psycopg
    raises it); the batch is run again, patient, once the holder commits, and stored."""
    room = build_room("locked", (1, 2))
    vote_id = _open(room, secret=True)
    yes = service.get_vote(vote_id).options[0].id
    ballots = [service.prepare_ballot(vote_id, d, [yes]) for d in room.delegates]
    db.session.remove()
    url = db.engine.url.render_as_string(hide_password=False).replace("postgresql+psycopg://", "postgresql://")
    holder = psycopg.connect(url)
    holder.execute("SELECT id FROM votes WHERE id = %s FOR UPDATE", (vote_id,))
    released = threading.Event()

    def release() -> None:
        time.sleep(0.3)
        holder.commit()
        released.set()

    sql = BatchSQL.of(db.engine.dialect)
    with pytest.raises(pg_errors.LockNotAvailable) as refused:
        with pipe.pipeline():
            pipe.cursor().execute(sql.states_nowait, {"votes": [vote_id]}).fetchall()
    assert sql.lock_busy(refused.value)
    pipe.rollback()
    threading.Thread(target=release).start()
    outcomes = service.store_ballots(ballots, pipe)
    assert released.is_set()  # it waited for the holder
    holder.close()
    assert [type(o).__name__ for o in outcomes] == ["Receipt", "Receipt"]
    assert _counters(vote_id)["For"] == (2, 3)
    assert db.session.scalar(sa.select(sa.func.count(VoteParticipation.id))) == 2
