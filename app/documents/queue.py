"""The durable render queue (table render_jobs), shared by the web process and the render workers.

Functions take a SQLAlchemy Connection, so the web process (db.session.connection()) and a worker
(its own engine) use the same code. A job row is deleted when its file exists; what is left after a
restart is exactly what still has to be made.
"""
from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta
from typing import Iterable

import sqlalchemy as sa

from app.documents.models import PdfFile, PdfPage, RenderJob
from app.documents.render import DEFAULT_WIDTH, EAGER_WIDTHS
from app.timeutil import utcnow

jobs = RenderJob.__table__
pages = PdfPage.__table__
files = PdfFile.__table__

# A claim older than this belongs to a worker that died on another host; anyone may take the job.
STALE_CLAIM = timedelta(minutes=5)
# Claimants of jobs whose original cannot be used (missing from originals/, or unreadable): the jobs wait,
# and are tried again when the claim goes stale (a worker finds the file restored within STALE_CLAIM) or at
# once by `flask documents render` (release_held). No worker has such a name (a worker is host:pid).
MISSING_ORIGINAL = "original-missing"
UNREADABLE_ORIGINAL = "original-unreadable"
HELD = (MISSING_ORIGINAL, UNREADABLE_ORIGINAL)


def _insert(conn: sa.Connection):
    """The dialect's INSERT that knows ON CONFLICT."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def enqueue_document(conn: sa.Connection, sha256: str, page_count: int, widths: Iterable[int] = EAGER_WIDTHS,
                     priority: int = RenderJob.EAGER, only: Iterable[int] | None = None) -> None:
    """Queue every page of a PDF (or `only` these) at the eager widths; pages already queued keep their place."""
    numbers = range(1, page_count + 1) if only is None else list(only)
    enqueue_images(conn, sha256, [(p, w) for p in numbers for w in widths], priority)


def enqueue_images(conn: sa.Connection, sha256: str, images: Iterable[tuple[int, int]],
                   priority: int = RenderJob.EAGER) -> None:
    """Queue these (page, width) images of a PDF; images already queued keep their place."""
    now = utcnow()
    rows = [{"sha256": sha256, "page": p, "width": w, "priority": priority, "created_at": now} for p, w in images]
    for start in range(0, len(rows), 500):
        stmt = _insert(conn)(jobs).values(rows[start:start + 500]).on_conflict_do_nothing(
            index_elements=["sha256", "page", "width"])
        conn.execute(stmt)


def request_page(conn: sa.Connection, sha256: str, page: int, width: int) -> None:
    """A reader wants this page now: queue it first (or move it to the front if already queued)."""
    stmt = _insert(conn)(jobs).values(sha256=sha256, page=page, width=width, priority=RenderJob.ON_DEMAND,
                                      created_at=utcnow())
    conn.execute(stmt.on_conflict_do_update(index_elements=["sha256", "page", "width"],
                                            set_={"priority": RenderJob.ON_DEMAND}))


def worker_id() -> str:
    """This process as a claimant: host and pid."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}"


_ANY_FREE = (sa.select(jobs.c.id)
             .where(sa.or_(jobs.c.claimed_by.is_(None), jobs.c.claimed_at < sa.bindparam("stale_before")))
             .limit(1))


def any_free(conn: sa.Connection) -> bool:
    """Is there a job to claim? A read (no write lock, a statement built once): an idle worker asks this
    ten times a second, and must not take the database's write lock from a vote's ballots to learn "no"."""
    return conn.execute(_ANY_FREE, {"stale_before": utcnow() - STALE_CLAIM}).first() is not None


def claim(conn: sa.Connection, claimant: str, limit: int) -> list[sa.Row]:
    """Take the next `limit` jobs (lowest priority, page, width first) for this worker, atomically."""
    now = utcnow()
    free = sa.or_(jobs.c.claimed_by.is_(None), jobs.c.claimed_at < now - STALE_CLAIM)
    pick = (sa.select(jobs.c.id).where(free)
            .order_by(jobs.c.priority, jobs.c.page, jobs.c.width, jobs.c.id).limit(limit))
    if conn.dialect.name == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    conn.execute(jobs.update().where(jobs.c.id.in_(pick.scalar_subquery())).where(free)
                 .values(claimed_by=claimant, claimed_at=now))
    return list(conn.execute(sa.select(jobs).where(jobs.c.claimed_by == claimant, jobs.c.claimed_at == now)
                             .order_by(jobs.c.priority, jobs.c.page, jobs.c.width)))


