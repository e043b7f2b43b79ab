"""The ballot writer's PostgreSQL connection, driven through libpq's pipeline directly (`psycopg.pq`).

A one-ballot batch is two round trips to PostgreSQL (batch_sql.py). Through psycopg's Connection and Cursor in
pipeline mode it took 1.03 ms at the median, of which about 0.45 ms was psycopg's own Python around each
statement (adapting, its generators, its result bookkeeping); the same statements and round trips sent with
libpq's functions took 0.55 ms (measured on one machine, one ballot every 2 ms). At a vote's peak a batch's
time is also every later ballot's wait, so the writer's child process, which owns its connection and runs the
same few statements again and again, drives libpq itself:

- each statement text is prepared on the server the first time it is sent (in the same round trip) and sent by
  name afterwards;
- parameters go as text (ints, lists of ints as arrays, strings, datetimes in ISO form, None);
- result values come back as text and are converted by their column's type (integers, booleans; the rest as
  strings): the rows the batch code reads are the same as psycopg's.

The batch code (service._store_batch, BatchSQL.tick) is unchanged: PipelineConnection offers the part of the
DB-API it uses, with psycopg's pipeline semantics: statements are sent at once, and a fetch, a commit or a
rollback ends the round trip (a Sync) and reads every result sent so far. A statement that fails raises the
psycopg exception of its SQLSTATE (so a unique violation is an IntegrityError, a NOWAIT lock a
LockNotAvailable), and the transaction stays failed until rollback(), as in psycopg.

Only the writer's child uses it, on a connection nothing else touches, and waits blocking (there is no event
loop there).
"""
from __future__ import annotations

import contextlib
import re
import select
from datetime import date, datetime
from typing import Any, Iterator, Sequence

from psycopg import errors as pg_errors
from psycopg import pq

_PARAM = re.compile(r"%\((\w+)\)s")
_INTEGER_TYPES = {20, 21, 23, 26}  # int8, int2, int4, oid
_BOOLEAN = 16
_NUMERIC = 1700
_OK = (pq.ExecStatus.COMMAND_OK, pq.ExecStatus.TUPLES_OK)


class PipelineConnection:
    """The DB-API subset of a psycopg connection that the ballot batches use, over libpq's pipeline."""

    def __init__(self, pgconn: pq.abc.PGconn) -> None:
        if pgconn.parameter_status(b"client_encoding") not in (b"UTF8", b"UNICODE"):  # text goes as UTF-8
            result = pgconn.exec_(b"SET client_encoding TO 'UTF8'")
            if result.status != pq.ExecStatus.COMMAND_OK:
                raise pg_errors.error_from_result(result, encoding="utf-8")
        self.pg = pgconn
        self.pg.nonblocking = 1  # sends never block: while a large batch is written, results are read
        self._poll = select.poll()
        self._statements: dict[str, tuple[bytes, list[str]]] = {}  # SQL text -> (prepared name, its parameters)
        self._prepared = 0
        self._pending: list[tuple[str, Any]] = []  # what each command sent since the last Sync is
        self._in_transaction = False
        self._in_pipeline = False

    # ----- the DB-API part -----

    def cursor(self) -> "PipelineCursor":
        return PipelineCursor(self)

    @contextlib.contextmanager
    def pipeline(self) -> Iterator["PipelineConnection"]:
        """Statements sent in the block go out without waiting; results still unread at its end are read."""
        if self._in_pipeline:
            yield self
            return
        self.pg.enter_pipeline_mode()
        self._in_pipeline = True
        try:
            yield self
            if self._pending:
                self._sync()
        finally:
            try:
                if self._pending:  # the block failed with commands unread: read them, their errors too
                    self._sync(raise_errors=False)
            finally:
                self._in_pipeline = False
                self.pg.exit_pipeline_mode()

    def commit(self) -> None:
        self._end(b"COMMIT")

    def rollback(self) -> None:
        self._end(b"ROLLBACK")

    def execute(self, sql: str, params: dict[str, Any] | None = None) -> "PipelineCursor":
        cursor = self.cursor()
        cursor.execute(sql, params)
        return cursor

    # ----- inside -----

    def _end(self, command: bytes) -> None:
        """COMMIT or ROLLBACK, and read every result up to it (a failed statement raises here)."""
        if command == b"COMMIT" and not self._in_transaction and not self._pending:
            return
        with self.pipeline():
            self.pg.send_query_params(command, None)
            self._pending.append(("end", None))
            try:
                self._sync()
            finally:
                if command == b"ROLLBACK":
                    self._in_transaction = False

    def _send(self, sql: str, params: dict[str, Any] | None, cursor: "PipelineCursor") -> None:
        if not self._in_pipeline:
            with self.pipeline():
                self._send(sql, params, cursor)
            return
        if not self._in_transaction:  # as psycopg outside autocommit: the first statement opens a transaction
            self.pg.send_query_params(b"BEGIN", None)
            self._pending.append(("begin", None))
            self._in_transaction = True
        found = self._statements.get(sql)
        if found is None:
            names: list[str] = []
            numbered = _PARAM.sub(lambda m: f"${_position(names, m.group(1))}", sql)
            self._prepared += 1
            found = (f"dais_batch_{self._prepared}".encode(), names)
            self.pg.send_prepare(found[0], numbered.encode())
            self._pending.append(("prepare", (sql, found)))
            self._statements[sql] = found  # taken back if the server refuses it (see _sync)
        name, names = found
        values = [_text((params or {})[n]) for n in names]
        self.pg.send_query_prepared(name, values)
        self._pending.append(("statement", cursor))

    def _sync(self, raise_errors: bool = True) -> None:
        """End the round trip: a Sync, then one result per command sent; the first error raised at the end."""
        pending, self._pending = self._pending, []
        self.pg.pipeline_sync()
        self._flush()
        error: Exception | None = None
        for kind, owner in pending:
            result = self._result()
            if result.status in _OK:
                if kind == "statement":
                    owner._rows = _rows(result)
                elif kind == "end":
                    self._in_transaction = False
                continue
            if kind == "prepare":  # not prepared after all: prepared again next time
                self._statements.pop(owner[0], None)
            if kind == "statement":
                owner._rows = []
            if error is None and result.status == pq.ExecStatus.FATAL_ERROR:
                error = pg_errors.error_from_result(result, encoding="utf-8")
        sync = self._result(end_of_command=False)
        if sync.status != pq.ExecStatus.PIPELINE_SYNC:  # pragma: no cover - libpq's own order
            raise RuntimeError(f"the ballot writer's connection is out of step ({sync.status.name})")
        if error is not None and raise_errors:
            raise error

    def _result(self, end_of_command: bool = True) -> pq.abc.PGresult:
        """The next result; after a command's result, libpq's end-of-command marker is read too."""
        result = self._get()
        if result is None:  # pragma: no cover - a command always has a result
            raise RuntimeError("the ballot writer's connection lost a result")
        if end_of_command and self._get() is not None:  # pragma: no cover - one result per command here
            raise RuntimeError("a ballot statement returned more than one result")
        return result

    def _get(self) -> pq.abc.PGresult | None:
        while self.pg.is_busy():
            self._wait(select.POLLIN)
            self.pg.consume_input()
        return self.pg.get_result()

    def _flush(self) -> None:
        while self.pg.flush():
            if self._wait(select.POLLIN | select.POLLOUT) & select.POLLIN:
                self.pg.consume_input()  # the server answers while we still send: read, so neither waits

    def _wait(self, events: int) -> int:
        fd = self.pg.socket
        self._poll.register(fd, events)
        try:
            ready = 0
            for _, ready in self._poll.poll():
                pass
            if ready & (select.POLLERR | select.POLLHUP | select.POLLNVAL) and not ready & select.POLLIN:
                raise pg_errors.OperationalError("the connection to PostgreSQL was lost")
            return ready
        finally:
            self._poll.unregister(fd)


