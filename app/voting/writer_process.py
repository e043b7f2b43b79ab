"""The ballot writer's own process: ballot batches are stored off the server's event loop.

Under gevent one process serves every tablet on one event loop (the hub). Storing a batch of ballots is
CPU work (the statements, the driver, the rows) and, on PostgreSQL, round trips that the batch waits for;
done on the hub, every ack, page turn and heartbeat of the room waited behind it. So the server hands its
batches to a child process of its own, started with the server, and waits for the outcomes cooperatively:
the hub goes on while the child works, on the machine's other core.

    parent (BallotWriter on the hub)  --- socketpair: [4-byte length][pickle] --->  child (this module's main)
                                      <-- outcomes: a Receipt or a refusal per ballot --

The child is a plain Flask app on the same database (same URL and settings) that runs
`service.store_ballots` on each batch it reads, one at a time, and answers with one outcome per ballot. The
ballot's rules (one per member, open votes only, secrecy, counters) are the same code as in-process; only
where it runs changes. The child exits when its socket closes (the server stopped or died). If the child
dies, the ballots of the batch it held are answered "vote again" (their commit is unknown: a ballot sent
again finds the stored one and says so), and the next batch starts a new child.

The channel is a socketpair between the server and the child it started: nothing else can connect, so the
batches travel as pickles.
"""
from __future__ import annotations

import json
import logging
import os
import pickle
import socket
import struct
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from flask import Flask

log = logging.getLogger("dais.voting")

ROOT = Path(__file__).resolve().parent.parent.parent
START_SECONDS = 60.0  # the child must say it is ready within this (it imports the app)
READY = b"ready"
_HEADER = struct.Struct("!I")


class WriterStopped(RuntimeError):
    """The writer process stopped while it held a batch: whether those ballots were committed is unknown."""


def send(sock: socket.socket, payload: bytes) -> None:
    sock.sendall(_HEADER.pack(len(payload)) + payload)


def receive(sock: socket.socket) -> bytes:
    """One message; EOFError when the other end has closed."""
    (size,) = _HEADER.unpack(_exactly(sock, _HEADER.size))
    return _exactly(sock, size)


def _exactly(sock: socket.socket, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = sock.recv(min(left, 1 << 20))
        if not chunk:
            raise EOFError("the other end closed the ballot writer's channel")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def child_config(app: Flask) -> dict[str, Any]:
    """What the child needs to open the same database the same way."""
    from app import checkpoint

    return {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "SQLALCHEMY_ENGINE_OPTIONS": app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}),
            "DATA_DIR": str(app.config["DATA_DIR"]),
            # it emits nothing (the server does): no subscriber to the message queue reading every broadcast
            "MESSAGE_QUEUE_URL": None,
            "wal_autocheckpoint": checkpoint.autocheckpoint_pages}


