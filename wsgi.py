"""Production entry point: monkey-patch for the async server first, then build the app and serve.

`python wsgi.py` serves on HOST:PORT. DAIS_ASYNC_MODE=gevent (default) or eventlet (SQLite only).
This is the only module that knows the async server; tests and the `flask` CLI run unpatched.
"""
import gc
import os

ASYNC_MODE = os.environ.get("DAIS_ASYNC_MODE", "gevent")
if ASYNC_MODE == "gevent":
    from gevent import monkey

    monkey.patch_all()
    try:
        from psycopg import __name__ as _psycopg  # noqa: F401  psycopg 3 is green once the socket module is patched
    except ImportError:
        pass
elif ASYNC_MODE == "eventlet":
    import eventlet

    eventlet.monkey_patch()
else:
    raise SystemExit(f"DAIS_ASYNC_MODE must be gevent or eventlet, not {ASYNC_MODE!r}")

from app import create_app, schema_behind  # noqa: E402
from app.extensions import socketio  # noqa: E402

try:
    app = create_app({"SOCKETIO_ASYNC_MODE": ASYNC_MODE})
except RuntimeError as exc:   # a setting that is wrong (DAIS_TIMEZONE, a number, the rate limit): one sentence
    raise SystemExit(f"Dais cannot start: {exc}") from None
behind = schema_behind(app)
if behind:
    raise SystemExit(f"Dais cannot start: {behind}")
if (app.config.get("MESSAGE_QUEUE_URL") or "").startswith("redis"):
    import redis

    try:
        redis.Redis.from_url(app.config["MESSAGE_QUEUE_URL"], socket_timeout=3).ping()
    except redis.RedisError as exc:
        raise SystemExit(f"Dais cannot start: the message queue at MESSAGE_QUEUE_URL="
                         f"{app.config['MESSAGE_QUEUE_URL']} does not answer ({exc}). Start Redis, or unset "
                         "MESSAGE_QUEUE_URL to run one process alone.") from None

if ASYNC_MODE == "eventlet" and not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
    raise SystemExit("DAIS_ASYNC_MODE=eventlet works with SQLite only (psycopg 3 does not support eventlet); use gevent.")

with app.app_context():
    from app import checkpoint
    from app.extensions import db

    if db.engine.dialect.name == "sqlite" and db.engine.url.database not in (None, "", ":memory:"):
        # The write-ahead log, copied back off the hub. (Connections opened before keep SQLite's threshold
        # of 1,000 pages, which a checkpoint every 0.25 s keeps the log under; disposing of the pool here
        # made the first Socket.IO joins stall now and then.)
        checkpoint.start(db.engine.url.database, ASYNC_MODE)
    from app.voting.writer import writer

    # The ballot writer's process, started while the server already serves pages (it imports the app: a
    # second or two); a ballot that comes first waits for it.
    socketio.start_background_task(writer(app).start)
    from app.documents.pool import start_pool

    # The page-rendering workers, now: started by the first request instead, a process that nginx sent no request
    # to (DAIS_RENDER_WORKERS on one process of several) left every upload unrendered (0 workers: none start).
    start_pool(app)

# What start-up built (the app, its modules, SQLAlchemy's mappers: about 200,000 objects) lives as long as the
# process: out of the garbage collector's sight, so that a full collection, which stops the event loop, scans
# only what came later. With 500 tablets connected one took 115-235 ms before, 10-130 ms after
# (docs/benchmarks.md, session 8).
gc.collect()
gc.freeze()

if __name__ == "__main__":
    import errno

    host, port = app.config["HOST"], app.config["PORT"]
    app.logger.info("Dais serving on http://%s:%s (%s)", host, port, ASYNC_MODE)
    try:
        socketio.run(app, host=host, port=port, log_output=False)
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
        raise SystemExit(f"Dais cannot start: port {port} on {host} is in use by another program (another Dais?). "
                         "Stop it, or choose another port with PORT=...") from None
