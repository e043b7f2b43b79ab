"""The render queue: worker processes, first pages first, requested pages jump the queue, resume after restart."""
from __future__ import annotations

import os
import time

import sqlalchemy as sa

from app.documents import queue
from app.documents.models import RenderJob
from app.documents.pool import RenderPool, start_pool, stop_pool
from app.documents.render import DEFAULT_WIDTH, THUMB_WIDTH, page_path
from app.documents.worker import DocCache, run_once
from app.extensions import db
from tests.documents.conftest import only_document, upload
from tests.factories import make_pdf


def _wait_for(predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_worker_processes_render_and_a_requested_page_comes_first(app, client, auth, council, tmp_path):
    auth.login("sec")
    upload(client, "council", council["items"][0], make_pdf(tmp_path / "a.pdf", pages=60))
    doc = only_document(app)
    claimants = set()

    def watch_claims():
        with app.app_context():
            claimants.update(c for (c,) in db.session.execute(
                sa.select(RenderJob.claimed_by).where(RenderJob.claimed_by.is_not(None))))
            db.session.rollback()
            return queue.pending_total(db.session.connection()) == 0

    pool = start_pool(app, workers=2, monitor=False)
    try:
        # Once the workers run (they take a second or two to start), a requested page jumps the queue.
        assert _wait_for(lambda: page_path(app.config["DATA_DIR"], doc.sha256, 1, DEFAULT_WIDTH).exists())
        resp = client.get(f"/pages/{doc.sha256}/58/{DEFAULT_WIDTH}.png")  # waits for the workers, up to 5 s
        assert resp.status_code == 200
        assert resp.data.startswith(b"\x89PNG")
        with app.app_context():  # page 58 came before most of the pages queued ahead of it
            assert queue.pending_at_default(db.session.connection())[doc.sha256] > 20
        assert _wait_for(watch_claims)
    finally:
        stop_pool(app)
    worker_pids = {int(c.rpartition(":")[2]) for c in claimants}
    assert worker_pids and worker_pids <= set(pool.pids)
    assert os.getpid() not in worker_pids
    data_dir = app.config["DATA_DIR"]
    assert all(page_path(data_dir, doc.sha256, p, DEFAULT_WIDTH).exists() for p in range(1, 61))
    assert all(page_path(data_dir, doc.sha256, p, THUMB_WIDTH).exists() for p in range(1, 61))


def test_first_pages_first_and_a_requested_page_jumps_the_queue(app, client, auth, council, tmp_path):
    auth.login("sec")
    upload(client, "council", council["items"][0], make_pdf(tmp_path / "a.pdf", pages=40))
    doc = only_document(app)
    with app.app_context():
        conn = db.session.connection()
        first = queue.claim(conn, "probe:1", 2)
        assert [(j.page, j.width) for j in first] == [(1, THUMB_WIDTH), (1, DEFAULT_WIDTH)]
        queue.request_page(conn, doc.sha256, 35, DEFAULT_WIDTH)
        queue.request_page(conn, doc.sha256, 12, 2560)  # zoom width: made only on demand
        nxt = queue.claim(conn, "probe:2", 2)
        assert [(j.page, j.width) for j in nxt] == [(12, 2560), (35, DEFAULT_WIDTH)]
        db.session.commit()


def test_unrendered_page_request_queues_it_first_and_answers_503_with_retry_after(app, client, auth, council, tmp_path):
    app.config["RENDER_WAIT_S"] = 0.2
    auth.login("sec")
    upload(client, "council", council["items"][0], make_pdf(tmp_path / "a.pdf", pages=20))
    doc = only_document(app)
    resp = client.get(f"/pages/{doc.sha256}/17/{DEFAULT_WIDTH}.png", headers={"Accept": "application/json"})
    assert resp.status_code == 503
    assert resp.headers["Retry-After"] == "1"
    assert resp.headers["Cache-Control"] == "no-store"
    assert resp.get_json()["message"] == "This page is still being prepared; it will show in a moment."
    with app.app_context():
        (job,) = queue.claim(db.session.connection(), "probe:1", 1)
        assert (job.page, job.width) == (17, DEFAULT_WIDTH)
        db.session.rollback()


def test_unfinished_render_resumes_after_restart(app, client, auth, council, tmp_path):
    auth.login("sec")
    upload(client, "council", council["items"][0], make_pdf(tmp_path / "a.pdf", pages=12))
    doc = only_document(app)
    data_dir = app.config["DATA_DIR"]
    with app.app_context():
        engine = db.engine
        run_once(engine, data_dir, "server-a:1", DocCache(data_dir), batch=6)  # half of page 1-3 done
        # A worker of the previous server died holding a claim (pid 2**22+1 does not exist).
        dead = f"{queue.worker_id().rpartition(':')[0]}:{2**22 + 1}"
        with engine.begin() as conn:
            held = queue.claim(conn, dead, 4)
        assert len(held) == 4
        assert queue.pending_total(db.session.connection()) == 24 - 6
        db.session.rollback()
    pool = RenderPool(app.config["SQLALCHEMY_DATABASE_URI"], data_dir, 2).start()
    try:
        with app.app_context():
            def finished():
                db.session.rollback()
                return queue.pending_total(db.session.connection()) == 0
            assert _wait_for(finished)
    finally:
        pool.stop()
    for p in range(1, 13):
        assert page_path(data_dir, doc.sha256, p, DEFAULT_WIDTH).exists()
    prog = client.get(f"/api/documents/{doc.id}/progress").get_json()
    assert prog == {"document_id": doc.id, "sha256": doc.sha256, "rendered": 12, "pages": 12, "done": True}


def test_an_idle_worker_polls_without_the_write_lock(app, client, auth, council, tmp_path):
    """Ten times a second an idle worker asks for work: a read, never the database's write lock (which a
    vote's ballots may hold), and on one kept connection; once there is work (or a claim went stale), it claims it."""
    from app.documents.worker import make_engine

    data_dir = app.config["DATA_DIR"]
    with app.app_context():
        url = db.engine.url.render_as_string(hide_password=False)
    engine = make_engine(url)
    holder_engine = make_engine(url)
    holder = holder_engine.connect()
    try:
        if engine.dialect.name == "sqlite":
            holder.exec_driver_sql("BEGIN IMMEDIATE")  # another process writing: SQLite's one write lock
        else:
            holder.execute(sa.text("LOCK TABLE render_jobs IN EXCLUSIVE MODE"))  # blocks any claim's UPDATE
        started = time.monotonic()
        assert run_once(engine, data_dir, "idle:1", DocCache(data_dir)) == 0
        assert run_once(engine, data_dir, "idle:1", DocCache(data_dir)) == 0
        assert time.monotonic() - started < 2  # the claim would have waited for the lock (10 s on SQLite)
        assert engine.pool.checkedin() == 1  # its connection stays for the next poll
    finally:
        holder.rollback()
        holder.close()
        holder_engine.dispose()
    auth.login("sec")
    upload(client, "council", council["items"][0], make_pdf(tmp_path / "a.pdf", pages=2))
    with engine.connect() as conn:
        assert queue.any_free(conn)
    with engine.begin() as conn:
        assert len(queue.claim(conn, "busy:1", 100)) == 4  # two pages, two widths each
    with engine.connect() as conn:
        assert not queue.any_free(conn)  # all claimed by a live worker
        conn.execute(RenderJob.__table__.update().values(claimed_at=RenderJob.__table__.c.claimed_at
                                                         - queue.STALE_CLAIM * 2))
        conn.commit()
        assert queue.any_free(conn)  # a claim gone stale is work again
    engine.dispose()
