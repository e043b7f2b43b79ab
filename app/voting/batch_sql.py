"""The statements of a ballot batch, run on the database driver's own connection.

A batch (service._store) is one transaction of five statements at most. Run through SQLAlchemy's execution
machinery each statement cost about 70 µs of Python before the driver saw it, which was most of a batch on
SQLite; and on PostgreSQL each statement and the BEGIN and COMMIT were a round trip of their own. So the
batch takes the DBAPI connection under the session's connection (the same connection and transaction the
session would use) and runs plain SQL text on it:

- SQLite: `BEGIN IMMEDIATE` first, so the batch holds the write lock from its first read: the votes' states
  and who has voted are read under the lock, and no other process can close the vote or store a ballot
  between the read and the commit.
- PostgreSQL: psycopg's pipeline mode. The BEGIN, the states (under a shared row lock, which holds off a
  close until the commit), the voters and the owners go out together and come back in one round trip; the
  insert, the counter updates and the COMMIT in a second one (a named vote needs a third, for its choices).
  Under gevent psycopg waits for the server cooperatively, and every wait let all the other greenlets run
  first (hundreds of ballots and acks at a vote's peak), so a batch's two round trips took several
  milliseconds; the batch waits blocking instead (as SQLite's calls always do), which never waits for a
  lock: the states are read with NOWAIT, and when a close (or another change of the vote) holds the vote's
  row, the batch is run again waiting cooperatively (`patient=True`), since the holder may be a greenlet
  of this very process that needs the hub to finish.

Lists go in as one parameter (`= ANY(array)` on PostgreSQL, `json_each` on SQLite), so each statement has
one text whatever the batch size and the drivers' statement caches and prepared statements serve it. The
multi-row insert has one text per row count (cached).
"""
from __future__ import annotations

import contextlib
import json
import re
from collections import namedtuple
from typing import Any, Iterator, Sequence

import sqlalchemy as sa

from app.audit.models import AuditEntry
from app.voting.models import VoteParticipation

try:
    from psycopg import errors as _pg_errors
    from psycopg import waiting as _pg_waiting
except ImportError:  # SQLite only
    _pg_errors = _pg_waiting = None  # type: ignore[assignment]

# A membership as the batch reads it: who they are, whose proxy holds their vote, and (voted_in) a vote of
# the batch in which a ballot of theirs is already stored (one row per such vote, None when there is none).
# holder_name: the name of the proxy holder, for the refusal of a member whose vote is carried by proxy.
Person = namedtuple("Person", "id user_id meeting_id role vote_weight votes holder_id holder_name voted_in")

_PEOPLE = """
SELECT m.id, m.user_id, m.meeting_id, m.role, m.vote_weight, m.votes, p.holder_id, hu.name, t.vote_id
FROM memberships m
LEFT OUTER JOIN vote_proxies p ON p.giver_id = m.id
LEFT OUTER JOIN memberships hm ON hm.id = p.holder_id
LEFT OUTER JOIN users hu ON hu.id = hm.user_id
LEFT OUTER JOIN vote_participations t ON t.membership_id = m.id AND t.vote_id {in_votes}
WHERE {where}
"""


_TICK_COUNTS = """
SELECT v.meeting_id,
  (SELECT count(p.id) FROM vote_participations p WHERE p.vote_id = v.id),
  (SELECT coalesce(sum(p.weight), 0) FROM vote_participations p WHERE p.vote_id = v.id),
  (SELECT count(m.id) FROM memberships m WHERE m.meeting_id = v.meeting_id AND m.votes AND m.role <> 'observer'),
  (SELECT coalesce(sum(m.vote_weight), 0) FROM memberships m WHERE m.meeting_id = v.meeting_id AND m.votes AND m.role <> 'observer')
FROM votes v WHERE v.id = :vote AND v.state = 'open'
"""


