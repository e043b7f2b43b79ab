"""The render pool, as seen from the web process: start worker processes, keep them alive, report progress.

The workers are `python -m app.documents.worker` subprocesses (subprocess is cooperative under gevent,
and a fresh interpreter shares nothing with the server). They share only the database queue and the
data dir with the web process. A monitor task in the web process watches the queue and pushes
`document.progress` to the staff room of each meeting whose documents are rendering.
"""
from __future__ import annotations

import atexit
import logging
import os
import subprocess
import sys
from pathlib import Path

from flask import Flask, current_app

from app.config import PROJECT_ROOT, env_int
from app.signals import document_added

log = logging.getLogger("dais.render")
MONITOR_INTERVAL = 0.5


class RenderPool:
    """N render worker processes fed from the render_jobs table."""

    def __init__(self, db_url: str, data_dir: Path, workers: int, poll: float = 0.1):
        self.db_url, self.data_dir, self.size, self.poll = db_url, Path(data_dir), workers, poll
        self.procs: list[subprocess.Popen] = []
        self.stopped = False
        from app.documents.progress import ProgressWatch

        self.watch = ProgressWatch()

    def _spawn(self) -> subprocess.Popen:
        env = dict(os.environ, DAIS_RENDER_DB=self.db_url, DAIS_RENDER_DATA_DIR=str(self.data_dir),
                   DAIS_RENDER_POLL=str(self.poll), DAIS_RENDER_PARENT=str(os.getpid()),
                   PYTHONPATH=str(PROJECT_ROOT))
        return subprocess.Popen([sys.executable, "-m", "app.documents.worker"], env=env, cwd=str(PROJECT_ROOT),
                                stdin=subprocess.DEVNULL)

    def start(self) -> "RenderPool":
        """Start the workers (first freeing jobs held by workers that died with an earlier server)."""
        from app.documents import queue
        from app.documents.worker import make_engine

        engine = make_engine(self.db_url)
        try:
            with engine.begin() as conn:
                freed = queue.release_dead_claims(conn)
        finally:
            engine.dispose()
        if freed:
            log.info("render pool: resumed the jobs of %s stopped worker(s)", freed)
        self.procs = [self._spawn() for _ in range(self.size)]
        log.info("render pool: %s worker(s), pids %s", self.size, self.pids)
        return self

    @property
    def pids(self) -> list[int]:
        """Process ids of the workers."""
        return [p.pid for p in self.procs]

    def check(self) -> None:
        """Replace any worker that exited."""
        if self.stopped:
            return
        for n, proc in enumerate(self.procs):
            if proc.poll() is not None:
                log.warning("render worker %s exited with %s; starting another", proc.pid, proc.returncode)
                self.procs[n] = self._spawn()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the workers (they give back their claimed jobs)."""
        self.stopped = True
        for proc in self.procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def configured_workers(app: Flask) -> int:
    """RENDER_WORKERS from the config, else DAIS_RENDER_WORKERS from the environment (2); 0 in tests."""
    if "RENDER_WORKERS" in app.config:
        return int(app.config["RENDER_WORKERS"])
    if app.testing:
        return 0
    return env_int("DAIS_RENDER_WORKERS", 2)


def get_pool(app: Flask) -> RenderPool | None:
    """The app's running pool, if any."""
    return app.extensions.get("dais_render_pool")


def start_pool(app: Flask, workers: int | None = None, monitor: bool = True) -> RenderPool | None:
    """Start the pool for this app once (no-op with 0 workers); also the progress monitor."""
    pool = get_pool(app)
    if pool is not None and not pool.stopped:
        return pool
    n = configured_workers(app) if workers is None else workers
    if n <= 0:
        return None
    pool = RenderPool(app.config["SQLALCHEMY_DATABASE_URI"], app.config["DATA_DIR"], n,
                      float(app.config.get("RENDER_POLL_S", 0.1))).start()
    app.extensions["dais_render_pool"] = pool
    atexit.register(pool.stop)
    if monitor:
        from app.extensions import socketio

        socketio.start_background_task(_monitor, app, pool)
    return pool


def stop_pool(app: Flask) -> None:
    """Stop the app's pool (tests, shutdown)."""
    pool = app.extensions.pop("dais_render_pool", None)
    if pool is not None:
        pool.stop()


def _monitor(app: Flask, pool: RenderPool) -> None:
    """Every half second: keep the workers alive and push progress of the PDFs that are rendering."""
    from app.extensions import socketio

    while not pool.stopped:
        try:
            pool.check()
            with app.app_context():
                pool.watch.tick()
        except Exception:  # the monitor must outlive a database hiccup
            log.exception("render monitor")
        socketio.sleep(MONITOR_INTERVAL)


@document_added.connect
def _watch_new_document(doc, **_extra) -> None:
    """A new upload: make sure its progress is pushed, down to `done`, even if it renders within a tick."""
    pool = get_pool(current_app._get_current_object())
    if pool is not None:
        pool.watch.last.setdefault(doc.sha256, doc.pdf.page_count)
