"""Group commit of ballots: one writer per process stores every queued ballot in one transaction.

A socket handler hands its checked ballot to `submit()` and waits; the writer (a background task: a
greenlet under gevent, a thread in the tests) takes all ballots queued so far, stores them with
service.store_ballots (one transaction, one commit) and then wakes each waiting handler with its own
outcome. So a ballot is still acknowledged only after the commit that contains it, but 500 ballots in a
second cost a few dozen commits instead of 500. A close first waits for this process's queued ballots
of that vote (`flush`), so a ballot that reached the server before the close is counted.

Where a batch is stored depends on the server: under gevent or eventlet (wsgi.py) in the writer's own
process (app/voting/writer_process.py), so that the event loop goes on meanwhile; under threading (tests,
the CLI) in this process. BALLOT_WRITER ("process" or "inline") overrides the choice. BALLOT_WRITERS (1 by
default) writers, each with its own process, may store batches side by side.
"""
from __future__ import annotations

import logging
import threading
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app

from app.extensions import db, socketio
from app.voting import service
from app.voting.writer_process import WriterProcess

log = logging.getLogger("dais.voting")

MAX_BATCH = 200      # ballots per transaction
WAIT_SECONDS = 60.0  # a handler gives up waiting (the writer is stuck): the tablet is told to try again


@dataclass
class _Item:
    ballot: service.Ballot
    done: threading.Event = field(default_factory=threading.Event)
    outcome: service.Receipt | Exception | None = None


class BallotWriter:
    """The queue of ballots of one app in one process, and the tasks (one per writer) that store them."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.queue: deque[_Item] = deque()
        self.lock = threading.Lock()
        self.wake = threading.Event()
        self.idle = threading.Condition(self.lock)
        self.pending: Counter[int] = Counter()  # vote id -> ballots queued or being stored
        self.started = False
        self.batches = 0
        self.facts = service.FactsCache()  # the fixed facts of open votes, for prepare_ballot
        mode = app.config.get("BALLOT_WRITER") or (
            "inline" if app.config.get("SOCKETIO_ASYNC_MODE", "threading") == "threading" else "process")
        if mode not in ("process", "inline"):
            raise ValueError(f"BALLOT_WRITER must be process or inline, not {mode!r}")
        # BALLOT_WRITERS > 1: writers side by side, each with its own process and connection, so that a
        # ballot that arrives while one batch waits for its commit starts the next batch at once (PostgreSQL;
        # on SQLite a second writer only waits for the first's lock). One by default: on a 2-core machine
        # two measured no better (docs/benchmarks.md) and cost more CPU.
        count = app.config.get("BALLOT_WRITERS", 1)
        if count < 1:
            raise ValueError(f"BALLOT_WRITERS must be 1 or more, not {count}")
        self.processes = [WriterProcess(app) for _ in range(count)] if mode == "process" else []

    @property
    def process(self) -> WriterProcess | None:
        """The first writer process (None when batches are stored in this process)."""
        return self.processes[0] if self.processes else None

    def start(self) -> None:
        """Start the writers' processes now (a server does at start, so the first ballot does not wait)."""
        for process in self.processes:
            process.start()

    def submit(self, ballot: service.Ballot) -> service.Receipt:
        """Queue a ballot and wait until the writer has committed it; its receipt, or its refusal raised."""
        item = _Item(ballot)
        with self.lock:
            self.queue.append(item)
            self.pending[ballot.vote_id] += 1
            if not self.started:
                self.started = True
                for process in self.processes or [None]:
                    socketio.start_background_task(self._run, process)
        self.wake.set()
        if not item.done.wait(WAIT_SECONDS):
            raise RuntimeError("the ballot writer did not answer in time")
        if isinstance(item.outcome, Exception):
            raise item.outcome
        assert item.outcome is not None
        return item.outcome

    def flush(self, vote_id: int, timeout: float = 10.0) -> bool:
        """Wait until no ballot of this vote is queued or being stored in this process (True), or timeout."""
        with self.idle:
            return self.idle.wait_for(lambda: self.pending[vote_id] <= 0, timeout)

    def _take(self) -> list[_Item]:
        with self.lock:
            batch = [self.queue.popleft() for _ in range(min(MAX_BATCH, len(self.queue)))]
            if not self.queue:
                self.wake.clear()
            return batch

    def _run(self, process: WriterProcess | None) -> None:
        """One writer: take every queued ballot, store them (in `process`, or here when None), answer."""
        while True:
            self.wake.wait()
            batch = self._take()
            if not batch:
                continue
            try:
                outcomes = self._store([item.ballot for item in batch], process)
            except Exception as exc:  # noqa: BLE001 - every waiting handler must get an answer
                log.exception("the ballot writer failed on a batch of %d", len(batch))
                outcomes = [exc] * len(batch)
            self.batches += 1
            with self.lock:
                for item, outcome in zip(batch, outcomes):
                    item.outcome = outcome
                    self.pending[item.ballot.vote_id] -= 1
                    if self.pending[item.ballot.vote_id] <= 0:
                        del self.pending[item.ballot.vote_id]
                self.idle.notify_all()
            for item in batch:
                item.done.set()
            # Let the handlers just woken send their acks, and the ballots that arrived during this batch
            # reach the queue, before the next batch: under gevent a set Event does not yield by itself.
            socketio.sleep(0)

    def warm(self, vote_id: int) -> bool:
        """A vote has just opened: read its facts now and rehearse a batch of it where ballots are stored
        (service.warm_up), so that the first ballots of the burst find everything ready. True if every
        writer rehearsed it. Never raises: the vote is open whatever happens here, and a ballot that finds
        the writer cold only waits a little longer."""
        try:
            self.facts.get(vote_id)
            if self.processes:
                return all([process.warm(vote_id) for process in self.processes])
            with self.app.app_context():
                try:
                    return service.warm_up(None, vote_id)
                finally:
                    db.session.remove()
        except Exception:  # noqa: BLE001 - see above
            log.warning("warming the ballot writer up for vote %s failed", vote_id, exc_info=True)
            return False

    def progress(self, vote_id: int) -> dict[str, Any] | None:
        """A tick of the vote's ballot counter (service.progress_tick), where the ballots are stored."""
        if self.processes:  # a writer that is not storing a batch, if there is one
            free = [p for p in self.processes if not p.busy]
            return (free or self.processes)[0].progress(vote_id)
        return service.progress_tick(vote_id)

    def _store(self, ballots: list[service.Ballot], process: WriterProcess | None) -> list[service.Receipt | Exception]:
        if process is not None:
            return process.store(ballots)
        with self.app.app_context():
            try:
                return service.store_ballots(ballots)
            finally:
                db.session.remove()


def writer(app: Flask | None = None) -> BallotWriter:
    """The ballot writer of this app (created on first use)."""
    app = app or current_app._get_current_object()
    found = app.extensions.get("dais_ballot_writer")
    if found is None:
        found = app.extensions.setdefault("dais_ballot_writer", BallotWriter(app))
    return found


def flush(vote_id: int) -> None:
    """Before a close: let this process's queued ballots of the vote reach the database first, and forget
    the vote's cached facts (later ballots read the closed vote and are refused at once)."""
    found = current_app.extensions.get("dais_ballot_writer")
    if found is None:
        return
    if not found.flush(vote_id):
        log.warning("ballots of vote %s were still queued when it closed", vote_id)
    found.facts.forget(vote_id)