class BatchSQL:
    """The batch's statements for one dialect (built once per dialect; see `of`)."""

    _built: dict[str, "BatchSQL"] = {}

    @classmethod
    def of(cls, dialect: sa.Dialect) -> "BatchSQL":
        found = cls._built.get(dialect.name)
        if found is None:
            found = cls._built[dialect.name] = cls(dialect)
        return found

    def __init__(self, dialect: sa.Dialect) -> None:
        self.postgres = dialect.name == "postgresql"
        if not self.postgres and dialect.name != "sqlite":
            raise RuntimeError(f"ballot batches support SQLite and PostgreSQL, not {dialect.name}")

        def within(name: str) -> str:
            return f"= ANY(:{name})" if self.postgres else f"IN (SELECT value FROM json_each(:{name}))"

        self.states = f"SELECT id, state FROM votes WHERE id {within('votes')} ORDER BY id" + (
            " FOR SHARE" if self.postgres else "")
        self.states_nowait = self.states + " NOWAIT" if self.postgres else self.states
        self.voters = _PEOPLE.format(in_votes=within("votes"),
                                     where=f"m.user_id {within('users')} AND m.meeting_id {within('meetings')}")
        self.owners = _PEOPLE.format(in_votes=within("votes"), where=f"m.id {within('ids')}")
        self.add = "UPDATE vote_options SET ballots = ballots + :add_ballots, weight = weight + :add_weight " \
                   "WHERE id = :oid"
        self.named = "INSERT INTO vote_named_choices (participation_id, option_id) VALUES (:pid, :oid)"
        # cast_at is stored as SQLAlchemy stores a DateTime on this database (a string on SQLite)
        cast_at = VoteParticipation.__table__.c.cast_at.type.dialect_impl(dialect)
        self._cast_at = cast_at.bind_processor(dialect) or (lambda value: value)
        self._inserts: dict[int, str] = {}
        # The ballot counter's tick (service.progress_tick): the open vote's counts and the meeting's
        # working wall-screen links, then its audit entry, in two round trips on PostgreSQL.
        self.tick_counts = _TICK_COUNTS
        self.tick_displays = ("SELECT id FROM display_links WHERE meeting_id = (SELECT meeting_id FROM votes "
                              "WHERE id = :vote) AND revoked_at IS NULL ORDER BY id")
        self.tick_audit = ("INSERT INTO audit_log (at, actor_id, meeting_id, action, detail) "
                           "VALUES (:at, NULL, :meeting, 'vote.ballots', "
                           + ("CAST(:detail AS json))" if self.postgres else ":detail)"))
        at = AuditEntry.__table__.c.at.type.dialect_impl(dialect)
        self._at = at.bind_processor(dialect) or (lambda value: value)
        if self.postgres:  # psycopg takes %(name)s
            for attr in ("states", "states_nowait", "voters", "owners", "add", "named", "tick_counts",
                         "tick_displays", "tick_audit"):
                setattr(self, attr, self.paramstyle(getattr(self, attr)))

    def keep(self, raw: Any) -> None:
        """Set up a driver connection that a writer keeps for its batches. PostgreSQL: each statement is
        prepared at its first run (psycopg waits for five by default) and planned once, generically (the
        server plans a prepared statement afresh for its first five runs): the statements look rows up by
        their keys, so the generic plan is the plan; a vote's first batches took 2-5 ms instead of 1."""
        if self.postgres:
            raw.prepare_threshold = 0
            raw.execute("SET plan_cache_mode = force_generic_plan")
            raw.commit()

    @classmethod
    def writer_connection(cls, engine: sa.Engine) -> tuple[Any, Any]:
        """A connection of the engine's pool for a writer to keep, set up by keep(): (the pool's record of it,
        to invalidate or close; what the batches run on: libpq's pipeline driven directly on PostgreSQL,
        app/voting/pg_pipeline.py, the driver connection itself on SQLite)."""
        sql = cls.of(engine.dialect)
        raw = engine.raw_connection()
        sql.keep(raw.dbapi_connection)
        if not sql.postgres:
            return raw, raw.dbapi_connection
        from app.voting.pg_pipeline import PipelineConnection

        return raw, PipelineConnection(raw.dbapi_connection.pgconn)

    def paramstyle(self, sql: str) -> str:
        return re.sub(r"(?<!:):(\w+)", r"%(\1)s", sql) if self.postgres else sql

    def ids(self, values: Sequence[int]) -> Any:
        """A list of ids as one parameter."""
        return list(values) if self.postgres else json.dumps(list(values))

    def participate(self, rows: int) -> str:
        """INSERT of `rows` participations, RETURNING (id, vote_id, membership_id) of each."""
        found = self._inserts.get(rows)
        if found is None:
            values = ", ".join(f"(:v{n}, :m{n}, :c{n}, :w{n}, :t{n})" for n in range(rows))
            found = self._inserts[rows] = self.paramstyle(
                "INSERT INTO vote_participations (vote_id, membership_id, cast_by_id, weight, cast_at) "
                f"VALUES {values} RETURNING id, vote_id, membership_id")
        return found

    def participation_params(self, rows: list[tuple[int, int, int, int, Any]]) -> dict[str, Any]:
        """The parameters of participate(len(rows)) for (vote_id, membership_id, cast_by_id, weight, cast_at)."""
        params: dict[str, Any] = {}
        for n, (vote_id, membership_id, cast_by_id, weight, cast_at) in enumerate(rows):
            params.update({f"v{n}": vote_id, f"m{n}": membership_id, f"c{n}": cast_by_id, f"w{n}": weight,
                           f"t{n}": self._cast_at(cast_at)})
        return params

    @contextlib.contextmanager
    def transaction(self, raw: Any, patient: bool) -> Iterator[str]:
        """The batch's transaction on the driver connection `raw`: the write lock first (SQLite) or a
        pipeline (PostgreSQL, waiting blocking unless `patient`). Yields the statement that reads the
        states (NOWAIT unless patient). The body commits; on an exception the transaction is rolled back."""
        try:
            if self.postgres:
                # a psycopg connection under gevent is told to wait blocking; the writer's PipelineConnection
                # (no psycopg Connection around it, no event loop in its process) always does
                psycopg_connection = hasattr(raw, "pgconn")
                waits = _blocking_waits(raw, not patient) if psycopg_connection else contextlib.nullcontext()
                with waits, raw.pipeline():
                    yield self.states if patient else self.states_nowait
            else:
                raw.execute("BEGIN IMMEDIATE")
                yield self.states
        except BaseException:
            raw.rollback()
            raise

    def tick(self, raw: Any, vote_id: int, now: Any) -> tuple[int, dict[str, int], list[int]] | None:
        """The counter tick on the driver connection `raw`: (meeting id, counts, wall-screen link ids) of
        the open vote, with its audit entry committed; None (nothing written) if the vote is not open."""
        with self.transaction(raw, patient=True):
            counts, displays = raw.cursor(), raw.cursor()
            counts.execute(self.tick_counts, {"vote": vote_id})
            displays.execute(self.tick_displays, {"vote": vote_id})
            row = counts.fetchone()
            links = [link for (link,) in displays.fetchall()]
            if row is None:
                raw.rollback()
                return None
            meeting_id, ballots, weight, eligible, eligible_weight = (int(x) for x in row)
            detail = {"vote_id": vote_id, "ballots": ballots, "cast_weight": weight}
            raw.cursor().execute(self.tick_audit, {"at": self._at(now), "meeting": meeting_id,
                                                   "detail": json.dumps(detail)})
            raw.commit()
        return meeting_id, {"vote_id": vote_id, "ballots": ballots, "eligible": eligible, "cast_weight": weight,
                            "eligible_weight": eligible_weight}, links

    def lock_busy(self, exc: BaseException) -> bool:
        """Did a NOWAIT read find the vote's row locked (run the batch again, patient)?"""
        return self.postgres and _pg_errors is not None and isinstance(exc, _pg_errors.LockNotAvailable)

    @staticmethod
    def people(cursor: Any) -> list[Person]:
        return [Person(*row) for row in cursor.fetchall()]


@contextlib.contextmanager
def _blocking_waits(raw: Any, blocking: bool) -> Iterator[None]:
    """While the block runs, psycopg waits for this connection's server with a blocking poll (the C wait
    that psycopg itself uses where gevent has not patched `select`), not through gevent's hub."""
    blocking_wait = getattr(_pg_waiting, "wait_c", None)
    if not blocking or blocking_wait is None or _pg_waiting.wait is blocking_wait:
        yield
        return
    cooperative = raw.wait

    def wait(gen: Any, interval: float = 0.1, timeout: float | None = None) -> Any:
        if timeout is not None:  # psycopg's own deadlines (cancelling a query): its usual wait
            return cooperative(gen, interval, timeout)
        return blocking_wait(gen, raw.pgconn.socket, interval)

    raw.wait = wait
    try:
        yield
    finally:
        del raw.wait