class WriterProcess:
    """The server's end: starts the child, sends it one batch at a time, reads the outcomes."""

    def __init__(self, app: Flask) -> None:
        self.config = child_config(app)
        self.secret = app.config["SECRET_KEY"]
        self.proc: subprocess.Popen | None = None
        self.sock: socket.socket | None = None
        self.lock = threading.Lock()  # one request in flight per child (its writer task sends one at a time;
        #                               the lock also orders the counter ticks and warm-ups between batches)
        self.started = 0              # children started (a restart after a crash counts)

    @property
    def busy(self) -> bool:
        """Is a request in flight?"""
        return self.lock.locked()

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None and self.sock is not None

    def start(self) -> None:
        """Start the child (if it is not running) and wait until it is ready."""
        with self.lock:
            self._start()

    def _start(self) -> None:
        if self.running:
            return
        self._stop()
        ours, theirs = socket.socketpair()
        env = {**os.environ, "DAIS_WRITER_CONFIG": json.dumps(self.config), "SECRET_KEY": self.secret,
               "DAIS_DATA_DIR": self.config["DATA_DIR"]}
        try:
            self.proc = subprocess.Popen([sys.executable, "-m", "app.voting.writer_process", str(theirs.fileno())],
                                         cwd=ROOT, env=env, pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL)
        finally:
            theirs.close()
        self.sock = ours
        self.started += 1
        ours.settimeout(START_SECONDS)
        try:
            if receive(ours) != READY:
                raise WriterStopped("the ballot writer process did not start properly")
        except (OSError, EOFError) as exc:
            self._stop()
            raise WriterStopped(f"the ballot writer process did not start: {exc}") from exc
        ours.settimeout(None)
        log.info("ballot writer process %s started", self.proc.pid)

    def store(self, ballots: list) -> list:
        """The outcome of each ballot (a Receipt or an exception), stored by the child in one transaction."""
        try:
            return self._ask(("store", ballots))
        except WriterStopped as exc:
            log.error("the ballot writer process stopped during a batch of %d: %s", len(ballots), exc)
            from app.errors import Unavailable

            return [Unavailable("Your ballot may not have been stored: the server's ballot store restarted. "
                                "Vote again; if it was stored, you will be told so.")] * len(ballots)

    def progress(self, vote_id: int) -> dict[str, Any] | None:
        """service.progress_tick(vote_id), in the child (None if it stopped: the next tick tells)."""
        try:
            return self._ask(("progress", vote_id))
        except WriterStopped as exc:
            log.error("the ballot writer process stopped during a counter tick: %s", exc)
            return None

    def warm(self, vote_id: int) -> bool:
        """service.warm_up(vote_id) in the child (False if it stopped: the next batch starts a new one)."""
        try:
            return bool(self._ask(("warm", vote_id)))
        except WriterStopped as exc:
            log.error("the ballot writer process stopped during a warm-up: %s", exc)
            return False

    def _ask(self, request: tuple) -> Any:
        """Send one request, wait (cooperatively under gevent) for its answer."""
        with self.lock:
            self._start()
            assert self.sock is not None
            try:
                send(self.sock, pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL))
                answer = pickle.loads(receive(self.sock))
            except (OSError, EOFError, pickle.UnpicklingError) as exc:
                self._stop()
                raise WriterStopped(f"the ballot writer stopped: {exc}") from exc
            if isinstance(answer, Exception):
                raise answer
            return answer

    def stop(self) -> None:
        with self.lock:
            self._stop()

    def _stop(self) -> None:
        if self.sock is not None:
            self.sock.close()  # the child reads the end of its input and exits
            self.sock = None
        if self.proc is not None:
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
            self.proc = None


def _portable(outcome: Any) -> Any:
    """An outcome that survives the trip back: receipts and refusals as they are, other errors as text."""
    from app.errors import DomainError

    if isinstance(outcome, Exception) and not isinstance(outcome, DomainError):
        return RuntimeError(f"{type(outcome).__name__}: {outcome}")
    return outcome


def main(fd: int) -> None:
    """The child: read requests from the socket `fd` and answer each; exit at its end. A request is
    ("store", ballots), answered with one outcome per ballot, ("progress", vote_id), answered with
    service.progress_tick(vote_id), or ("warm", vote_id): service.warm_up for a vote just opened."""
    sock = socket.socket(fileno=fd)
    sock.setblocking(True)  # a gevent server made its end of the pair non-blocking
    config = json.loads(os.environ.pop("DAIS_WRITER_CONFIG"))
    from app import checkpoint, create_app
    from app.errors import DomainError
    from app.extensions import db
    from app.voting import service
    from app.voting.batch_sql import BatchSQL

    checkpoint.autocheckpoint_pages = config.pop("wal_autocheckpoint")
    config["DATA_DIR"] = Path(config["DATA_DIR"])
    app = create_app(config)

    def connect() -> tuple[Any, Any]:
        """The batches' own connection, kept (see store_ballots and BatchSQL.writer_connection)."""
        return BatchSQL.writer_connection(db.engine)

    with app.app_context():
        kept, driver = connect()
        service.warm_up(driver)
        db.session.remove()
    try:
        send(sock, READY)
    except (BrokenPipeError, ConnectionResetError):   # the server stopped while this child started: nothing to do
        return
    while True:
        try:
            kind, body = pickle.loads(receive(sock))
        except (EOFError, ConnectionResetError):
            return
        with app.app_context():
            failed = False
            try:
                if kind == "store":
                    outcomes = service.store_ballots(body, driver)
                    failed = any(isinstance(o, Exception) and not isinstance(o, DomainError) for o in outcomes)
                    answer = [_portable(o) for o in outcomes]
                elif kind == "warm":
                    answer = service.warm_up(driver, body)
                else:
                    answer = service.progress_tick(body, driver)
            except Exception as exc:  # noqa: BLE001 - every request gets an answer
                log.exception("the ballot writer's %s request failed", kind)
                failed = True
                answer = [_portable(exc)] * len(body) if kind == "store" else _portable(exc)
            finally:
                if failed:  # the connection may be broken (the database restarted): a new one next time
                    kept.invalidate()
                    kept, driver = connect()
                db.session.remove()
        send(sock, pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))


if __name__ == "__main__":
    main(int(sys.argv[1]))