class PipelineCursor:
    """A statement's result: sent at execute(), read when the round trip ends (a fetch ends it)."""

    def __init__(self, conn: PipelineConnection) -> None:
        self._conn = conn
        self._rows: list[tuple] | None = None
        self._at = 0

    def execute(self, sql: str, params: dict[str, Any] | None = None) -> "PipelineCursor":
        self._rows, self._at = None, 0
        self._conn._send(sql, params, self)
        return self

    def executemany(self, sql: str, seq: Sequence[dict[str, Any]]) -> None:
        for params in seq:
            self._conn._send(sql, params, self)

    def fetchall(self) -> list[tuple]:
        rows = self._read()
        out, self._at = rows[self._at:], len(rows)
        return out

    def fetchone(self) -> tuple | None:
        rows = self._read()
        if self._at >= len(rows):
            return None
        self._at += 1
        return rows[self._at - 1]

    def _read(self) -> list[tuple]:
        if self._rows is None:
            self._conn._sync()
        assert self._rows is not None
        return self._rows


def _position(names: list[str], name: str) -> int:
    if name not in names:
        names.append(name)
    return names.index(name) + 1


def _text(value: Any) -> bytes | None:
    """A parameter in PostgreSQL's text form."""
    if value is None:
        return None
    if isinstance(value, bool):
        return b"t" if value else b"f"
    if isinstance(value, int):
        return str(value).encode()
    if isinstance(value, (list, tuple)):  # lists of ids: an array
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
            raise TypeError("the ballot writer sends lists of integers only")
        return ("{" + ",".join(map(str, value)) + "}").encode()
    if isinstance(value, (datetime, date)):
        return value.isoformat().encode()
    if isinstance(value, str):
        return value.encode()
    raise TypeError(f"the ballot writer cannot send a {type(value).__name__}")


def _rows(result: pq.abc.PGresult) -> list[tuple]:
    """The rows of a result, each value converted by its column's type."""
    if not result.nfields:
        return []
    convert = [_converter(result.ftype(col)) for col in range(result.nfields)]
    get = result.get_value
    return [tuple(None if (raw := get(row, col)) is None else convert[col](raw) for col in range(result.nfields))
            for row in range(result.ntuples)]


def _converter(oid: int) -> Any:
    if oid in _INTEGER_TYPES:
        return int
    if oid == _BOOLEAN:
        return lambda raw: raw == b"t"
    if oid == _NUMERIC:
        return lambda raw: int(raw) if raw.isdigit() or raw[:1] == b"-" and raw[1:].isdigit() else float(raw)
    return lambda raw: raw.decode()
