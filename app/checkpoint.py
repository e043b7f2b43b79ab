"""SQLite: write-ahead-log checkpoints in a native thread, off the path of requests and socket events.

SQLite copies its write-ahead log back into the database file (a checkpoint) by itself once the log holds
`wal_autocheckpoint` pages, inside whichever commit crosses that line. Under gevent that commit holds the
hub, and with it every socket of the process, for the whole copy: during a 500-ballot vote two or three
such checkpoints took ≈ 5 ms each and set the ballots' 99th percentile (docs/benchmarks.md). The server
therefore checkpoints in a native thread several times a second (`PRAGMA wal_checkpoint(PASSIVE)`: it
never waits for readers or writers and blocks none; the sqlite3 module releases the GIL while SQLite
works), and its connections get a high automatic threshold that only matters if that thread stops.
Everything else (the `flask` CLI, the tests) keeps SQLite's default.
"""
from __future__ import annotations

import logging
import sqlite3
import threading
import time
from pathlib import Path

log = logging.getLogger("dais.sqlite")

DEFAULT_PAGES = 1000       # SQLite's own default threshold (pages of 4 kB)
BACKGROUND_PAGES = 20000   # with the checkpointer: a bound for the log (≈ 80 MB) if the thread ever stops
INTERVAL = 0.25            # seconds: a vote's peak writes ≈ 2,500 log pages a second

# The threshold every new SQLite connection of this process gets (app/__init__.py sets the pragma).
autocheckpoint_pages = DEFAULT_PAGES


class Checkpointer:
    """Checkpoints one SQLite database file every `interval` seconds in a native thread."""

    def __init__(self, path: Path, interval: float = INTERVAL) -> None:
        self.path = Path(path)
        self.interval = interval
        self.runs = 0
        self._stopped = False

    def run_once(self) -> tuple[int, int, int]:
        """One passive checkpoint: (busy, pages in the log, pages copied back), as SQLite reports them; or, once
        `request_truncate` asked, one that also empties the log (retried at each run until no reader holds it)."""
        global _truncate_wanted
        truncate = _truncate_wanted
        busy, in_log, copied = checkpoint_file(self.path, "TRUNCATE" if truncate else "PASSIVE")
        if truncate and not busy:
            _truncate_wanted = False
        self.runs += 1
        return busy, in_log, copied

    def stop(self) -> None:
        """The loop ends after its current sleep."""
        self._stopped = True

    def loop(self) -> None:
        """Checkpoint every `interval` seconds until stopped (runs in the native thread)."""
        sleep = _native_sleep()
        while not self._stopped:
            sleep(self.interval)
            try:
                self.run_once()
            except sqlite3.Error as exc:  # a locked or missing file: try again next time
                log.warning("SQLite checkpoint of %s failed: %s", self.path, exc)


def checkpoint_file(path: Path, mode: str = "PASSIVE") -> tuple[int, int, int]:
    """One checkpoint of the database file on a connection of its own that never waits for a lock (timeout 0):
    (busy, pages in the log, pages copied back). TRUNCATE also empties the log file when no reader holds it."""
    conn = sqlite3.connect(path, timeout=0, isolation_level=None, check_same_thread=False)
    try:
        return tuple(conn.execute(f"PRAGMA wal_checkpoint({mode})").fetchone())
    finally:
        conn.close()


active: Checkpointer | None = None   # this process's checkpointer, when `start` started one
_truncate_wanted = False


def request_truncate() -> None:
    """Have the checkpointer empty the log at its next run (a quarter of a second), off the event loop."""
    global _truncate_wanted
    _truncate_wanted = True


def _native_sleep():
    """time.sleep as the operating system does it (under gevent, not the patched one)."""
    try:
        from gevent import monkey

        if monkey.is_module_patched("time"):
            return monkey.get_original("time", "sleep")
    except ImportError:
        pass
    return time.sleep


def start(path: Path, async_mode: str) -> Checkpointer | None:
    """Checkpoint the database at `path` in a native thread from now on, and raise the automatic threshold
    of this process's connections (call before the server opens its first connection). Under eventlet
    nothing changes (SQLite checkpoints by itself)."""
    global autocheckpoint_pages, active
    if async_mode == "eventlet":
        return None
    checkpointer = active = Checkpointer(path)
    if async_mode == "gevent":
        import gevent

        gevent.get_hub().threadpool.spawn(checkpointer.loop)  # a native thread of gevent's pool
    else:
        threading.Thread(target=checkpointer.loop, name="sqlite-checkpoint", daemon=True).start()
    autocheckpoint_pages = BACKGROUND_PAGES
    log.info("SQLite checkpoints of %s run in a native thread every %.2f s", path, checkpointer.interval)
    return checkpointer
