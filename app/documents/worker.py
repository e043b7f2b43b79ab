"""A render worker: a separate OS process that takes jobs from the render queue and writes page images.

Run by the render pool as `python -m app.documents.worker` with DAIS_RENDER_DB (database URL) and
DAIS_RENDER_DATA_DIR in the environment. PyMuPDF is not thread-safe and holds the GIL while it works,
so it runs here and never in the process that holds the sockets. The worker exits when its parent goes.
"""
from __future__ import annotations

import logging
import os
import signal
import sys
import time
from collections import OrderedDict, defaultdict
from pathlib import Path

import sqlalchemy as sa

from app.documents import queue
from app.documents.ingest import original_path
from app.documents.render import (DEFAULT_WIDTH, failed_page, is_placeholder, page_path, read_outline, render_page,
                                  write_atomic)

log = logging.getLogger("dais.render")
BATCH = 4  # jobs per claim: about two pages, so a requested page waits at most a fraction of a second


class OriginalUnavailable(Exception):
    """The original of a PDF is missing from originals/ or cannot be opened: none of its pages can be drawn.

    Not a broken page: the file is what is wrong (a restore without originals/, a partial copy), so its pages
    stay in the queue for when it is back, instead of being cached as pages that say they cannot be shown."""

    def __init__(self, sha256: str, reason: str):
        super().__init__(reason)
        self.sha256, self.reason = sha256, reason


class DocCache:
    """A few open PDFs (opening a 300-page file for every page would be slow)."""

    def __init__(self, data_dir: Path, size: int = 4):
        self.data_dir, self.size, self.docs = data_dir, size, OrderedDict()
        self.outline_checked: set[str] = set()  # PDFs whose outline this worker has looked after
        self.unrendered = 0  # claimed jobs left waiting because their original could not be used

    def get(self, sha256: str):
        """The open PyMuPDF document of this original."""
        import pymupdf

        if sha256 in self.docs:
            self.docs.move_to_end(sha256)
            return self.docs[sha256]
        path = original_path(self.data_dir, sha256)
        if not path.is_file():
            raise OriginalUnavailable(sha256, queue.MISSING_ORIGINAL)
        try:
            doc = pymupdf.open(path, filetype="pdf")
            if doc.page_count == 0:
                raise ValueError("no pages")
        except Exception as exc:  # it passed the checks at upload: what is there now is not that file
            log.warning("the original %s cannot be opened: %s", path, exc)
            raise OriginalUnavailable(sha256, queue.UNREADABLE_ORIGINAL) from exc
        self.docs[sha256] = doc
        while len(self.docs) > self.size:
            self.docs.popitem(last=False)[1].close()
        return doc


def original_problem(data_dir: Path, sha256: str) -> str | None:
    """Why the original of this PDF cannot be drawn from (queue.MISSING_ORIGINAL or UNREADABLE_ORIGINAL), or None."""
    cache = DocCache(Path(data_dir), size=1)
    try:
        cache.get(sha256).close()
    except OriginalUnavailable as exc:
        return exc.reason
    return None


