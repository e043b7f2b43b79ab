"""Ballots through two real server processes (python wsgi.py, gevent, Redis) on one database at once."""
from __future__ import annotations

import os
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
import requests
import socketio as sio_client
import sqlalchemy as sa

from app.auth.service import ensure_badge
from app.extensions import db
from app.meetings.models import Membership
from app.voting import service
from app.voting.models import VoteOption, VoteParticipation
from tests.support.server import running_server, two_servers
from tests.voting.conftest import build_room
from tests.voting.test_batch import _open

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
WEIGHTS = (1, 2, 3) * 8  # 24 delegates


def _tablet(base: str, badge: str) -> sio_client.Client:
    """A delegate's tablet: badge sign-in over HTTP, then a websocket with that session."""
    http = requests.Session()
    assert http.get(f"{base}/t/{badge}", allow_redirects=False, timeout=5).status_code == 302
    client = sio_client.Client(http_session=http, reconnection=False)
    client.connect(base, transports=["websocket"], wait_timeout=10)
    return client


def _secret_vote(app, slug: str, weights: tuple[int, ...]):
    """A live meeting with an open secret vote: (room, vote id, option ids, each delegate's badge token)."""
    with app.app_context():
        room = build_room(slug, weights)
        vote_id = _open(room, secret=True)
        options = [o.id for o in service.get_vote(vote_id).options]
        members = {m.user_id: m for m in db.session.scalars(
            sa.select(Membership).where(Membership.meeting_id == room.meeting_id))}
        badges = [ensure_badge(app.config["SECRET_KEY"], members[uid]) for uid in room.delegates]
        db.session.commit()
        db.session.remove()
    return room, vote_id, options, badges


@pytest.mark.slow
def test_a_burst_of_ballots_on_two_processes_counts_each_member_once(app, database_url, tmp_path):
    """Every delegate votes at the same instant, half on each process; one delegate taps on two tablets,
    one on each process. Each member counts once, every ack is a committed ballot, the counters equal the
    rows, and the double tap is told its ballot is already recorded."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping()
    except Exception:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}; set TEST_REDIS_URL")
    room, vote_id, options, badges = _secret_vote(app, "twoproc", WEIGHTS)
    env = {"DATABASE_URL": database_url, "MESSAGE_QUEUE_URL": REDIS_URL, "DAIS_RENDER_WORKERS": "0",
           "MESSAGE_QUEUE_CHANNEL": f"dais-test-{uuid.uuid4().hex[:8]}"}
    with two_servers(app.config["DATA_DIR"], env) as bases:
        tablets = [_tablet(bases[n % 2], badge) for n, badge in enumerate(badges)]
        tablets.append(_tablet(bases[1], badges[0]))  # delegate 0's second tablet, on the other process
        try:
            barrier = threading.Barrier(len(tablets))
            acks: list[tuple[int, dict]] = []

            def cast(n: int, tablet: sio_client.Client) -> None:
                barrier.wait()
                ack = tablet.call("vote.cast", {"meeting": room.meeting_id, "vote": vote_id,
                                                "options": [options[n % len(room.delegates) % 3]]}, timeout=30)
                acks.append((n % len(room.delegates), ack))

            threads = [threading.Thread(target=cast, args=(n, t)) for n, t in enumerate(tablets)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(60)
        finally:
            with ThreadPoolExecutor(len(tablets)) as pool:  # each disconnect waits for its socket's threads
                list(pool.map(sio_client.Client.disconnect, tablets))
    assert len(acks) == len(tablets)
    recorded = [n for n, ack in acks if ack["ok"]]
    refused = [ack for _, ack in acks if not ack["ok"]]
    assert sorted(recorded) == list(range(len(room.delegates)))  # each delegate once, delegate 0 included
    assert len(refused) == 1 and "already recorded" in refused[0]["message"], refused
    with app.app_context():
        stored = set(db.session.scalars(sa.select(VoteParticipation.membership_id)
                                        .where(VoteParticipation.vote_id == vote_id)))
        assert stored == {room.members[uid] for uid in room.delegates}
        ballots, weight = db.session.execute(sa.select(sa.func.sum(VoteOption.ballots), sa.func.sum(VoteOption.weight))
                                             .where(VoteOption.vote_id == vote_id)).one()
        assert (ballots, weight) == (len(room.delegates), sum(WEIGHTS))
        db.session.remove()


@pytest.mark.slow
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # eventlet serves SQLite only (no psycopg 3)
def test_ballots_on_a_real_eventlet_server_go_through_its_writer_process(app, database_url, tmp_path):
    """DAIS_ASYNC_MODE=eventlet: the server's ballot writer process works under eventlet too."""
    room, vote_id, options, badges = _secret_vote(app, "evlet", (1, 2, 3, 1, 2, 3))
    data_dir = app.config["DATA_DIR"]
    env = {"DATABASE_URL": database_url, "DAIS_ASYNC_MODE": "eventlet", "DAIS_RENDER_WORKERS": "0"}
    with running_server(data_dir, env) as base:
        tablets = [_tablet(base, badge) for badge in badges]
        try:
            with ThreadPoolExecutor(len(tablets)) as pool:
                acks = list(pool.map(lambda nt: nt[1].call("vote.cast", {
                    "meeting": room.meeting_id, "vote": vote_id, "options": [options[nt[0] % 3]]}, timeout=30),
                    enumerate(tablets)))
        finally:
            with ThreadPoolExecutor(len(tablets)) as pool:
                list(pool.map(sio_client.Client.disconnect, tablets))
    assert all(ack["ok"] for ack in acks), acks
    logs = "".join(p.read_text() for p in data_dir.glob("server-*.log"))
    assert "ballot writer process" in logs and "eventlet" in logs
    with app.app_context():
        ballots, weight = db.session.execute(sa.select(sa.func.sum(VoteOption.ballots), sa.func.sum(VoteOption.weight))
                                             .where(VoteOption.vote_id == vote_id)).one()
        assert (ballots, weight) == (6, 12)
        db.session.remove()