def complete(conn: sa.Connection, job_ids: list[int], texts: dict[tuple[str, int], str]) -> None:
    """Jobs done: drop them from the queue and keep the page texts for search."""
    from app.documents.search import index_page_texts

    if job_ids:
        conn.execute(jobs.delete().where(jobs.c.id.in_(job_ids)))
    if texts:
        index_page_texts(conn, texts)


def hold_for_original(conn: sa.Connection, sha256: str, claimant: str, reason: str) -> int:
    """Every job of this PDF that this worker holds or nobody does waits for its original (`reason`, one of
    HELD); the number of jobs now waiting for it."""
    now = utcnow()
    mine_or_free = sa.or_(jobs.c.claimed_by.is_(None), jobs.c.claimed_by == claimant,
                          jobs.c.claimed_by.in_(HELD), jobs.c.claimed_at < now - STALE_CLAIM)
    conn.execute(jobs.update().where(jobs.c.sha256 == sha256, mine_or_free)
                 .values(claimed_by=reason, claimed_at=now))
    return conn.execute(sa.select(sa.func.count()).select_from(jobs)
                        .where(jobs.c.sha256 == sha256, jobs.c.claimed_by == reason)).scalar_one()


def held(conn: sa.Connection) -> dict[str, tuple[str, int]]:
    """PDFs whose jobs wait for their original: sha256 -> (why, one of HELD; pages waiting)."""
    q = (sa.select(jobs.c.sha256, jobs.c.claimed_by, sa.func.count(sa.distinct(jobs.c.page)))
         .where(jobs.c.claimed_by.in_(HELD)).group_by(jobs.c.sha256, jobs.c.claimed_by))
    return {sha: (why, n) for sha, why, n in conn.execute(q)}


def release_held(conn: sa.Connection, sha256s: Iterable[str]) -> int:
    """Let workers try these PDFs' waiting jobs again now (their originals may be back)."""
    sha256s = list(sha256s)
    if not sha256s:
        return 0
    return conn.execute(jobs.update().where(jobs.c.claimed_by.in_(HELD), jobs.c.sha256.in_(sha256s))
                        .values(claimed_by=None, claimed_at=None)).rowcount


def release(conn: sa.Connection, claimant: str) -> None:
    """Give back whatever this worker had claimed (it is stopping)."""
    conn.execute(jobs.update().where(jobs.c.claimed_by == claimant).values(claimed_by=None, claimed_at=None))


def release_dead_claims(conn: sa.Connection) -> int:
    """Free the jobs of workers on this host that are no longer running (after a crash or a restart)."""
    host = socket.gethostname()[:60]
    dead = []
    for (claimant,) in conn.execute(sa.select(jobs.c.claimed_by).where(jobs.c.claimed_by.is_not(None)).distinct()):
        name, _, pid = claimant.rpartition(":")
        if name == host and pid.isdigit() and not _alive(int(pid)):
            dead.append(claimant)
    if dead:
        conn.execute(jobs.update().where(jobs.c.claimed_by.in_(dead)).values(claimed_by=None, claimed_at=None))
    return len(dead)


def _alive(pid: int) -> bool:
    """Whether a process with this pid runs here."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def pending_at_default(conn: sa.Connection, sha256s: Iterable[str] | None = None) -> dict[str, int]:
    """Pages still to make at the default width, per PDF (absent: nothing pending)."""
    q = (sa.select(jobs.c.sha256, sa.func.count()).where(jobs.c.width == DEFAULT_WIDTH)
         .group_by(jobs.c.sha256))
    if sha256s is not None:
        q = q.where(jobs.c.sha256.in_(list(sha256s)))
    return {sha: n for sha, n in conn.execute(q)}


def pending_total(conn: sa.Connection) -> int:
    """Jobs left in the queue."""
    return conn.execute(sa.select(sa.func.count()).select_from(jobs)).scalar_one()


def set_outline_if_missing(conn: sa.Connection, sha256: str, outline: list[dict]) -> None:
    """Store the outline once."""
    conn.execute(files.update().where(files.c.sha256 == sha256, files.c.outline.is_(None)).values(outline=outline))


def needs_outline(conn: sa.Connection, sha256: str) -> bool:
    """Whether the outline of this PDF has not been read yet."""
    return conn.execute(sa.select(files.c.sha256).where(files.c.sha256 == sha256, files.c.outline.is_(None))).first() is not None


def stamp() -> datetime:
    """Now (for tests that age claims)."""
    return utcnow()