def run_once(engine: sa.Engine, data_dir: Path, claimant: str, cache: DocCache, batch: int = BATCH) -> int:
    """Claim a batch, render it, record it; the number of jobs done (0: the queue is empty)."""
    with engine.connect() as conn:
        if not queue.any_free(conn):
            return 0
    with engine.begin() as conn:
        claimed = queue.claim(conn, claimant, batch)
    if not claimed:
        return 0
    by_page: dict[tuple[str, int], list] = defaultdict(list)
    for job in claimed:
        by_page[(job.sha256, job.page)].append(job)
    texts: dict[tuple[str, int], str] = {}
    outlines: dict[str, list[dict]] = {}
    unavailable: dict[str, str] = {}  # sha256 -> why its original cannot be used
    for (sha, page), group in by_page.items():
        if sha in unavailable:
            continue
        # Missing files, and placeholders queued again by `flask documents render` (worth another try).
        widths = sorted({j.width for j in group if _to_draw(page_path(data_dir, sha, page, j.width), j.width)})
        want_text = any(j.width == DEFAULT_WIDTH for j in group)
        try:
            doc = cache.get(sha)
        except OriginalUnavailable as exc:
            unavailable[sha] = exc.reason
            continue
        try:
            if sha not in cache.outline_checked:
                cache.outline_checked.add(sha)
                with engine.connect() as conn:
                    if queue.needs_outline(conn, sha):
                        outlines[sha] = read_outline(doc)
            if widths or want_text:
                result = render_page(doc, data_dir, sha, page, widths, want_text)
                if result.text is not None:
                    texts[(sha, page)] = result.text
        except Exception as exc:  # a broken page must not stop the queue: show a page that says so
            log.warning("page %s of %s failed: %s", page, sha[:12], exc)
            for width in widths:
                write_atomic(page_path(data_dir, sha, page, width), failed_page(width))
            if want_text:
                texts[(sha, page)] = ""
    done = [j.id for j in claimed if j.sha256 not in unavailable]
    with engine.begin() as conn:
        for sha, outline in outlines.items():
            queue.set_outline_if_missing(conn, sha, outline)
        queue.complete(conn, done, texts)
        for sha, reason in unavailable.items():
            # Every page of it waits (one log line per file, not per page); tried again after STALE_CLAIM,
            # or at once by `flask documents render`.
            waiting = queue.hold_for_original(conn, sha, claimant, reason)
            where = original_path(data_dir, sha)
            if reason == queue.MISSING_ORIGINAL:
                log.error("the original %s is missing: %s page image(s) wait for it; restore it into originals/, "
                          "then run flask documents render", where, waiting)
            else:
                log.error("the original %s cannot be opened (damaged, or not the uploaded file): %s page image(s) "
                          "wait for it; restore it from a backup, then run flask documents render", where, waiting)
    cache.unrendered += len(claimed) - len(done)
    return len(claimed)


def _to_draw(path: Path, width: int) -> bool:
    """Whether this page image has still to be made: missing, or a placeholder to try again."""
    return not path.exists() or is_placeholder(path, width)


_failed_page = failed_page  # the page that says a page could not be drawn (render.failed_page)


def drain(engine: sa.Engine, data_dir: Path, claimant: str | None = None) -> int:
    """Render everything queued, in this process (tests and the CLI); the number of jobs done (jobs whose
    original is missing or unreadable are left waiting and not counted)."""
    claimant = claimant or queue.worker_id()
    cache, total = DocCache(Path(data_dir)), 0
    while n := run_once(engine, Path(data_dir), claimant, cache):
        total += n
    return total - cache.unrendered


def make_engine(url: str) -> sa.Engine:
    """An engine of our own (pragmas for SQLite come from the listener in app/__init__.py), keeping its
    connection between polls (opening a SQLite connection and setting its pragmas cost more than the poll)."""
    if url.startswith("sqlite"):
        return sa.create_engine(url, connect_args={"timeout": 10}, pool_size=1, max_overflow=1)
    return sa.create_engine(url, pool_size=1, max_overflow=1)


def main() -> int:
    """Loop: claim, render, record; sleep a little when the queue is empty; stop with the parent."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s render[%(process)d]: %(message)s")
    # Below the server in the CPU queue: the process that holds the sockets answers first.
    os.nice(int(os.environ.get("DAIS_RENDER_NICE", "19")))  # lowest priority: the socket server always goes first
    engine = make_engine(os.environ["DAIS_RENDER_DB"])
    data_dir = Path(os.environ["DAIS_RENDER_DATA_DIR"])
    poll = float(os.environ.get("DAIS_RENDER_POLL", "0.1"))
    # The server's pid comes from the pool: a server that died while this worker was still starting
    # must not leave it running as an orphan.
    parent = int(os.environ.get("DAIS_RENDER_PARENT", os.getppid()))
    if os.getppid() != parent:
        return 0
    claimant = queue.worker_id()
    cache = DocCache(data_dir)
    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while not stopping and os.getppid() == parent:
        try:
            done = run_once(engine, data_dir, claimant, cache)
        except sa.exc.OperationalError as exc:  # database busy or restarting: try again shortly
            log.warning("queue not reachable: %s", exc)
            done = 0
        if not done:
            time.sleep(poll)
    try:
        with engine.begin() as conn:
            queue.release(conn, claimant)
    except Exception:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
